terraform {
  # strcontains (var.message_suffix's validation) is Terraform 1.5. No provider: the module
  # creates nothing.
  required_version = ">= 1.5"
}

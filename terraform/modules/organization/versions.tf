terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0 renamed the target region of aws_cloudformation_stack_set_instance to
      # stack_set_instance_region and added data.aws_region.region; 6.20 documents the
      # nodejs24.x runtime that var.runtime allows.
      version = ">= 6.20"
    }
  }
}

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0 adds data.aws_region.region (the old .name is deprecated), 6.20 documents the
      # nodejs24.x runtime that var.runtime allows. Everything else used here is older.
      version = ">= 6.20"
    }
  }
}

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0 added data.aws_region.region and the per-resource region argument, 6.20 documents
      # the nodejs24.x runtime that var.runtime allows; aws_cloudformation_stack_instances is
      # from 5.67.
      version = ">= 6.20"
    }
  }
}

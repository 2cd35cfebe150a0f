terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.20 documents the nodejs24.x runtime that var.runtime allows.
      version = ">= 6.20"
    }
  }
}

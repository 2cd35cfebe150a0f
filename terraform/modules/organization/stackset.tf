################################################################################
# Member role in every member account: service-managed StackSet
#
# IAM is global, so one region is enough: the StackSet deploys to this region only. New
# accounts in the target OUs get the role automatically; an account that leaves loses it.
################################################################################

locals {
  member_role_description = "Assumed by the ${module.evaluator.function_name} function (${local.account_id}) to read the IAM credential report and post the AWS Config evaluation"
  member_policy_name      = "${var.name}-evaluate"

  # The CloudFormation template, built from the same policy documents as the role this module
  # creates in its own account. Also an output, for the management account in a delegated
  # administrator deployment.
  member_role_template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "root-activity member role: lets the ${module.evaluator.function_name} function in ${local.account_id} read this account's credential report and post its evaluation"
    Resources = {
      MemberRole = {
        Type = "AWS::IAM::Role"
        Properties = {
          RoleName                 = var.member_role_name
          Description              = local.member_role_description
          MaxSessionDuration       = 3600
          AssumeRolePolicyDocument = jsondecode(data.aws_iam_policy_document.member_trust.json)
          Policies = [
            {
              PolicyName     = local.member_policy_name
              PolicyDocument = jsondecode(module.evaluator.evaluation_policy_json)
            },
          ]
        }
      }
    }
    Outputs = {
      MemberRoleArn = {
        Description = "ARN of the member role"
        Value       = { "Fn::GetAtt" = ["MemberRole", "Arn"] }
      }
    }
  }
}

resource "aws_cloudformation_stack_set" "member_role" {
  name        = local.stack_set_name
  description = "root-activity: the ${var.member_role_name} role the ${module.evaluator.function_name} function assumes in every account"

  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  template_body = jsonencode(local.member_role_template)

  operation_preferences {
    failure_tolerance_percentage = var.stack_set_failure_tolerance_percentage
    max_concurrent_percentage    = var.stack_set_max_concurrent_percentage
    region_concurrency_type      = "PARALLEL"
  }

  # StackSets propagate these tags to the member roles.
  tags = local.tags

  lifecycle {
    # Service-managed StackSets report an administration role the module never sets.
    ignore_changes = [administration_role_arn]

    precondition {
      condition     = !(var.call_as == "DELEGATED_ADMIN" && var.create_member_role_in_this_account)
      error_message = "With call_as = DELEGATED_ADMIN set create_member_role_in_this_account = false: the StackSet creates the member role in this account, and a second role of the same name would collide. Give the management account the role with the member_role_template_body output, or exclude it (excluded_accounts)."
    }
  }
}

resource "aws_cloudformation_stack_set_instance" "member_role" {
  stack_set_name            = aws_cloudformation_stack_set.member_role.name
  call_as                   = var.call_as
  stack_set_instance_region = local.region

  deployment_targets {
    organizational_unit_ids = local.target_ou_ids
  }

  operation_preferences {
    failure_tolerance_percentage = var.stack_set_failure_tolerance_percentage
    max_concurrent_percentage    = var.stack_set_max_concurrent_percentage
    region_concurrency_type      = "PARALLEL"
  }

  lifecycle {
    precondition {
      condition     = length(local.target_ou_ids) > 0
      error_message = "No organizational unit to deploy the member role to: the organization root is only readable from the management account. Set organizational_unit_ids."
    }
  }
}

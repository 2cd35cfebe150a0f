################################################################################
# Member role in every member account: service-managed StackSet
#
# IAM is global, so one region is enough: the StackSet deploys to this region only. New
# accounts in the target OUs get the role automatically; an account that leaves loses it.
################################################################################

locals {
  member_role_description = "Assumed by the ${module.evaluator.function_name} function (${local.account_id}) to read the IAM credential report and post the AWS Config evaluation"
  member_policy_name      = "${var.name}-evaluate"

  # With notifications, in every member account: an EventBridge rule on the default bus with
  # the central rule's pattern (this organization rule's compliance changes, OrgConfigRule-
  # <name>-*), forwarding to the central bus through a role that only EventBridge rules of that
  # account can assume (aws:SourceAccount, and aws:SourceArn = this rule) and that may only
  # events:PutEvents on the central bus. The bus grants the organization (aws:PrincipalOrgID),
  # which is why the target needs a role (RoleArn) rather than the rule sending as the account.
  compliance_forwarding_resources = {
    ComplianceForwardingRole = {
      Type = "AWS::IAM::Role"
      Properties = {
        RoleName    = local.forwarding_role
        Description = "EventBridge role that forwards the ${local.rule_name} compliance changes of this account to ${local.compliance_event_bus_arn}"
        AssumeRolePolicyDocument = {
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "EventBridgeRuleAssumeRole"
              Effect    = "Allow"
              Principal = { Service = "events.amazonaws.com" }
              Action    = "sts:AssumeRole"
              Condition = {
                StringEquals = { "aws:SourceAccount" = { Ref = "AWS::AccountId" } }
                ArnEquals    = { "aws:SourceArn" = { "Fn::Sub" = "arn:$${AWS::Partition}:events:$${AWS::Region}:$${AWS::AccountId}:rule/${local.forwarding_event_rule}" } }
              }
            },
          ]
        }
        Policies = [
          {
            PolicyName = "${local.forwarding_role}-put-events"
            PolicyDocument = {
              Version = "2012-10-17"
              Statement = [
                {
                  Sid      = "PutEventsToCentralBus"
                  Effect   = "Allow"
                  Action   = "events:PutEvents"
                  Resource = local.compliance_event_bus_arn
                },
              ]
            }
          },
        ]
      }
    }
    ComplianceForwardingRule = {
      Type = "AWS::Events::Rule"
      Properties = {
        Name         = local.forwarding_event_rule
        Description  = "Forwards the compliance changes of the ${local.rule_name} AWS Config organization rule to ${local.compliance_event_bus_arn}"
        EventPattern = local.compliance_event_pattern
        State        = "ENABLED"
        Targets = [
          {
            Id      = "central-compliance-bus"
            Arn     = local.compliance_event_bus_arn
            RoleArn = { "Fn::GetAtt" = ["ComplianceForwardingRole", "Arn"] }
          },
        ]
      }
    }
  }

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

  # What the StackSet deploys: the member role, and the forwarding rule and its role when
  # notifications are on. (A for expression rather than `cond ? {...} : {}`, whose two objects
  # would have no common type.)
  # With root activity alerts, also the role that the forwarding rules of the regional StackSet
  # (alerts.tf) use: IAM is global, so it is created once per account, here.
  stack_set_template = merge(local.member_role_template, {
    Description = var.create_notifications ? "${local.member_role_template.Description}; forwards its compliance changes of the rule to ${local.compliance_event_bus_arn}" : local.member_role_template.Description
    Resources = merge(
      local.member_role_template.Resources,
      { for logical_id, resource in local.compliance_forwarding_resources : logical_id => resource if var.create_notifications },
      { for logical_id, resource in local.root_forwarding_role_resources : logical_id => resource if local.create_root_activity_alerts },
    )
  })
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

  template_body = jsonencode(local.stack_set_template)

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

# One resource for all of the StackSet's instances: CloudFormation runs one operation per StackSet
# at a time (OperationInProgressException), and aws_cloudformation_stack_instances (provider 5.67)
# makes a single CreateStackInstances call for every region and OU.
resource "aws_cloudformation_stack_instances" "member_role" {
  stack_set_name = aws_cloudformation_stack_set.member_role.name
  call_as        = var.call_as
  regions        = [local.region]

  deployment_targets {
    organizational_unit_ids = local.target_ou_ids
  }

  operation_preferences {
    failure_tolerance_percentage = var.stack_set_failure_tolerance_percentage
    max_concurrent_percentage    = var.stack_set_max_concurrent_percentage
    region_concurrency_type      = "PARALLEL"
  }

  timeouts {
    create = var.deployment_timeouts.create
    update = var.deployment_timeouts.update
    delete = var.deployment_timeouts.delete
  }

  lifecycle {
    precondition {
      condition     = length(local.target_ou_ids) > 0
      error_message = "No organizational unit to deploy the member role to: the organization root is only readable from the management account. Set organizational_unit_ids."
    }
  }
}

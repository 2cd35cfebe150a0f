################################################################################
# Root activity alerts (opt-in: create_root_activity_alerts = true, with create_notifications)
#
# Every account forwards its root events, in every region of root_activity_alert_regions, to
# the central bus <name>-compliance of this account (notifications.tf), where one rule per kind
# of root event publishes its message to the topic (../notifications, alert_rules), naming the
# member account:
#
# - Member accounts (StackSets): the member role's StackSet (this region, IAM is global) adds
#   the role <name>-root-forwarder, which only the forwarding rules of that account, by name in
#   any region, may assume (aws:SourceAccount, aws:SourceArn with ArnLike) and which may only
#   events:PutEvents on the central bus; a second StackSet, <name>-root-alerts, whose instances
#   (one resource, one operation) add in each alert region the rule <name>-root-forward (root events ->
#   central bus, through that role) and, with alarm_on_failures, the alarm
#   <name>-root-forward-failures and the rule <name>-root-alarm-fwd that forwards its state
#   changes. A rule sends to the central bus directly, even from another region and account:
#   EventBridge does not route an event it received from one bus on to a third.
# - This account (call_as = SELF; StackSets never deploy to the management account): the same
#   role and rules through ../root-activity-forwarding, in every alert region including this
#   one.
# - The central bus already accepts events:PutEvents only from principals of this organization
#   (aws:PrincipalOrgID), and only through a target role.
#
# There is no re-evaluation after a root event here: in a member account the rule is
# OrgConfigRule-<name>-<suffix>, whose suffix and ARN (config-rule/<rule ID>) Terraform cannot
# know, so config:StartConfigRulesEvaluation could not be granted for this rule only.
#
# Unverified here (no Terraform binary, no AWS account): terraform validate and plan, the
# StackSet templates against CloudFormation, the per-resource region argument.
################################################################################

locals {
  create_root_activity_alerts = var.create_root_activity_alerts && var.create_notifications

  # AWS console host per partition, for the link to the event in CloudTrail.
  console_domains = {
    "aws"        = "console.aws.amazon.com"
    "aws-cn"     = "console.amazonaws.cn"
    "aws-us-gov" = "console.amazonaws-us-gov.com"
  }
  console_domain = lookup(local.console_domains, local.partition, "console.aws.amazon.com")

  # This region always (the central bus and the alert rules are here), plus the listed ones.
  root_activity_alert_regions = toset(concat([local.region], var.root_activity_alert_regions))

  root_forwarding_role       = "${var.name}-root-forwarder"
  root_forward_rule          = "${var.name}-root-forward"
  root_alarm_forward_rule    = "${var.name}-root-alarm-fwd"
  root_forwarding_alarm      = "${var.name}-root-forward-failures"
  root_alerts_stack_set_name = "${var.name}-root-alerts"

  root_activity_alert_rules = {
    for key, alert in module.root_activity_events.alerts : key => alert
    if local.create_root_activity_alerts && (key != "fwd-alarm" || var.alarm_on_failures)
  }

  forward_root_activity_here = local.create_root_activity_alerts && var.call_as == "SELF"

  # The role for the member role's StackSet (one per account): only the forwarding rules of
  # that account, by name, in any region (ArnLike), may assume it. One ARN per alert region
  # would pass IAM's 2,048-character quota on role trust policies with alarms on and about 11
  # regions, and the StackSet would then fail in every account.
  root_forwarding_rule_arn_patterns = concat(
    [{ "Fn::Sub" = "arn:$${AWS::Partition}:events:*:$${AWS::AccountId}:rule/${local.root_forward_rule}" }],
    var.alarm_on_failures ? [{ "Fn::Sub" = "arn:$${AWS::Partition}:events:*:$${AWS::AccountId}:rule/${local.root_alarm_forward_rule}" }] : [],
  )

  root_forwarding_role_resources = {
    RootActivityForwardingRole = {
      Type = "AWS::IAM::Role"
      Properties = {
        RoleName    = local.root_forwarding_role
        Description = "EventBridge role that forwards the root activity events of this account to ${local.compliance_event_bus_arn}"
        AssumeRolePolicyDocument = {
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "EventBridgeRulesAssumeRole"
              Effect    = "Allow"
              Principal = { Service = "events.amazonaws.com" }
              Action    = "sts:AssumeRole"
              Condition = {
                StringEquals = { "aws:SourceAccount" = { Ref = "AWS::AccountId" } }
                ArnLike      = { "aws:SourceArn" = local.root_forwarding_rule_arn_patterns }
              }
            },
          ]
        }
        Policies = [
          {
            PolicyName = "${local.root_forwarding_role}-put-events"
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
  }

  root_forwarding_role_arn = { "Fn::Sub" = "arn:$${AWS::Partition}:iam::$${AWS::AccountId}:role/${local.root_forwarding_role}" }

  # What the regional StackSet deploys in each region of each account.
  root_forwarding_rule_resources = {
    RootActivityForwardingRule = {
      Type = "AWS::Events::Rule"
      Properties = {
        Name         = local.root_forward_rule
        Description  = "Forwards the root activity events of this account and region to ${local.compliance_event_bus_arn}"
        EventPattern = module.root_activity_events.root_event_pattern_object
        # A rule in plain ENABLED state does not match read-only management events.
        State = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
        Targets = [
          {
            Id      = "central-root-activity-bus"
            Arn     = local.compliance_event_bus_arn
            RoleArn = local.root_forwarding_role_arn
          },
        ]
      }
    }
  }

  # An alarm can only notify a topic of its own region and account: its state changes are
  # forwarded to the central bus like the root events.
  root_forwarding_alarm_resources = {
    RootActivityForwardingAlarm = {
      Type = "AWS::CloudWatch::Alarm"
      Properties = {
        AlarmName          = local.root_forwarding_alarm
        AlarmDescription   = "EventBridge failed to forward root activity events of this account and region to ${local.compliance_event_bus_arn} (AWS/Events FailedInvocations of ${local.root_forward_rule}). Its state changes are forwarded to that bus, which publishes them."
        Namespace          = "AWS/Events"
        MetricName         = "FailedInvocations"
        Dimensions         = [{ Name = "RuleName", Value = local.root_forward_rule }]
        Statistic          = "Sum"
        Period             = 300
        EvaluationPeriods  = 1
        Threshold          = 0
        ComparisonOperator = "GreaterThanThreshold"
        TreatMissingData   = "notBreaching"
      }
      DependsOn = "RootActivityForwardingRule"
    }
    RootActivityAlarmForwardingRule = {
      Type = "AWS::Events::Rule"
      Properties = {
        Name         = local.root_alarm_forward_rule
        Description  = "Forwards the state changes of the ${local.root_forwarding_alarm} alarm of this account and region to ${local.compliance_event_bus_arn}"
        EventPattern = module.root_activity_events.forwarding_alarm_event_pattern_object
        State        = "ENABLED"
        Targets = [
          {
            Id      = "central-root-activity-bus"
            Arn     = local.compliance_event_bus_arn
            RoleArn = local.root_forwarding_role_arn
          },
        ]
      }
    }
  }

  # (For expressions rather than `cond ? {...} : {}`, whose two objects would have no common
  # type.)
  root_alerts_template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "root-activity alerts: forwards the root activity events of this account and region to ${local.compliance_event_bus_arn}"
    Resources = merge(
      local.root_forwarding_rule_resources,
      { for logical_id, resource in local.root_forwarding_alarm_resources : logical_id => resource if var.alarm_on_failures },
    )
  }
}

# Patterns and messages of the alerts (creates nothing).
module "root_activity_events" {
  source = "../root-activity-events"

  read_only             = var.root_activity_alert_read_only
  console_domain        = local.console_domain
  forwarding_rule_name  = local.root_forward_rule
  forwarding_alarm_name = local.root_forwarding_alarm
}

################################################################################
# Member accounts: the forwarding rules, a stack instance in every alert region
################################################################################

resource "aws_cloudformation_stack_set" "root_alerts" {
  count = local.create_root_activity_alerts ? 1 : 0

  name        = local.root_alerts_stack_set_name
  description = "root-activity: forwards every account's root activity events, in every alert region, to ${local.compliance_event_bus_arn}"

  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  # No IAM resources (the forwarding role comes with the member role's StackSet), so no
  # capabilities.

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  template_body = jsonencode(local.root_alerts_template)

  operation_preferences {
    failure_tolerance_percentage = var.stack_set_failure_tolerance_percentage
    max_concurrent_percentage    = var.stack_set_max_concurrent_percentage
    region_concurrency_type      = "PARALLEL"
  }

  tags = local.tags

  lifecycle {
    ignore_changes = [administration_role_arn]
  }
}

# Every alert region in one resource, hence one CreateStackInstances operation: CloudFormation runs
# one operation per StackSet at a time, so one resource per region (for_each) would start parallel
# operations that fail with OperationInProgressException.
resource "aws_cloudformation_stack_instances" "root_alerts" {
  count = local.create_root_activity_alerts ? 1 : 0

  stack_set_name = aws_cloudformation_stack_set.root_alerts[0].name
  call_as        = var.call_as
  regions        = local.root_activity_alert_regions

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

  # The forwarding role is in the member role's StackSet: its template (which adds the role) and
  # its instances come first.
  depends_on = [
    aws_cloudformation_stack_set.member_role,
    aws_cloudformation_stack_instances.member_role,
  ]
}

################################################################################
# This account (call_as = SELF): every alert region -> central bus
################################################################################

module "root_activity_forwarding" {
  source = "../root-activity-forwarding"
  count  = local.forward_root_activity_here ? 1 : 0

  name                = var.name
  regions             = local.root_activity_alert_regions
  destination_bus_arn = local.compliance_event_bus_arn
  event_pattern       = module.root_activity_events.root_event_pattern
  alarm_event_pattern = module.root_activity_events.forwarding_alarm_event_pattern
  alarm_on_failures   = var.alarm_on_failures

  tags = local.tags

  # The central bus must accept the events first.
  depends_on = [aws_cloudwatch_event_bus_policy.compliance]
}

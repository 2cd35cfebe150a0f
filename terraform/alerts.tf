################################################################################
# Root activity alerts (opt-in: create_root_activity_alerts = true, with create_notifications)
#
# - In this region, on the default bus: one EventBridge rule per kind of root event
#   (modules/root-activity-events), each publishing its message to the notification topic
#   (modules/notifications, alert_rules).
# - In every other region of root_activity_alert_regions: a rule forwarding the root events to
#   this region's default bus (modules/root-activity-forwarding). EventBridge targets an SNS
#   topic only in the rule's own region, but an event bus in any region; forwarded events keep
#   their region and account, and the rules here match them like local ones.
# - Failures: the alarm on FailedInvocations of the alert rules (modules/notifications), and in
#   each forwarding region an alarm whose state changes are forwarded here and published.
# - Re-evaluation (root_activity_alert_reevaluate, default: when cloudtrail_lookup is on): each
#   root event also starts a Step Functions execution that waits, then calls
#   config:StartConfigRulesEvaluation for this rule through the AWS SDK integration
#   (arn:aws:states:::aws-sdk:config:startConfigRulesEvaluation; Step Functions Developer Guide,
#   "AWS SDK service integrations"). No Lambda code is involved.
#
# Unverified here (no Terraform binary, no AWS account): terraform validate and plan, the
# per-resource region argument, and the state machine definition against Step Functions; the
# tests check the configuration's shape, the policies and the patterns against CloudTrail
# records.
################################################################################

locals {
  create_root_activity_alerts = var.create_root_activity_alerts && var.create_notifications

  # This region always (the alert rules and the topic are here), plus the listed ones.
  root_activity_alert_regions   = toset(concat([local.region], var.root_activity_alert_regions))
  root_activity_forward_regions = setsubtract(local.root_activity_alert_regions, [local.region])
  forward_root_activity         = local.create_root_activity_alerts && length(local.root_activity_forward_regions) > 0

  home_event_bus_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/default"

  reevaluate_rule = local.create_root_activity_alerts && (var.root_activity_alert_reevaluate == null ? var.cloudtrail_lookup : var.root_activity_alert_reevaluate)

  reevaluation_note = local.reevaluate_rule ? "AWS Config re-evaluates the rule ${local.rule_name} about ${var.root_activity_alert_reevaluate_delay_minutes} minutes after the event, once CloudTrail event history holds it." : ""

  # The alert rules for modules/notifications: every root event alert, and the forwarding
  # alarm's alert only where something forwards with alarms.
  root_activity_alert_rules = {
    for key, alert in module.root_activity_events.alerts : key => alert
    if local.create_root_activity_alerts && (key != "fwd-alarm" || (local.forward_root_activity && var.alarm_on_failures))
  }

  reevaluation_state_machine_name = "${var.name}-reevaluate"
  reevaluation_state_machine_arn  = "arn:${local.partition}:states:${local.region}:${local.account_id}:stateMachine:${local.reevaluation_state_machine_name}"

  # Wait until CloudTrail event history holds the event, then evaluate this rule. Config refuses
  # a second StartConfigRulesEvaluation while one runs or within a minute of the last
  # (LimitExceededException, AWS Config API Reference): retried, and then taken as done, since
  # the evaluation that runs reads the same event history.
  reevaluation_definition = {
    Comment = "Re-evaluates the AWS Config rule ${local.rule_name} after a root event, once CloudTrail event history holds the event"
    StartAt = "WaitForEventHistory"
    States = {
      WaitForEventHistory = {
        Type    = "Wait"
        Seconds = var.root_activity_alert_reevaluate_delay_minutes * 60
        Next    = "StartConfigRulesEvaluation"
      }
      StartConfigRulesEvaluation = {
        Type     = "Task"
        Resource = "arn:${local.partition}:states:::aws-sdk:config:startConfigRulesEvaluation"
        Parameters = {
          ConfigRuleNames = [local.rule_name]
        }
        TimeoutSeconds = 60
        Retry = [
          {
            ErrorEquals     = ["Config.LimitExceededException"]
            IntervalSeconds = 60
            MaxAttempts     = 3
            BackoffRate     = 2
          },
        ]
        Catch = [
          {
            ErrorEquals = ["Config.LimitExceededException"]
            Next        = "EvaluationAlreadyRunning"
          },
        ]
        End = true
      }
      EvaluationAlreadyRunning = {
        Type    = "Succeed"
        Comment = "Config is evaluating the rule already (or did within the last minute)"
      }
    }
  }
}

# Patterns and messages of the alerts (creates nothing).
module "root_activity_events" {
  source = "./modules/root-activity-events"

  read_only             = var.root_activity_alert_read_only
  console_domain        = local.console_domain
  forwarding_rule_name  = "${var.name}-root-forward"
  forwarding_alarm_name = "${var.name}-root-forward-failures"
  message_suffix        = local.reevaluation_note
}

################################################################################
# Other regions -> this region's default bus
################################################################################

module "root_activity_forwarding" {
  source = "./modules/root-activity-forwarding"
  count  = local.forward_root_activity ? 1 : 0

  name                = var.name
  regions             = local.root_activity_forward_regions
  destination_bus_arn = local.home_event_bus_arn
  event_pattern       = module.root_activity_events.root_event_pattern
  alarm_event_pattern = module.root_activity_events.forwarding_alarm_event_pattern
  alarm_on_failures   = var.alarm_on_failures

  tags = local.tags
}

################################################################################
# Re-evaluation of the Config rule after a root event
################################################################################

# Step Functions runs the state machine with this role: it may only start evaluations of this
# rule (config:StartConfigRulesEvaluation supports the ConfigRule resource type).
data "aws_iam_policy_document" "reevaluate_assume_role" {
  count = local.reevaluate_rule ? 1 : 0

  statement {
    sid     = "StepFunctionsAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.reevaluation_state_machine_arn]
    }
  }
}

resource "aws_iam_role" "reevaluate" {
  count = local.reevaluate_rule ? 1 : 0

  name               = "${var.name}-reevaluate"
  description        = "Step Functions role that starts evaluations of the ${local.rule_name} AWS Config rule after root activity"
  assume_role_policy = data.aws_iam_policy_document.reevaluate_assume_role[0].json

  tags = local.tags
}

data "aws_iam_policy_document" "reevaluate" {
  count = local.reevaluate_rule ? 1 : 0

  statement {
    sid       = "StartEvaluationOfThisRule"
    effect    = "Allow"
    actions   = ["config:StartConfigRulesEvaluation"]
    resources = [aws_config_config_rule.this.arn]
  }

  # Execution logs to CloudWatch Logs (Security Hub StepFunctions.1): the state machine's role needs the log delivery
  # actions the Step Functions Developer Guide lists ("Logging using CloudWatch Logs", IAM policies for logging). None
  # of them has a resource type in the Service Authorization Reference (Amazon CloudWatch Logs), so "*"; only Step
  # Functions, for this state machine, can use the role.
  statement {
    sid    = "DeliverExecutionLogs"
    effect = "Allow"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "reevaluate" {
  count = local.reevaluate_rule ? 1 : 0

  name   = "${var.name}-reevaluate"
  role   = aws_iam_role.reevaluate[0].id
  policy = data.aws_iam_policy_document.reevaluate[0].json
}

# Where Step Functions logs the re-evaluations (StepFunctions.1). The /aws/vendedlogs/ prefix lets CloudWatch Logs'
# resource policy for log delivery cover it in one statement (Step Functions Developer Guide, "Logging using CloudWatch
# Logs"); retention and key as for the function's log group.
resource "aws_cloudwatch_log_group" "reevaluate" {
  count = local.reevaluate_rule ? 1 : 0

  name              = "/aws/vendedlogs/states/${local.reevaluation_state_machine_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_group_kms_key_arn

  tags = local.tags
}

resource "aws_sfn_state_machine" "reevaluate" {
  count = local.reevaluate_rule ? 1 : 0

  name       = local.reevaluation_state_machine_name
  type       = "STANDARD"
  role_arn   = aws_iam_role.reevaluate[0].arn
  definition = jsonencode(local.reevaluation_definition)

  # Every execution event, at the highest level, so StepFunctions.1 passes whatever minimum level (ALL, ERROR, FATAL)
  # the account's Security Hub sets; without execution data, which is the root event (IP addresses, user agents).
  # A re-evaluation is a handful of events per root event.
  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.reevaluate[0].arn}:*"
    include_execution_data = false
    level                  = "ALL"
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.reevaluate]
}

# EventBridge starts the executions with this role: only the root event alert rules may assume
# it, and it may only start this state machine.
data "aws_iam_policy_document" "reevaluate_start_assume_role" {
  count = local.reevaluate_rule ? 1 : 0

  statement {
    sid     = "EventBridgeRulesAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for key in module.root_activity_events.root_event_alert_keys : module.notifications[0].alert_rule_arns[key]]
    }
  }
}

resource "aws_iam_role" "reevaluate_start" {
  count = local.reevaluate_rule ? 1 : 0

  name               = "${var.name}-reeval-start"
  description        = "EventBridge role that starts the ${local.reevaluation_state_machine_name} state machine after root activity"
  assume_role_policy = data.aws_iam_policy_document.reevaluate_start_assume_role[0].json

  tags = local.tags
}

data "aws_iam_policy_document" "reevaluate_start" {
  count = local.reevaluate_rule ? 1 : 0

  statement {
    sid       = "StartReevaluation"
    effect    = "Allow"
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.reevaluate[0].arn]
  }
}

resource "aws_iam_role_policy" "reevaluate_start" {
  count = local.reevaluate_rule ? 1 : 0

  name   = "${var.name}-reeval-start"
  role   = aws_iam_role.reevaluate_start[0].id
  policy = data.aws_iam_policy_document.reevaluate_start[0].json
}

# A second target on each root event alert rule (the first publishes the message).
resource "aws_cloudwatch_event_target" "reevaluate" {
  for_each = toset(local.reevaluate_rule ? module.root_activity_events.root_event_alert_keys : [])

  rule      = module.notifications[0].alert_rule_names[each.key]
  target_id = "reevaluate-config-rule"
  arn       = aws_sfn_state_machine.reevaluate[0].arn
  role_arn  = aws_iam_role.reevaluate_start[0].arn

  depends_on = [aws_iam_role_policy.reevaluate_start]
}

# A re-evaluation that failed (a permission, the rule gone, retries exhausted on anything but
# an evaluation already running).
resource "aws_cloudwatch_metric_alarm" "reevaluate_failures" {
  count = local.reevaluate_rule && var.alarm_on_failures ? 1 : 0

  alarm_name        = "${var.name}-reevaluate-failures"
  alarm_description = "A re-evaluation of the ${local.rule_name} AWS Config rule after root activity failed (AWS/States ExecutionsFailed of ${local.reevaluation_state_machine_name}): the verdict changes only at the next period. See the state machine's executions."

  namespace   = "AWS/States"
  metric_name = "ExecutionsFailed"
  dimensions = {
    StateMachineArn = aws_sfn_state_machine.reevaluate[0].arn
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = [local.notification_topic_arn]
  ok_actions    = [local.notification_topic_arn]

  tags = local.tags
}

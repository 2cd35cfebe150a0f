################################################################################
# Notifications (opt-in: create_notifications = true)
#
# The same topic, key and alarms as the single-account module (../../notifications.tf), in the
# account that holds the function (management or delegated administrator account), plus the
# route the compliance changes need in an organization:
#
# - AWS Config creates the organization rule in every member account as
#   OrgConfigRule-<name>-<suffix> and sends its "Config Rules Compliance Change" events to that
#   account's default event bus, in the rule's region. This account and the aggregator get none.
# - The StackSet (stackset.tf) adds to each member account an EventBridge rule on the default
#   bus with the pattern below and a role that may only events:PutEvents to the event bus
#   <name>-compliance in this account.
# - That bus accepts events:PutEvents only from principals of this organization
#   (aws:PrincipalOrgID); one rule on it, with the same pattern, publishes to the topic.
# - Failures: the function's Lambda Errors and EvaluationsPosted (all accounts together) and
#   FailedInvocations of the central rule.
#
# The topic is created here (encrypted with a customer managed KMS key) unless
# notification_topic_arn names an existing one. Who may publish is as in the single-account
# module: EventBridge through a role only the central rule may assume, CloudWatch through the
# topic policy, limited to this module's alarms in this account.
################################################################################

locals {
  create_notification_topic = var.create_notifications && var.notification_topic_arn == null
  create_notification_key   = local.create_notification_topic && var.notification_kms_key_arn == null
  encrypt_notifications     = local.create_notification_key || var.notification_kms_key_arn != null
  create_failure_alarms     = var.create_notifications && var.alarm_on_failures

  notification_topic_name = "${var.name}-notifications"
  notification_kms_alias  = "alias/${var.name}-notifications"
  notification_role       = "${var.name}-notifications"
  compliance_event_bus    = "${var.name}-compliance"
  compliance_event_rule   = "${var.name}-compliance"

  # In each member account (StackSet): the rule on the default bus and its role.
  forwarding_event_rule = "${var.name}-forward"
  forwarding_role       = "${var.name}-forwarder"

  notification_topic_arn = var.create_notifications ? (
    local.create_notification_topic ? one(aws_sns_topic.notifications[*].arn) : var.notification_topic_arn
  ) : null
  notification_kms_key_arn = local.create_notification_key ? one(aws_kms_key.notifications[*].arn) : var.notification_kms_key_arn

  # The central bus's ARN, known before it exists: the StackSet template names it.
  compliance_event_bus_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${local.compliance_event_bus}"

  # CloudWatch namespace of the function's EMF metrics (METRICS_NAMESPACE in rule/metrics.ts);
  # their `service` dimension is POWERTOOLS_SERVICE_NAME, the function name.
  metrics_namespace = "RootActivity"

  # Seconds in one period of the rule (two periods stay within CloudWatch's 7-day limit).
  rule_period_seconds = {
    One_Hour         = 3600
    Three_Hours      = 10800
    Six_Hours        = 21600
    Twelve_Hours     = 43200
    TwentyFour_Hours = 86400
  }

  # The compliance changes of this organization rule, whatever the account: the rule's name in
  # each member account is OrgConfigRule-<name>-<suffix>, so the name is matched by its prefix
  # (the trailing "-" keeps out the rules of another deployment whose name starts with <name>).
  # Forwarded events keep their source, detail-type and detail, so the member rules and the
  # central rule use the same pattern.
  compliance_event_pattern = {
    source        = ["aws.config"]
    "detail-type" = ["Config Rules Compliance Change"]
    detail = {
      messageType    = ["ComplianceChangeNotification"]
      configRuleName = [{ prefix = local.member_rule_name_prefix }]
      newEvaluationResult = {
        complianceType = var.notify_on
      }
    }
  }

  # The message: the single-account module's, naming the member account. Links into member
  # accounts cannot be opened from this account, so it points at the aggregator when there is
  # one and otherwise names the rule.
  notification_input_template = "\"Root user activity: account <account> is now <compliance> for AWS Config rule <rule> in <region> (<time>). <annotation> ${local.notification_pointer}\""
  notification_pointer        = var.create_aggregator ? "All accounts: the ${local.aggregator_name} aggregator of AWS Config in account ${local.account_id}." : "Organization rule ${local.rule_name} of account ${local.account_id}."
}

################################################################################
# Topic, its key and its subscriptions
################################################################################

data "aws_iam_policy_document" "notifications_key" {
  count = local.create_notification_key ? 1 : 0

  # The default key policy: the account's IAM policies decide who may use and manage the key.
  statement {
    sid       = "AccountIamPolicies"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = local.create_failure_alarms ? ["cloudwatch"] : []

    content {
      sid       = "CloudWatchAlarmsPublish"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["cloudwatch.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_kms_key" "notifications" {
  count = local.create_notification_key ? 1 : 0

  description             = "Encrypts the ${local.notification_topic_name} SNS topic of the ${local.rule_name} AWS Config organization rule"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.notifications_key[0].json

  tags = local.tags
}

resource "aws_kms_alias" "notifications" {
  count = local.create_notification_key ? 1 : 0

  name          = local.notification_kms_alias
  target_key_id = aws_kms_key.notifications[0].key_id
}

resource "aws_sns_topic" "notifications" {
  count = local.create_notification_topic ? 1 : 0

  name              = local.notification_topic_name
  display_name      = var.name
  kms_master_key_id = local.notification_kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "notifications_topic" {
  count = local.create_notification_topic && local.create_failure_alarms ? 1 : 0

  statement {
    sid       = "CloudWatchAlarmsPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications[0].arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values = concat(
        aws_cloudwatch_metric_alarm.evaluator_errors[*].arn,
        aws_cloudwatch_metric_alarm.no_evaluations[*].arn,
        aws_cloudwatch_metric_alarm.notification_failures[*].arn,
      )
    }
  }
}

resource "aws_sns_topic_policy" "notifications" {
  count = local.create_notification_topic && local.create_failure_alarms ? 1 : 0

  arn    = aws_sns_topic.notifications[0].arn
  policy = data.aws_iam_policy_document.notifications_topic[0].json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = var.create_notifications ? toset(var.notification_emails) : toset([])

  topic_arn = local.notification_topic_arn
  protocol  = "email"
  endpoint  = each.value
}

################################################################################
# Central event bus: member accounts' compliance changes -> topic
################################################################################

resource "aws_cloudwatch_event_bus" "compliance" {
  count = var.create_notifications ? 1 : 0

  name        = local.compliance_event_bus
  description = "Compliance changes of the ${local.rule_name} AWS Config organization rule, forwarded by the member accounts"

  tags = local.tags
}

# Only principals of this organization (the member accounts' forwarding roles) may put events,
# and nothing but events:PutEvents is granted. EventBridge requires the sending rule to use a
# role (RoleArn) when the bus grants an organization rather than accounts.
data "aws_iam_policy_document" "compliance_event_bus" {
  count = var.create_notifications ? 1 : 0

  statement {
    sid       = "OrganizationPutEvents"
    effect    = "Allow"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.compliance[0].arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [local.organization_id]
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "compliance" {
  count = var.create_notifications ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.compliance[0].name
  policy         = data.aws_iam_policy_document.compliance_event_bus[0].json
}

resource "aws_cloudwatch_event_rule" "compliance_change" {
  count = var.create_notifications ? 1 : 0

  name           = local.compliance_event_rule
  description    = "Compliance changes of the ${local.rule_name} AWS Config organization rule in every member account, to the notification topic"
  event_bus_name = aws_cloudwatch_event_bus.compliance[0].name
  event_pattern  = jsonencode(local.compliance_event_pattern)

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.notification_topic_arn == null ? true : split(":", var.notification_topic_arn)[3] == local.region
      error_message = "notification_topic_arn must be a topic in the region of the module: EventBridge rules publish only to topics in their own region."
    }
  }
}

data "aws_iam_policy_document" "notifications_assume_role" {
  count = var.create_notifications ? 1 : 0

  # Only the central rule, in this account, may use the role (confused-deputy protection).
  statement {
    sid     = "EventBridgeRuleAssumeRole"
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
      values   = [aws_cloudwatch_event_rule.compliance_change[0].arn]
    }
  }
}

resource "aws_iam_role" "notifications" {
  count = var.create_notifications ? 1 : 0

  name               = local.notification_role
  description        = "EventBridge role that publishes the ${local.rule_name} compliance changes to the notification topic"
  assume_role_policy = data.aws_iam_policy_document.notifications_assume_role[0].json

  tags = local.tags
}

data "aws_iam_policy_document" "notifications" {
  count = var.create_notifications ? 1 : 0

  statement {
    sid       = "PublishToTopic"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [local.notification_topic_arn]
  }

  dynamic "statement" {
    for_each = local.encrypt_notifications ? [local.notification_kms_key_arn] : []

    content {
      sid       = "EncryptForTopic"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "notifications" {
  count = var.create_notifications ? 1 : 0

  name   = "${local.notification_role}-publish"
  role   = aws_iam_role.notifications[0].id
  policy = data.aws_iam_policy_document.notifications[0].json
}

# Every path is in every compliance change event of this rule (the function always posts an
# annotation); detail.awsAccountId is the member account the event came from.
resource "aws_cloudwatch_event_target" "notifications" {
  count = var.create_notifications ? 1 : 0

  rule           = aws_cloudwatch_event_rule.compliance_change[0].name
  event_bus_name = aws_cloudwatch_event_bus.compliance[0].name
  target_id      = "notification-topic"
  arn            = local.notification_topic_arn
  role_arn       = aws_iam_role.notifications[0].arn

  input_transformer {
    input_paths = {
      account    = "$.detail.awsAccountId"
      region     = "$.detail.awsRegion"
      rule       = "$.detail.configRuleName"
      compliance = "$.detail.newEvaluationResult.complianceType"
      annotation = "$.detail.newEvaluationResult.annotation"
      time       = "$.time"
    }
    input_template = local.notification_input_template
  }

  depends_on = [aws_iam_role_policy.notifications]
}

################################################################################
# Failure alarms -> topic
################################################################################

# Any failed invocation, for any account.
resource "aws_cloudwatch_metric_alarm" "evaluator_errors" {
  count = local.create_failure_alarms ? 1 : 0

  alarm_name        = "${var.name}-evaluator-errors"
  alarm_description = "The ${module.evaluator.function_name} function failed (AWS/Lambda Errors): an account of the ${local.rule_name} AWS Config organization rule may not have been evaluated. See the log group ${module.evaluator.log_group_name}."

  namespace   = "AWS/Lambda"
  metric_name = "Errors"
  dimensions = {
    FunctionName = module.evaluator.function_name
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

# EvaluationsPosted counts the evaluations of all accounts together: this alarm fires when the
# rule stops evaluating everywhere (not when one account stops; the aggregator shows those).
resource "aws_cloudwatch_metric_alarm" "no_evaluations" {
  count = local.create_failure_alarms ? 1 : 0

  alarm_name        = "${var.name}-no-evaluations"
  alarm_description = "No evaluation of the ${local.rule_name} AWS Config organization rule was posted in any account for two rule periods (${var.maximum_execution_frequency}): its verdicts in Config are out of date. See the log group ${module.evaluator.log_group_name}."

  namespace   = local.metrics_namespace
  metric_name = "EvaluationsPosted"
  dimensions = {
    service = module.evaluator.function_name
  }
  statistic           = "Sum"
  period              = local.rule_period_seconds[var.maximum_execution_frequency]
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"

  alarm_actions = [local.notification_topic_arn]
  ok_actions    = [local.notification_topic_arn]

  tags = local.tags
}

# The central rule could not publish a forwarded compliance change to the topic. (A member
# account's forwarding failures show in that account's AWS/Events metrics.)
resource "aws_cloudwatch_metric_alarm" "notification_failures" {
  count = local.create_failure_alarms ? 1 : 0

  alarm_name        = "${var.name}-notification-failures"
  alarm_description = "EventBridge failed to deliver a compliance change of the ${local.rule_name} AWS Config organization rule to the notification topic (AWS/Events FailedInvocations of ${local.compliance_event_rule} on the ${local.compliance_event_bus} bus)."

  namespace   = "AWS/Events"
  metric_name = "FailedInvocations"
  dimensions = {
    EventBusName = aws_cloudwatch_event_bus.compliance[0].name
    RuleName     = aws_cloudwatch_event_rule.compliance_change[0].name
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

################################################################################
# This account's own compliance changes -> central bus (call_as = SELF)
#
# StackSets never deploy to the management account, which the organization rule evaluates too
# (unless excluded): the same forwarding rule and role as the StackSet's, created here.
################################################################################

locals {
  forward_here = var.create_notifications && var.call_as == "SELF"
}

resource "aws_cloudwatch_event_rule" "forward_here" {
  count = local.forward_here ? 1 : 0

  name          = local.forwarding_event_rule
  description   = "Forwards the compliance changes of the ${local.rule_name} AWS Config organization rule in this account to the ${local.compliance_event_bus} bus"
  event_pattern = jsonencode(local.compliance_event_pattern)

  tags = local.tags
}

data "aws_iam_policy_document" "forward_here_assume_role" {
  count = local.forward_here ? 1 : 0

  statement {
    sid     = "EventBridgeRuleAssumeRole"
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
      values   = [aws_cloudwatch_event_rule.forward_here[0].arn]
    }
  }
}

resource "aws_iam_role" "forward_here" {
  count = local.forward_here ? 1 : 0

  name               = local.forwarding_role
  description        = "EventBridge role that forwards the ${local.rule_name} compliance changes of this account to the ${local.compliance_event_bus} bus"
  assume_role_policy = data.aws_iam_policy_document.forward_here_assume_role[0].json

  tags = local.tags
}

data "aws_iam_policy_document" "forward_here" {
  count = local.forward_here ? 1 : 0

  statement {
    sid       = "PutEventsToCentralBus"
    effect    = "Allow"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.compliance[0].arn]
  }
}

resource "aws_iam_role_policy" "forward_here" {
  count = local.forward_here ? 1 : 0

  name   = "${local.forwarding_role}-put-events"
  role   = aws_iam_role.forward_here[0].id
  policy = data.aws_iam_policy_document.forward_here[0].json
}

resource "aws_cloudwatch_event_target" "forward_here" {
  count = local.forward_here ? 1 : 0

  rule      = aws_cloudwatch_event_rule.forward_here[0].name
  target_id = "central-compliance-bus"
  arn       = aws_cloudwatch_event_bus.compliance[0].arn
  role_arn  = aws_iam_role.forward_here[0].arn

  depends_on = [aws_iam_role_policy.forward_here]
}

################################################################################
# Notifications (opt-in: create_notifications = true)
#
# - Verdict changes: an EventBridge rule on AWS Config's "Config Rules Compliance Change"
#   events of this rule only (and only for the verdicts in notify_on), with an input
#   transformer that turns the event into a one-line message, published to an SNS topic.
# - Failures (alarm_on_failures): CloudWatch alarms when the function reports errors, when no
#   evaluation was posted for two rule periods (a silent failure would leave an old COMPLIANT
#   in place), and when EventBridge could not deliver a notification. Alarm and OK actions
#   publish to the same topic.
#
# The topic is created here (encrypted with a customer managed KMS key: the AWS managed key
# alias/aws/sns cannot be used by EventBridge or CloudWatch alarms) unless
# notification_topic_arn names an existing one.
#
# Who may publish:
# - EventBridge publishes through an execution role (the target's role_arn) that only the
#   rule below may assume (aws:SourceArn, aws:SourceAccount) and that may only publish to the
#   topic (and use its key). A topic policy cannot do that: AWS does not support Condition
#   blocks in SNS topic policy statements for EventBridge, so a grant to events.amazonaws.com
#   there could not be limited to this rule.
# - CloudWatch publishes through the topic policy, limited to this module's alarms
#   (aws:SourceArn) in this account (aws:SourceAccount).
# - Nothing else is granted: the topic policy replaces SNS's default one, and principals of
#   the account keep only what their own IAM policies give them.
################################################################################

locals {
  create_notification_topic = var.create_notifications && var.notification_topic_arn == null
  create_notification_key   = local.create_notification_topic && var.notification_kms_key_arn == null
  encrypt_notifications     = local.create_notification_key || var.notification_kms_key_arn != null
  create_failure_alarms     = var.create_notifications && var.alarm_on_failures

  notification_topic_name = "${var.name}-notifications"
  notification_kms_alias  = "alias/${var.name}-notifications"
  notification_role       = "${var.name}-notifications"
  compliance_event_rule   = "${var.name}-compliance"

  notification_topic_arn = var.create_notifications ? (
    local.create_notification_topic ? one(aws_sns_topic.notifications[*].arn) : var.notification_topic_arn
  ) : null
  notification_kms_key_arn = local.create_notification_key ? one(aws_kms_key.notifications[*].arn) : var.notification_kms_key_arn

  # CloudWatch namespace of the function's EMF metrics (METRICS_NAMESPACE in rule/metrics.ts);
  # their `service` dimension is POWERTOOLS_SERVICE_NAME, the function name.
  metrics_namespace = "RootActivity"

  # Seconds in one period of the rule. Every period is at least an hour, so the alarm over two
  # periods stays within CloudWatch's limits (period x evaluation periods at most 7 days; at
  # most 1 day only for periods under an hour): TwentyFour_Hours gives 2 x 86400 s.
  rule_period_seconds = {
    One_Hour         = 3600
    Three_Hours      = 10800
    Six_Hours        = 21600
    Twelve_Hours     = 43200
    TwentyFour_Hours = 86400
  }

  # AWS console host per partition, for the link in the message.
  console_domains = {
    "aws"        = "console.aws.amazon.com"
    "aws-cn"     = "console.amazonaws.cn"
    "aws-us-gov" = "console.amazonaws-us-gov.com"
  }
  console_domain = lookup(local.console_domains, local.partition, "console.aws.amazon.com")

  # AWS Config sends one "Config Rules Compliance Change" event to the default event bus of the
  # account and region that hold the rule whenever a resource's verdict changes, including the
  # first evaluation (then without oldEvaluationResult). Only this rule's, and only changes to
  # a verdict in notify_on.
  compliance_event_pattern = {
    source        = ["aws.config"]
    "detail-type" = ["Config Rules Compliance Change"]
    detail = {
      messageType    = ["ComplianceChangeNotification"]
      configRuleName = [aws_config_config_rule.this.name]
      newEvaluationResult = {
        complianceType = var.notify_on
      }
    }
  }
}

################################################################################
# Topic, its key and its subscriptions
################################################################################

data "aws_iam_policy_document" "notifications_key" {
  count = local.create_notification_key ? 1 : 0

  # The default key policy: the account's IAM policies decide who may use and manage the key
  # (the EventBridge role below gets kms:GenerateDataKey and kms:Decrypt that way). Without
  # it nobody could manage the key.
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

  # CloudWatch alarms of this account publish to the encrypted topic: SNS needs a data key
  # for them (AWS services that publish to an encrypted topic need these two actions).
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

  description             = "Encrypts the ${local.notification_topic_name} SNS topic of the ${local.rule_name} AWS Config rule"
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

# Without alarms nobody but the EventBridge role (same account, through its IAM policy) needs
# to publish, and SNS's default policy (this account only) stays.
resource "aws_sns_topic_policy" "notifications" {
  count = local.create_notification_topic && local.create_failure_alarms ? 1 : 0

  arn    = aws_sns_topic.notifications[0].arn
  policy = data.aws_iam_policy_document.notifications_topic[0].json
}

# Each address gets a confirmation e-mail from SNS; nothing is delivered before it is
# confirmed.
resource "aws_sns_topic_subscription" "email" {
  for_each = var.create_notifications ? toset(var.notification_emails) : toset([])

  topic_arn = local.notification_topic_arn
  protocol  = "email"
  endpoint  = each.value
}

################################################################################
# Compliance changes -> topic
################################################################################

resource "aws_cloudwatch_event_rule" "compliance_change" {
  count = var.create_notifications ? 1 : 0

  name          = local.compliance_event_rule
  description   = "Compliance changes of the ${local.rule_name} AWS Config rule, to the notification topic"
  event_pattern = jsonencode(local.compliance_event_pattern)

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

  # Only the rule above, in this account, may use the role (confused-deputy protection).
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

  # Publishing to an encrypted topic takes a data key of the topic's key.
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

# The message is a JSON string (the template is quoted), which is what SNS e-mails show,
# quotes included. Every path is in every compliance change event of this rule: the function
# always posts an annotation, and oldEvaluationResult (absent on the first evaluation) is
# deliberately not used.
resource "aws_cloudwatch_event_target" "notifications" {
  count = var.create_notifications ? 1 : 0

  rule      = aws_cloudwatch_event_rule.compliance_change[0].name
  target_id = "notification-topic"
  arn       = local.notification_topic_arn
  role_arn  = aws_iam_role.notifications[0].arn

  input_transformer {
    input_paths = {
      account    = "$.detail.awsAccountId"
      region     = "$.detail.awsRegion"
      rule       = "$.detail.configRuleName"
      compliance = "$.detail.newEvaluationResult.complianceType"
      annotation = "$.detail.newEvaluationResult.annotation"
      time       = "$.time"
    }
    input_template = "\"Root user activity: account <account> is now <compliance> for AWS Config rule <rule> in <region> (<time>). <annotation> Rule in the console: https://${local.console_domain}/config/home?region=<region>#/rules/details?configRuleName=<rule>\""
  }

  # EventBridge assumes the role at the first delivery; it must already allow publishing.
  depends_on = [aws_iam_role_policy.notifications]
}

################################################################################
# Failure alarms -> topic
################################################################################

# Any failed invocation: an error the function threw, a timeout, a crash. Lambda retries a
# failed asynchronous invocation (maximum_retry_attempts), so a transient error that a retry
# fixes still raises this alarm once; no_evaluations tells whether a result was posted.
resource "aws_cloudwatch_metric_alarm" "evaluator_errors" {
  count = local.create_failure_alarms ? 1 : 0

  alarm_name        = "${var.name}-evaluator-errors"
  alarm_description = "The ${module.evaluator.function_name} function failed (AWS/Lambda Errors): the ${local.rule_name} AWS Config rule may not have evaluated. See the log group ${module.evaluator.log_group_name}."

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

# The function counts each evaluation it posted (EvaluationsPosted, EMF). None in two whole
# rule periods means the rule has stopped evaluating, whatever the reason (the function fails
# before it can count, Config stops invoking it, permissions changed), and the verdict in
# Config is getting old. Missing data is breaching: a function that never runs writes none.
# Right after the first apply the alarm has no data yet, so it may go to ALARM and back to OK
# once the first evaluation is counted.
resource "aws_cloudwatch_metric_alarm" "no_evaluations" {
  count = local.create_failure_alarms ? 1 : 0

  alarm_name        = "${var.name}-no-evaluations"
  alarm_description = "No evaluation of the ${local.rule_name} AWS Config rule was posted for two rule periods (${var.maximum_execution_frequency}): its verdict in Config is out of date. See the log group ${module.evaluator.log_group_name}."

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

# EventBridge could not publish a compliance change to the topic (permissions, key, throttling
# after retries): the notification path itself is broken. CloudWatch publishes through its
# own permission, so this alarm still reaches the topic when the EventBridge role cannot.
resource "aws_cloudwatch_metric_alarm" "notification_failures" {
  count = local.create_failure_alarms ? 1 : 0

  alarm_name        = "${var.name}-notification-failures"
  alarm_description = "EventBridge failed to deliver a compliance change of the ${local.rule_name} AWS Config rule to the notification topic (AWS/Events FailedInvocations of ${local.compliance_event_rule})."

  namespace   = "AWS/Events"
  metric_name = "FailedInvocations"
  dimensions = {
    RuleName = aws_cloudwatch_event_rule.compliance_change[0].name
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

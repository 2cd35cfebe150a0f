################################################################################
# Notifications of one deployment (internal: called by the single-account module and the
# organization module, each with count = var.create_notifications ? 1 : 0)
#
# - An SNS topic `<name>-notifications`, encrypted with a customer managed KMS key (the AWS
#   managed key alias/aws/sns cannot be used by EventBridge or CloudWatch alarms), unless
#   topic_arn names an existing one; e-mail subscriptions.
# - An EventBridge rule `<name>-compliance` on event_bus_name (the default bus when null) with
#   event_pattern, whose target publishes the input transformer's message to the topic.
# - With alarm_on_failures: CloudWatch alarms on the function's Lambda Errors, on no
#   EvaluationsPosted in two rule periods, and on FailedInvocations of the rule. Alarm and OK
#   actions publish to the same topic.
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

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  create_topic = var.topic_arn == null
  create_key   = local.create_topic && var.kms_key_arn == null
  encrypt      = local.create_key || var.kms_key_arn != null

  topic_name = "${var.name}-notifications"
  kms_alias  = "alias/${var.name}-notifications"
  role_name  = "${var.name}-notifications"
  rule_name  = "${var.name}-compliance"

  topic_arn   = local.create_topic ? one(aws_sns_topic.this[*].arn) : var.topic_arn
  kms_key_arn = local.create_key ? one(aws_kms_key.this[*].arn) : var.kms_key_arn

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

  # FailedInvocations of a rule on the default bus has the RuleName dimension only.
  failed_invocations_dimensions = var.event_bus_name == null ? {
    RuleName = aws_cloudwatch_event_rule.this.name
    } : {
    EventBusName = var.event_bus_name
    RuleName     = aws_cloudwatch_event_rule.this.name
  }
}

################################################################################
# Topic, its key and its subscriptions
################################################################################

data "aws_iam_policy_document" "key" {
  count = local.create_key ? 1 : 0

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
    for_each = var.alarm_on_failures ? ["cloudwatch"] : []

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

resource "aws_kms_key" "this" {
  count = local.create_key ? 1 : 0

  description             = var.key_description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[0].json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_key ? 1 : 0

  name          = local.kms_alias
  target_key_id = aws_kms_key.this[0].key_id
}

resource "aws_sns_topic" "this" {
  count = local.create_topic ? 1 : 0

  name              = local.topic_name
  display_name      = var.name
  kms_master_key_id = local.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  count = local.create_topic && var.alarm_on_failures ? 1 : 0

  statement {
    sid       = "CloudWatchAlarmsPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[0].arn]

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
        aws_cloudwatch_metric_alarm.alert_failures[*].arn,
        var.extra_alarm_arns,
      )
    }
  }
}

# Without alarms nobody but the EventBridge role (same account, through its IAM policy) needs
# to publish, and SNS's default policy (this account only) stays.
resource "aws_sns_topic_policy" "this" {
  count = local.create_topic && var.alarm_on_failures ? 1 : 0

  arn    = aws_sns_topic.this[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}

# Each address gets a confirmation e-mail from SNS; nothing is delivered before it is
# confirmed.
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.emails)

  topic_arn = local.topic_arn
  protocol  = "email"
  endpoint  = each.value
}

################################################################################
# Events -> topic
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  name           = local.rule_name
  description    = var.rule_description
  event_bus_name = var.event_bus_name
  event_pattern  = var.event_pattern

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.topic_arn == null ? true : split(":", var.topic_arn)[3] == local.region
      error_message = "notification_topic_arn must be a topic in the region of the module: EventBridge rules publish only to topics in their own region."
    }
  }
}

data "aws_iam_policy_document" "publisher_assume_role" {
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

    # The compliance rule and the root activity alert rules (alerts.tf).
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = concat([aws_cloudwatch_event_rule.this.arn], [for key in sort(keys(var.alert_rules)) : aws_cloudwatch_event_rule.alert[key].arn])
    }
  }
}

resource "aws_iam_role" "publisher" {
  name               = local.role_name
  description        = var.role_description
  assume_role_policy = data.aws_iam_policy_document.publisher_assume_role.json

  tags = var.tags
}

data "aws_iam_policy_document" "publisher" {
  statement {
    sid       = "PublishToTopic"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
  }

  # Publishing to an encrypted topic takes a data key of the topic's key.
  dynamic "statement" {
    for_each = local.encrypt ? [local.kms_key_arn] : []

    content {
      sid       = "EncryptForTopic"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "publisher" {
  name   = "${local.role_name}-publish"
  role   = aws_iam_role.publisher.id
  policy = data.aws_iam_policy_document.publisher.json
}

# The message is a JSON string (the caller's template is quoted), which is what SNS e-mails
# show, quotes included. Every path must be in every event the pattern matches.
resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = var.event_bus_name
  target_id      = "notification-topic"
  arn            = local.topic_arn
  role_arn       = aws_iam_role.publisher.arn

  input_transformer {
    input_paths    = var.input_paths
    input_template = var.input_template
  }

  # EventBridge assumes the role at the first delivery; it must already allow publishing.
  depends_on = [aws_iam_role_policy.publisher]
}

################################################################################
# Failure alarms -> topic
################################################################################

# Any failed invocation: an error the function threw, a timeout, a crash. Lambda retries a
# failed asynchronous invocation, so a transient error that a retry fixes still raises this
# alarm once; no_evaluations tells whether a result was posted.
resource "aws_cloudwatch_metric_alarm" "evaluator_errors" {
  count = var.alarm_on_failures ? 1 : 0

  alarm_name        = "${var.name}-evaluator-errors"
  alarm_description = var.alarm_descriptions.evaluator_errors

  namespace   = "AWS/Lambda"
  metric_name = "Errors"
  dimensions = {
    FunctionName = var.function_name
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = [local.topic_arn]
  ok_actions    = [local.topic_arn]

  tags = var.tags
}

# The function counts each evaluation it posted (EvaluationsPosted, EMF). None in two whole
# rule periods means the rule has stopped evaluating, whatever the reason (the function fails
# before it can count, Config stops invoking it, permissions changed), and the verdict in
# Config is getting old. Missing data is breaching: a function that never runs writes none.
# Right after the first apply the alarm has no data yet, so it may go to ALARM and back to OK
# once the first evaluation is counted.
resource "aws_cloudwatch_metric_alarm" "no_evaluations" {
  count = var.alarm_on_failures ? 1 : 0

  alarm_name        = "${var.name}-no-evaluations"
  alarm_description = var.alarm_descriptions.no_evaluations

  namespace   = local.metrics_namespace
  metric_name = "EvaluationsPosted"
  dimensions = {
    service = var.function_name
  }
  statistic           = "Sum"
  period              = local.rule_period_seconds[var.maximum_execution_frequency]
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"

  alarm_actions = [local.topic_arn]
  ok_actions    = [local.topic_arn]

  tags = var.tags
}

# EventBridge could not publish to the topic (permissions, key, throttling after retries): the
# notification path itself is broken. CloudWatch publishes through its own permission, so
# this alarm still reaches the topic when the EventBridge role cannot.
resource "aws_cloudwatch_metric_alarm" "notification_failures" {
  count = var.alarm_on_failures ? 1 : 0

  alarm_name        = "${var.name}-notification-failures"
  alarm_description = var.alarm_descriptions.notification_failures

  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = local.failed_invocations_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = [local.topic_arn]
  ok_actions    = [local.topic_arn]

  tags = var.tags
}

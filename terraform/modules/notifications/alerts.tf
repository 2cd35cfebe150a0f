################################################################################
# Root activity alerts -> topic (alert_rules; empty creates nothing)
#
# One EventBridge rule per alert, `<name>-root-<key>`, on event_bus_name (the default bus, where
# CloudTrail delivers this region's events and the other regions' forwarding rules send theirs;
# or the organization's central bus), each publishing its own message to the topic through the
# publisher role, which these rules may assume too. With alarm_on_failures, one alarm watches
# FailedInvocations of all of them.
################################################################################

locals {
  alert_rule_prefix = "${var.name}-root-"

  # FailedInvocations of the alert rules, in a stable order for the alarm's metric queries.
  alert_keys = sort(keys(var.alert_rules))
}

resource "aws_cloudwatch_event_rule" "alert" {
  for_each = var.alert_rules

  name           = "${local.alert_rule_prefix}${each.key}"
  description    = each.value.description
  event_bus_name = var.event_bus_name
  event_pattern  = each.value.event_pattern
  state          = each.value.state

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.topic_arn == null ? true : split(":", var.topic_arn)[3] == local.region
      error_message = "notification_topic_arn must be a topic in the region of the module: EventBridge rules publish only to topics in their own region."
    }
  }
}

# The message is a JSON string (the template is quoted); every path is in every event the
# rule's pattern matches.
resource "aws_cloudwatch_event_target" "alert" {
  for_each = var.alert_rules

  rule           = aws_cloudwatch_event_rule.alert[each.key].name
  event_bus_name = var.event_bus_name
  target_id      = "notification-topic"
  arn            = local.topic_arn
  role_arn       = aws_iam_role.publisher.arn

  input_transformer {
    input_paths    = each.value.input_paths
    input_template = each.value.input_template
  }

  depends_on = [aws_iam_role_policy.publisher]
}

# Any alert EventBridge could not deliver to the topic (permissions, key, throttling after
# retries): the sum of FailedInvocations of every alert rule.
resource "aws_cloudwatch_metric_alarm" "alert_failures" {
  count = var.alarm_on_failures && length(var.alert_rules) > 0 ? 1 : 0

  alarm_name        = "${var.name}-root-alert-failures"
  alarm_description = var.alert_failures_alarm_description

  dynamic "metric_query" {
    for_each = local.alert_keys

    content {
      id = "m${metric_query.key}"
      # Only the sum is the alarm's value (PutMetricAlarm: one ReturnData true, the rest false).
      return_data = false

      metric {
        namespace   = "AWS/Events"
        metric_name = "FailedInvocations"
        # A rule on the default bus has the RuleName dimension only.
        dimensions = var.event_bus_name == null ? {
          RuleName = aws_cloudwatch_event_rule.alert[metric_query.value].name
          } : {
          EventBusName = var.event_bus_name
          RuleName     = aws_cloudwatch_event_rule.alert[metric_query.value].name
        }
        period = 300
        stat   = "Sum"
      }
    }
  }

  metric_query {
    id          = "failures"
    expression  = "SUM([${join(",", [for index, _ in local.alert_keys : "m${index}"])}])"
    label       = "FailedInvocations of the root activity alert rules"
    return_data = true
  }

  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = [local.topic_arn]
  ok_actions    = [local.topic_arn]

  tags = var.tags
}

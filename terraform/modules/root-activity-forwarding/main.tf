################################################################################
# Root event forwarding from several regions to one event bus (internal: the single-account
# module forwards the regions other than its own to its default bus; the organization module
# forwards every region of the management account to the central bus)
#
# - In each region of var.regions, on the default bus (where CloudTrail delivers that region's
#   events): the rule `<name>-root-forward` matching the root events, targeting the
#   destination bus. EventBridge supports an event bus in another region or account as a rule
#   target, and no other cross-region target: an SNS topic must be in the rule's region
#   (EventBridge API Reference, PutTargets, "Event bus in a different account or Region"). The
#   rules are placed with the provider's per-resource `region` argument (hashicorp/aws 6.0).
# - The target sends through the role `<name>-root-forwarder` (one for all regions, IAM is
#   global), which only rules of this account named like these (in any region: ArnLike) may
#   assume and which may only events:PutEvents on the destination bus. A bus that grants an organization accepts events
#   only with such a role (RoleArn).
# - With alarm_on_failures, in each region: the alarm `<name>-root-forward-failures` on
#   FailedInvocations of the forwarding rule, and the rule `<name>-root-alarm-fwd` forwarding
#   its state changes to the destination bus the same way. A CloudWatch alarm can only notify an
#   SNS topic of its own region, so the alarm has no action: the alert rule at the destination
#   publishes its state changes.
#
# A forwarded event keeps its fields (account, region, detail); EventBridge does not route an
# event it received from another bus on to a third one, so the destination must be the bus
# that publishes.
#
# Unverified here (no Terraform binary, no AWS account): `terraform validate` and plan of the
# per-resource region argument on these resources; the tests check the configuration's shape.
################################################################################

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  forward_rule_name = "${var.name}-root-forward"
  alarm_rule_name   = "${var.name}-root-alarm-fwd"
  alarm_name        = "${var.name}-root-forward-failures"
  role_name         = "${var.name}-root-forwarder"

  # The rules the role trusts: these two names in this account, in any region (ArnLike). Listing
  # each region's ARNs would pass IAM's 2,048-character quota on role trust policies with alarms
  # on and about 11 regions (CreateRole: LimitExceeded); the region wildcard keeps the trust
  # policy the same size for any number of regions, and only a rule of this account with one of
  # these two names can be its source.
  rule_arn_patterns = concat(
    ["arn:${local.partition}:events:*:${local.account_id}:rule/${local.forward_rule_name}"],
    var.alarm_on_failures ? ["arn:${local.partition}:events:*:${local.account_id}:rule/${local.alarm_rule_name}"] : [],
  )

  alarm_regions = var.alarm_on_failures ? var.regions : toset([])
}

################################################################################
# Role: only these rules may use it, and it may only put events on the destination bus
################################################################################

data "aws_iam_policy_document" "assume_role" {
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
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = local.rule_arn_patterns
    }
  }
}

resource "aws_iam_role" "this" {
  name               = local.role_name
  description        = "EventBridge role that forwards root activity events to ${var.destination_bus_arn}"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "PutEventsToDestinationBus"
    effect    = "Allow"
    actions   = ["events:PutEvents"]
    resources = [var.destination_bus_arn]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${local.role_name}-put-events"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

################################################################################
# Per region: root events -> destination bus
################################################################################

# On all CloudTrail management events: a rule in plain ENABLED state would not match read-only
# ones (the alert rules at the destination decide whether to publish them).
resource "aws_cloudwatch_event_rule" "forward" {
  for_each = var.regions
  region   = each.key

  name          = local.forward_rule_name
  description   = "Forwards root activity events of this region to ${var.destination_bus_arn}"
  event_pattern = var.event_pattern
  state         = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "forward" {
  for_each = var.regions
  region   = each.key

  rule      = aws_cloudwatch_event_rule.forward[each.key].name
  target_id = "root-activity-bus"
  arn       = var.destination_bus_arn
  role_arn  = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this]
}

################################################################################
# Per region: failed forwarding -> alarm -> its state changes -> destination bus
################################################################################

resource "aws_cloudwatch_metric_alarm" "forward_failures" {
  for_each = local.alarm_regions
  region   = each.key

  alarm_name        = local.alarm_name
  alarm_description = "EventBridge failed to forward root activity events of this region to ${var.destination_bus_arn} (AWS/Events FailedInvocations of ${local.forward_rule_name}). Its state changes are forwarded to that bus, which publishes them."

  namespace   = "AWS/Events"
  metric_name = "FailedInvocations"
  dimensions = {
    RuleName = aws_cloudwatch_event_rule.forward[each.key].name
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "alarm" {
  for_each = local.alarm_regions
  region   = each.key

  name          = local.alarm_rule_name
  description   = "Forwards the state changes of the ${local.alarm_name} alarm of this region to ${var.destination_bus_arn}"
  event_pattern = var.alarm_event_pattern

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "alarm" {
  for_each = local.alarm_regions
  region   = each.key

  rule      = aws_cloudwatch_event_rule.alarm[each.key].name
  target_id = "root-activity-bus"
  arn       = var.destination_bus_arn
  role_arn  = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this]
}

################################################################################
# Notifications (opt-in: create_notifications = true)
#
# The topic, key, publisher role, rule and alarms are ../notifications (shared with the
# single-account module), in the account that holds the function (management or delegated
# administrator account); this file adds the route the compliance changes need in an
# organization:
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
# The topic is created there (encrypted with a customer managed KMS key) unless
# notification_topic_arn names an existing one. Who may publish is as in the single-account
# module: EventBridge through a role only the central rule may assume, CloudWatch through the
# topic policy, limited to this module's alarms in this account.
################################################################################

locals {
  compliance_event_bus  = "${var.name}-compliance"
  compliance_event_rule = "${var.name}-compliance"

  # In each member account (StackSet): the rule on the default bus and its role.
  forwarding_event_rule = "${var.name}-forward"
  forwarding_role       = "${var.name}-forwarder"

  notification_topic_arn = one(module.notifications[*].topic_arn)

  # The central bus's ARN, known before it exists: the StackSet template names it.
  compliance_event_bus_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${local.compliance_event_bus}"

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
# Topic, key, subscriptions, the central rule -> topic, failure alarms
################################################################################

module "notifications" {
  source = "../notifications"
  count  = var.create_notifications ? 1 : 0

  name            = var.name
  topic_arn       = var.notification_topic_arn
  kms_key_arn     = var.notification_kms_key_arn
  key_description = "Encrypts the ${var.name}-notifications SNS topic of the ${local.rule_name} AWS Config organization rule"
  emails          = var.notification_emails

  event_bus_name   = aws_cloudwatch_event_bus.compliance[0].name
  event_pattern    = jsonencode(local.compliance_event_pattern)
  rule_description = "Compliance changes of the ${local.rule_name} AWS Config organization rule in every member account, to the notification topic"
  role_description = "EventBridge role that publishes the ${local.rule_name} compliance changes to the notification topic"
  input_template   = local.notification_input_template

  # Root activity alerts (alerts.tf): their rules on the central bus and their failure alarm.
  alert_rules                      = local.root_activity_alert_rules
  alert_failures_alarm_description = "EventBridge failed to deliver a root activity alert of an account of the organization to the notification topic (AWS/Events FailedInvocations of the ${var.name}-root-* rules on the ${local.compliance_event_bus} bus)."

  alarm_on_failures           = var.alarm_on_failures
  function_name               = module.evaluator.function_name
  maximum_execution_frequency = var.maximum_execution_frequency
  alarm_descriptions = {
    # Any failed invocation, for any account.
    evaluator_errors = "The ${module.evaluator.function_name} function failed (AWS/Lambda Errors): an account of the ${local.rule_name} AWS Config organization rule may not have been evaluated. See the log group ${module.evaluator.log_group_name}."
    # EvaluationsPosted counts the evaluations of all accounts together: this alarm fires when
    # the rule stops evaluating everywhere (not when one account stops; the aggregator shows
    # those).
    no_evaluations = "No evaluation of the ${local.rule_name} AWS Config organization rule was posted in any account for two rule periods (${var.maximum_execution_frequency}): its verdicts in Config are out of date. See the log group ${module.evaluator.log_group_name}."
    # The central rule could not publish a forwarded compliance change to the topic. (A member
    # account's forwarding failures show in that account's AWS/Events metrics.)
    notification_failures = "EventBridge failed to deliver a compliance change of the ${local.rule_name} AWS Config organization rule to the notification topic (AWS/Events FailedInvocations of ${local.compliance_event_rule} on the ${local.compliance_event_bus} bus)."
  }

  tags = local.tags
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

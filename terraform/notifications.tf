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
# The topic, its key, its policy, the subscriptions, the rule with its publisher role and
# target, and the alarms are modules/notifications (shared with the organization module; who
# may publish is described there). This file gives it this rule's pattern and message.
################################################################################

locals {
  compliance_event_rule = "${var.name}-compliance"

  notification_topic_arn = one(module.notifications[*].topic_arn)

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

  # The message is a JSON string (the template is quoted), which is what SNS e-mails show,
  # quotes included.
  notification_input_template = "\"Root user activity: account <account> is now <compliance> for AWS Config rule <rule> in <region> (<time>). <annotation> Rule in the console: https://${local.console_domain}/config/home?region=<region>#/rules/details?configRuleName=<rule>\""
}

module "notifications" {
  source = "./modules/notifications"
  count  = var.create_notifications ? 1 : 0

  name            = var.name
  topic_arn       = var.notification_topic_arn
  kms_key_arn     = var.notification_kms_key_arn
  key_description = "Encrypts the ${var.name}-notifications SNS topic of the ${local.rule_name} AWS Config rule"
  emails          = var.notification_emails

  event_pattern    = jsonencode(local.compliance_event_pattern)
  rule_description = "Compliance changes of the ${local.rule_name} AWS Config rule, to the notification topic"
  role_description = "EventBridge role that publishes the ${local.rule_name} compliance changes to the notification topic"
  input_template   = local.notification_input_template

  # Root activity alerts (alerts.tf): their rules on the default bus, their failure alarm, and
  # the re-evaluation alarm, which publishes to the topic too.
  alert_rules                      = local.root_activity_alert_rules
  alert_failures_alarm_description = "EventBridge failed to deliver a root activity alert of account ${local.account_id} to the notification topic (AWS/Events FailedInvocations of the ${var.name}-root-* rules in ${local.region})."
  extra_alarm_arns                 = aws_cloudwatch_metric_alarm.reevaluate_failures[*].arn

  alarm_on_failures           = var.alarm_on_failures
  function_name               = module.evaluator.function_name
  maximum_execution_frequency = var.maximum_execution_frequency
  alarm_descriptions = {
    evaluator_errors      = "The ${module.evaluator.function_name} function failed (AWS/Lambda Errors): the ${local.rule_name} AWS Config rule may not have evaluated. See the log group ${module.evaluator.log_group_name}."
    no_evaluations        = "No evaluation of the ${local.rule_name} AWS Config rule was posted for two rule periods (${var.maximum_execution_frequency}): its verdict in Config is out of date. See the log group ${module.evaluator.log_group_name}."
    notification_failures = "EventBridge failed to deliver a compliance change of the ${local.rule_name} AWS Config rule to the notification topic (AWS/Events FailedInvocations of ${local.compliance_event_rule})."
  }

  tags = local.tags
}

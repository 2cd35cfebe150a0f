output "topic_arn" {
  description = "ARN of the SNS topic that notifications and alarms publish to (the module's or topic_arn)."
  value       = local.topic_arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key the module created for the topic; null when it created none."
  value       = one(aws_kms_key.this[*].arn)
}

output "event_rule_arn" {
  description = "ARN of the EventBridge rule that publishes to the topic."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "role_arn" {
  description = "ARN of the IAM role through which the EventBridge rule publishes to the topic."
  value       = aws_iam_role.publisher.arn
}

output "alarm_arns" {
  description = "ARNs of the failure alarms: evaluator_errors, no_evaluations, notification_failures; null when alarm_on_failures is false."
  value = var.alarm_on_failures ? {
    evaluator_errors      = one(aws_cloudwatch_metric_alarm.evaluator_errors[*].arn)
    no_evaluations        = one(aws_cloudwatch_metric_alarm.no_evaluations[*].arn)
    notification_failures = one(aws_cloudwatch_metric_alarm.notification_failures[*].arn)
  } : null
}

output "alert_rule_arns" {
  description = "ARNs of the root activity alert rules, by key (empty without alert_rules)."
  value       = { for key, rule in aws_cloudwatch_event_rule.alert : key => rule.arn }
}

output "alert_rule_names" {
  description = "Names of the root activity alert rules, by key (empty without alert_rules)."
  value       = { for key, rule in aws_cloudwatch_event_rule.alert : key => rule.name }
}

output "alert_failures_alarm_arn" {
  description = "ARN of the alarm on FailedInvocations of the alert rules; null without alert_rules or alarm_on_failures."
  value       = one(aws_cloudwatch_metric_alarm.alert_failures[*].arn)
}

output "config_rule_name" {
  description = "Name of the AWS Config rule."
  value       = aws_config_config_rule.this.name
}

output "config_rule_arn" {
  description = "ARN of the AWS Config rule."
  value       = aws_config_config_rule.this.arn
}

output "lambda_function_name" {
  description = "Name of the Lambda function that evaluates the rule."
  value       = module.evaluator.function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function that evaluates the rule."
  value       = module.evaluator.function_arn
}

output "lambda_role_arn" {
  description = "ARN of the Lambda function's execution role."
  value       = module.evaluator.role_arn
}

output "log_group_name" {
  description = "Name of the CloudWatch log group of the Lambda function."
  value       = module.evaluator.log_group_name
}

output "config_recorder_name" {
  description = "Name of the configuration recorder the module created; null when create_config_recorder is false."
  value       = one(aws_config_configuration_recorder.this[*].name)
}

output "config_recorder_role_arn" {
  description = "ARN of the role the module's configuration recorder uses; null when create_config_recorder is false."
  value       = var.create_config_recorder ? local.recorder_role_arn : null
}

output "config_bucket_name" {
  description = "Name of the S3 bucket of the module's delivery channel; null when create_config_recorder is false."
  value       = one(aws_s3_bucket.config[*].id)
}

output "start_evaluation_command" {
  description = "AWS CLI command that runs an evaluation now instead of waiting for the next period."
  value       = "aws configservice start-config-rules-evaluation --region ${local.region} --config-rule-names ${aws_config_config_rule.this.name}"
}

output "notification_topic_arn" {
  description = "ARN of the SNS topic that notifications and alarms publish to (the module's or notification_topic_arn); null when create_notifications is false."
  value       = local.notification_topic_arn
}

output "notification_kms_key_arn" {
  description = "ARN of the KMS key the module created for the notification topic; null when it created none."
  value       = one(module.notifications[*].kms_key_arn)
}

output "compliance_event_rule_arn" {
  description = "ARN of the EventBridge rule that sends the Config rule's compliance changes to the topic; null when create_notifications is false."
  value       = one(module.notifications[*].event_rule_arn)
}

output "failure_alarm_arns" {
  description = "ARNs of the failure alarms: evaluator_errors, no_evaluations, notification_failures; null when create_notifications or alarm_on_failures is false."
  value       = one(module.notifications[*].alarm_arns)
}

################################################################################
# Conformance pack (opt-in)
################################################################################

output "conformance_pack_name" {
  description = "Name of the conformance pack; null when create_conformance_pack is false."
  value       = one(aws_config_conformance_pack.this[*].name)
}

output "conformance_pack_arn" {
  description = "ARN of the conformance pack; null when create_conformance_pack is false."
  value       = one(aws_config_conformance_pack.this[*].arn)
}

output "conformance_pack_rule_name_prefix" {
  description = "Prefix of the name AWS Config gives the pack's rule (`<name>-conformance-pack-<id>`); null when create_conformance_pack is false."
  value       = var.create_conformance_pack ? "${local.rule_name}-conformance-pack-" : null
}

output "audit_manager_keywords" {
  description = "AWS Config rule keywords (keywordValue) for an AWS Audit Manager custom control data source: the module's rule, and the pack's rule (its suffix ID removed) when create_conformance_pack is true."
  value       = concat(["Custom_${local.rule_name}"], var.create_conformance_pack ? ["Custom_${local.rule_name}-conformance-pack"] : [])
}

output "root_activity_alert_rule_arns" {
  description = "ARNs of the root activity alert rules in this region, by kind (signin, failed, signevent, api, assumed, and fwd-alarm when other regions forward); null when create_root_activity_alerts is false."
  value       = local.create_root_activity_alerts ? one(module.notifications[*].alert_rule_arns) : null
}

output "root_activity_alert_regions" {
  description = "Regions whose root events are alerted on: this region and root_activity_alert_regions; null when create_root_activity_alerts is false."
  value       = local.create_root_activity_alerts ? sort(tolist(local.root_activity_alert_regions)) : null
}

output "root_activity_forwarder_role_arn" {
  description = "ARN of the role through which the other regions' rules forward root events to this region; null when no region forwards."
  value       = one(module.root_activity_forwarding[*].role_arn)
}

output "reevaluation_state_machine_arn" {
  description = "ARN of the Step Functions state machine that re-evaluates the Config rule after a root event; null without root_activity_alert_reevaluate."
  value       = one(aws_sfn_state_machine.reevaluate[*].arn)
}

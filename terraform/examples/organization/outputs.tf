output "organization_config_rule_name" {
  description = "Name of the organization Config rule."
  value       = module.root_activity.organization_config_rule_name
}

output "member_config_rule_name_prefix" {
  description = "Prefix of the rule's name in the member accounts, in the aggregator and in Security Hub."
  value       = module.root_activity.member_config_rule_name_prefix
}

output "lambda_function_name" {
  description = "Name of the Lambda function that evaluates every account."
  value       = module.root_activity.lambda_function_name
}

output "log_group_name" {
  description = "Log group of the Lambda function."
  value       = module.root_activity.log_group_name
}

output "stack_set_name" {
  description = "StackSet that deploys the member role."
  value       = module.root_activity.stack_set_name
}

output "aggregator_name" {
  description = "AWS Config aggregator with every account's result."
  value       = module.root_activity.aggregator_name
}

output "noncompliant_accounts_query" {
  description = "Advanced query listing the NON_COMPLIANT accounts; run it against the aggregator."
  value       = module.root_activity.noncompliant_accounts_query
}

output "deployment_status_command" {
  description = "Command that shows, per account, whether the rule was deployed."
  value       = module.root_activity.deployment_status_command
}

output "notification_topic_arn" {
  description = "SNS topic of the notifications and root activity alerts, when notification_emails is set."
  value       = module.root_activity.notification_topic_arn
}

output "root_alerts_stack_set_name" {
  description = "StackSet that deploys the root activity forwarding rules in every account and alert region, when notification_emails is set."
  value       = module.root_activity.root_alerts_stack_set_name
}

output "config_rule_name" {
  description = "Name of the AWS Config rule."
  value       = module.root_activity.config_rule_name
}

output "lambda_function_name" {
  description = "Name of the Lambda function that evaluates the rule."
  value       = module.root_activity.lambda_function_name
}

output "log_group_name" {
  description = "Log group of the Lambda function."
  value       = module.root_activity.log_group_name
}

output "config_bucket_name" {
  description = "Bucket of the Config delivery channel, when the module created one."
  value       = module.root_activity.config_bucket_name
}

output "start_evaluation_command" {
  description = "Command that runs an evaluation now."
  value       = module.root_activity.start_evaluation_command
}

output "notification_topic_arn" {
  description = "SNS topic of the notifications, when notification_emails is set."
  value       = module.root_activity.notification_topic_arn
}

output "root_activity_alert_regions" {
  description = "Regions whose root activity is alerted on, when notification_emails is set."
  value       = module.root_activity.root_activity_alert_regions
}

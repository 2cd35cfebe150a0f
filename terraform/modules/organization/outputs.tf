output "organization_config_rule_name" {
  description = "Name of the organization Config rule (in this account)."
  value       = aws_config_organization_custom_rule.this.name
}

output "organization_config_rule_arn" {
  description = "ARN of the organization Config rule."
  value       = aws_config_organization_custom_rule.this.arn
}

output "member_config_rule_name_prefix" {
  description = "Prefix of the rule's name in each member account (`OrgConfigRule-<name>-<suffix>`), as it appears in the aggregator and in Security Hub."
  value       = local.member_rule_name_prefix
}

output "lambda_function_name" {
  description = "Name of the Lambda function that evaluates every account."
  value       = module.evaluator.function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function that evaluates every account."
  value       = module.evaluator.function_arn
}

output "lambda_role_arn" {
  description = "ARN of the function's execution role, the only principal the member roles trust."
  value       = module.evaluator.role_arn
}

output "log_group_name" {
  description = "Name of the CloudWatch log group of the Lambda function (one line per evaluated account)."
  value       = module.evaluator.log_group_name
}

output "member_role_name" {
  description = "Name of the role the function assumes in every account (rule parameter executionRoleName)."
  value       = var.member_role_name
}

output "member_role_template_body" {
  description = "The StackSet's CloudFormation template: deploy it as a stack in an account the StackSet does not reach (the management account in a delegated administrator deployment)."
  value       = jsonencode(local.stack_set_template)
}

output "stack_set_name" {
  description = "Name of the StackSet that deploys the member role."
  value       = aws_cloudformation_stack_set.member_role.name
}

output "aggregator_name" {
  description = "Name of the organization aggregator; null when create_aggregator is false."
  value       = one(aws_config_configuration_aggregator.organization[*].name)
}

output "aggregator_arn" {
  description = "ARN of the organization aggregator; null when create_aggregator is false."
  value       = one(aws_config_configuration_aggregator.organization[*].arn)
}

output "noncompliant_accounts_query" {
  description = "AWS Config advanced query that lists the NON_COMPLIANT accounts of the organization (run it against the aggregator)."
  value       = local.noncompliant_accounts_query
}

output "deployment_status_command" {
  description = "AWS CLI command that shows, per member account, whether the rule was deployed there."
  value       = "aws configservice get-organization-config-rule-detailed-status --region ${local.region} --organization-config-rule-name ${aws_config_organization_custom_rule.this.name}"
}

output "notification_topic_arn" {
  description = "ARN of the SNS topic that notifications and alarms publish to (the module's or notification_topic_arn); null when create_notifications is false."
  value       = local.notification_topic_arn
}

output "notification_kms_key_arn" {
  description = "ARN of the KMS key the module created for the notification topic; null when it created none."
  value       = one(module.notifications[*].kms_key_arn)
}

output "compliance_event_bus_arn" {
  description = "ARN of the event bus `<name>-compliance` to which every member account forwards the rule's compliance changes; null when create_notifications is false."
  value       = one(aws_cloudwatch_event_bus.compliance[*].arn)
}

output "compliance_event_rule_arn" {
  description = "ARN of the EventBridge rule on the central bus that sends the compliance changes to the topic; null when create_notifications is false."
  value       = one(module.notifications[*].event_rule_arn)
}

output "failure_alarm_arns" {
  description = "ARNs of the failure alarms: evaluator_errors, no_evaluations, notification_failures; null when create_notifications or alarm_on_failures is false."
  value       = one(module.notifications[*].alarm_arns)
}

################################################################################
# Organization conformance pack (opt-in)
################################################################################

output "organization_conformance_pack_name" {
  description = "Name of the organization conformance pack; in each account AWS Config names the pack `OrgConformsPack-<name>-<suffix>`. Null when create_conformance_pack is false."
  value       = one(aws_config_organization_conformance_pack.this[*].name)
}

output "organization_conformance_pack_arn" {
  description = "ARN of the organization conformance pack; null when create_conformance_pack is false."
  value       = one(aws_config_organization_conformance_pack.this[*].arn)
}

output "conformance_pack_rule_name_prefix" {
  description = "Prefix of the name AWS Config gives the pack's rule in each account (`<name>-conformance-pack-<id>`); null when create_conformance_pack is false."
  value       = var.create_conformance_pack ? "${local.rule_name}-conformance-pack-" : null
}

output "audit_manager_keywords" {
  description = "AWS Config rule keywords (keywordValue) for an AWS Audit Manager custom control data source: the organization rule as it is named in the accounts, and the pack's rule when create_conformance_pack is true, each without the suffix ID AWS Config adds."
  value       = concat(["Custom_OrgConfigRule-${local.rule_name}"], var.create_conformance_pack ? ["Custom_${local.rule_name}-conformance-pack"] : [])
}

output "root_activity_alert_rule_arns" {
  description = "ARNs of the root activity alert rules on the central bus, by kind (signin, failed, signevent, api, assumed, fwd-alarm); null when create_root_activity_alerts is false."
  value       = local.create_root_activity_alerts ? one(module.notifications[*].alert_rule_arns) : null
}

output "root_activity_alert_regions" {
  description = "Regions whose root events every account forwards: this region and root_activity_alert_regions; null when create_root_activity_alerts is false."
  value       = local.create_root_activity_alerts ? sort(tolist(local.root_activity_alert_regions)) : null
}

output "root_alerts_stack_set_name" {
  description = "Name of the StackSet that deploys the forwarding rules in every account and alert region; null when create_root_activity_alerts is false."
  value       = one(aws_cloudformation_stack_set.root_alerts[*].name)
}

output "root_alerts_template_body" {
  description = "The regional StackSet's CloudFormation template: deploy it as a stack in each alert region of an account the StackSet does not reach (the management account in a delegated administrator deployment), together with member_role_template_body (which holds the forwarding role); null when create_root_activity_alerts is false."
  value       = local.create_root_activity_alerts ? jsonencode(local.root_alerts_template) : null
}

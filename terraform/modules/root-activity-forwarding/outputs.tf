output "role_arn" {
  description = "ARN of the role `<name>-root-forwarder` through which every forwarding rule sends to the destination bus."
  value       = aws_iam_role.this.arn
}

output "forward_rule_arns" {
  description = "ARNs of the forwarding rules, by region."
  value       = { for region, rule in aws_cloudwatch_event_rule.forward : region => rule.arn }
}

output "alarm_arns" {
  description = "ARNs of the forwarding alarms, by region (empty without alarm_on_failures)."
  value       = { for region, alarm in aws_cloudwatch_metric_alarm.forward_failures : region => alarm.arn }
}

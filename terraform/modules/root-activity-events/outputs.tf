output "root_event_pattern" {
  description = "Event pattern (JSON) of every root event, sign-ins and API calls, read-only calls included: what the forwarding rules send on in every region and account."
  value       = jsonencode(local.root_event_pattern)
}

output "root_event_pattern_object" {
  description = "The same pattern as an object, for CloudFormation templates (AWS::Events::Rule EventPattern takes an object)."
  value       = local.root_event_pattern
}

output "alerts" {
  description = "The alert rules, by key: description, event_pattern (JSON), input_paths and input_template of the message, and the rule's state. Every root event matches exactly one of signin, failed, signevent, api, assumed (api and assumed follow read_only); fwd-alarm matches the forwarding alarms' state changes."
  value       = local.alerts
}

output "root_event_alert_keys" {
  description = "Keys of the alerts on root events (all but fwd-alarm), sorted."
  value       = local.root_event_alert_keys
}

output "forwarding_alarm_event_pattern" {
  description = "Event pattern (JSON) of the forwarding alarm's state changes, which the forwarding rules send on with the root events from every region and account (the fwd-alarm alert then picks ALARM, and OK after ALARM)."
  value       = jsonencode(local.forwarding_alarm_source_pattern)
}

output "forwarding_alarm_event_pattern_object" {
  description = "The same pattern as an object, for CloudFormation templates."
  value       = local.forwarding_alarm_source_pattern
}

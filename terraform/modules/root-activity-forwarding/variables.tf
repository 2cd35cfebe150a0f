variable "name" {
  description = "Prefix of the names: the forwarding rule `<name>-root-forward` and the alarm-forwarding rule `<name>-root-alarm-fwd` in every region, the alarm `<name>-root-forward-failures` in every region, and the role `<name>-root-forwarder`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,47}$", var.name))
    error_message = "The name must start with a letter and have at most 48 letters, digits, hyphens or underscores."
  }
}

variable "regions" {
  description = "Regions to forward root events from: one forwarding rule (and, with alarm_on_failures, one alarm and one alarm-forwarding rule) per region, placed with the provider's per-resource region argument. Region names, such as us-east-1."
  type        = set(string)

  validation {
    condition     = alltrue([for region in var.regions : can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", region))])
    error_message = "Each region must be a region name such as us-east-1 or eu-central-2."
  }
}

variable "destination_bus_arn" {
  description = "ARN of the event bus the root events go to: the default bus of the home region (single account) or the organization's central bus. EventBridge sends to an event bus in another region or account as a target (EventBridge User Guide, \"Sending and receiving events between AWS Regions\"), through the role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._-]{1,256}$", var.destination_bus_arn))
    error_message = "The destination must be an event bus ARN (arn:<partition>:events:<region>:<account>:event-bus/<name>)."
  }
}

variable "event_pattern" {
  description = "Event pattern (JSON) of the root events to forward (the root-activity-events module's root_event_pattern)."
  type        = string
}

variable "alarm_event_pattern" {
  description = "Event pattern (JSON) of the forwarding alarm's state changes to forward (the root-activity-events module's forwarding_alarm_event_pattern); used only with alarm_on_failures."
  type        = string
}

variable "alarm_on_failures" {
  description = "In every region, a CloudWatch alarm `<name>-root-forward-failures` on FailedInvocations of the forwarding rule, whose state changes are forwarded to the destination bus like the root events (an alarm can only notify a topic of its own region)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags of every taggable resource the module creates."
  type        = map(string)
  default     = {}
}

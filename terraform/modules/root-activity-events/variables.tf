variable "read_only" {
  description = "Alert on read-only root API calls too (readOnly = true, such as Describe*, Get*, List*). False alerts only on calls that may change something, on sign-in events and on calls without a readOnly field."
  type        = bool
  default     = true
}

variable "console_domain" {
  description = "Host of the AWS Management Console of the partition, for the link to the event in CloudTrail (console.aws.amazon.com, console.amazonaws.cn, console.amazonaws-us-gov.com)."
  type        = string

  validation {
    condition     = contains(["console.aws.amazon.com", "console.amazonaws.cn", "console.amazonaws-us-gov.com"], var.console_domain)
    error_message = "The console domain must be console.aws.amazon.com, console.amazonaws.cn or console.amazonaws-us-gov.com."
  }
}

variable "forwarding_alarm_name" {
  description = "Name of the CloudWatch alarm on FailedInvocations of the forwarding rules in every region (and account) that forwards root events; its state changes, forwarded like the root events, become the forwarding-alarm alert."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,255}$", var.forwarding_alarm_name))
    error_message = "The alarm name must be 1-255 letters, digits, dots, hyphens or underscores."
  }
}

variable "forwarding_rule_name" {
  description = "Name of the EventBridge rule that forwards root events in every region (and account), named in the forwarding-alarm message."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,64}$", var.forwarding_rule_name))
    error_message = "The rule name must be 1-64 letters, digits, dots, hyphens or underscores."
  }
}

variable "message_suffix" {
  description = "Text appended to the message of every root event alert (after a space), such as when AWS Config re-evaluates the rule. Empty adds nothing."
  type        = string
  default     = ""

  validation {
    condition     = length(var.message_suffix) <= 500 && !strcontains(var.message_suffix, "\"") && !strcontains(var.message_suffix, "<") && !strcontains(var.message_suffix, "\\") && !can(regex("[\\x00-\\x1f]", var.message_suffix))
    error_message = "The message suffix must be at most 500 characters without quotes, backslashes, control characters or \"<\" (the input template is a JSON string whose <...> are placeholders)."
  }
}

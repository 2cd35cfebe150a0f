variable "name" {
  description = "Prefix of the names: topic and KMS alias `<name>-notifications`, EventBridge role `<name>-notifications`, EventBridge rule `<name>-compliance`, alarms `<name>-evaluator-errors`, `<name>-no-evaluations`, `<name>-notification-failures`. Also the topic's display name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,47}$", var.name))
    error_message = "The name must start with a letter and have at most 48 letters, digits, hyphens or underscores."
  }
}

variable "topic_arn" {
  description = "ARN of an existing standard SNS topic in the module's region to publish to. Null creates a topic `<name>-notifications` encrypted with a KMS key (see kms_key_arn)."
  type        = string
  default     = null

  validation {
    condition     = var.topic_arn == null ? true : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.topic_arn))
    error_message = "The notification topic must be the ARN of a standard (not FIFO) SNS topic: arn:<partition>:sns:<region>:<account>:<name>."
  }
}

variable "kms_key_arn" {
  description = "KMS key of the topic. For the topic the module creates: null creates a customer managed key; a key ARN uses that key. With topic_arn: the key that topic is encrypted with (null if it is not), so that the EventBridge role may use it."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The notification KMS key must be a key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "key_description" {
  description = "Description of the KMS key the module creates for the topic."
  type        = string
}

variable "emails" {
  description = "E-mail addresses to subscribe to the topic. SNS sends each one a confirmation e-mail; nothing is delivered to an address before it is confirmed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for email in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "Each notification e-mail must be an address of the form name@example.com."
  }
}

variable "event_bus_name" {
  description = "Event bus of the EventBridge rule that publishes to the topic; null for the default bus of the account."
  type        = string
  default     = null
}

variable "event_pattern" {
  description = "Event pattern (JSON) of the EventBridge rule that publishes to the topic."
  type        = string
}

variable "rule_description" {
  description = "Description of the EventBridge rule that publishes to the topic."
  type        = string
}

variable "role_description" {
  description = "Description of the IAM role through which the EventBridge rule publishes to the topic."
  type        = string
}

variable "input_paths" {
  description = "Input paths of the target's input transformer: variable name -> JSON path in the event. Every path must be in every event the pattern matches. The default: the paths of an AWS Config compliance change that both deployments use (every one is in every such event of this rule: the function always posts an annotation; oldEvaluationResult, absent on the first evaluation, is not used)."
  type        = map(string)
  default = {
    account    = "$.detail.awsAccountId"
    region     = "$.detail.awsRegion"
    rule       = "$.detail.configRuleName"
    compliance = "$.detail.newEvaluationResult.complianceType"
    annotation = "$.detail.newEvaluationResult.annotation"
    time       = "$.time"
  }
}

variable "input_template" {
  description = "Input template of the target's input transformer: the message published to the topic, `<variable>` for the input paths."
  type        = string
}

variable "alarm_on_failures" {
  description = "CloudWatch alarms that publish to the topic (on ALARM and on OK) when the function reports errors, when no evaluation was posted for two rule periods, and when EventBridge fails to deliver to the topic."
  type        = bool
  default     = true
}

variable "function_name" {
  description = "Name of the Lambda function whose Errors and EvaluationsPosted (its `service` dimension) the alarms watch."
  type        = string
}

variable "maximum_execution_frequency" {
  description = "Period of the AWS Config rule; the no-evaluations alarm fires when none was posted in two of them."
  type        = string

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.maximum_execution_frequency)
    error_message = "The maximum execution frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "alarm_descriptions" {
  description = "Descriptions of the alarms evaluator_errors, no_evaluations and notification_failures."
  type = object({
    evaluator_errors      = string
    no_evaluations        = string
    notification_failures = string
  })
}

variable "tags" {
  description = "Tags of every taggable resource the module creates."
  type        = map(string)
  default     = {}
}

variable "alert_rules" {
  description = "Root activity alerts: key -> an EventBridge rule `<name>-root-<key>` on event_bus_name with this description, event pattern (JSON) and state, whose target publishes the input transformer's message (input_paths, input_template) to the topic through the publisher role. Keys are 1-9 lowercase letters, digits or hyphens, so that rule names fit in 64 characters. Empty creates none."
  type = map(object({
    description    = string
    event_pattern  = string
    input_paths    = map(string)
    input_template = string
    state          = string
  }))
  default = {}

  validation {
    condition     = alltrue([for key in keys(var.alert_rules) : can(regex("^[a-z0-9-]{1,9}$", key))])
    error_message = "Each alert key must be 1-9 lowercase letters, digits or hyphens."
  }

  validation {
    condition     = alltrue([for alert in values(var.alert_rules) : contains(["ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"], alert.state)])
    error_message = "Each alert rule's state must be ENABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS."
  }

  validation {
    # EventBridge limits: rule description 512, event pattern 4096, input template 8192
    # characters, 100 input paths.
    condition     = alltrue([for alert in values(var.alert_rules) : length(alert.description) <= 512 && length(alert.event_pattern) <= 4096 && length(alert.input_template) <= 8192 && length(alert.input_paths) <= 100])
    error_message = "Each alert must fit EventBridge's limits: description 512, event pattern 4096, input template 8192 characters, at most 100 input paths."
  }
}

variable "alert_failures_alarm_description" {
  description = "Description of the alarm `<name>-root-alert-failures` on FailedInvocations of the alert rules (created with alarm_on_failures when alert_rules is not empty)."
  type        = string
  default     = null
}

variable "extra_alarm_arns" {
  description = "ARNs of the caller's own CloudWatch alarms that publish to the module's topic (such as the single-account module's re-evaluation alarm): the topic policy lets CloudWatch publish for them too. Used only with alarm_on_failures on the module's topic."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.extra_alarm_arns : can(regex("^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:[0-9]{12}:alarm:.+$", arn))])
    error_message = "Each extra alarm ARN must be a CloudWatch alarm ARN (arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>)."
  }
}

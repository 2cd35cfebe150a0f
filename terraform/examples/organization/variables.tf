variable "region" {
  description = "Home region: the rule runs, the member role is deployed and results are aggregated here. Null uses the region of the environment."
  type        = string
  default     = null
}

variable "name" {
  description = "Name of the organization Config rule, the Lambda function and the aggregator."
  type        = string
  default     = "root-activity"
}

variable "lookback_days" {
  description = "Root user activity within this many days makes an account NON_COMPLIANT."
  type        = number
  default     = 30
}

variable "fail_on_active_access_keys" {
  description = "Also report NON_COMPLIANT while the root user of an account has an active access key, used or not. The module's default is false (root use alone decides); this example turns it on because an active root access key is itself a finding of CIS AWS Foundations (no root access key) and Security Hub (IAM.4), and is the credential an attacker would use."
  type        = bool
  default     = true
}

variable "call_as" {
  description = "SELF when applying with management account credentials, DELEGATED_ADMIN from a delegated administrator account."
  type        = string
  default     = "SELF"
}

variable "organizational_unit_ids" {
  description = "Root or OU IDs to deploy the member role to; empty means the whole organization (management account only)."
  type        = list(string)
  default     = []
}

variable "excluded_accounts" {
  description = "Account IDs the rule does not evaluate."
  type        = list(string)
  default     = []
}

variable "notification_emails" {
  description = "E-mail addresses told when an account's verdict changes, when the evaluator fails, and within minutes of root activity in any account. Empty creates no notifications and no alerts."
  type        = list(string)
  default     = []
}

variable "root_activity_alert_regions" {
  description = "Regions whose root activity is alerted on in every account, besides the home region (us-east-1 holds root console sign-ins and IAM calls). Used when notification_emails is set."
  type        = list(string)
  default     = ["us-east-1"]
}

variable "tags" {
  description = "Tags for every resource, including the member roles."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "Region to deploy the rule in (one region per account is enough). Null uses the region of the environment."
  type        = string
  default     = null
}

variable "name" {
  description = "Name of the Config rule and the Lambda function."
  type        = string
  default     = "root-activity"
}

variable "lookback_days" {
  description = "Root user activity within this many days makes the account NON_COMPLIANT."
  type        = number
  default     = 30
}

variable "fail_on_active_access_keys" {
  description = "Also report NON_COMPLIANT while the root user has an active access key, used or not. The module's default is false (root use alone decides); this example turns it on because an active root access key is itself a finding of CIS AWS Foundations (no root access key) and Security Hub (IAM.4), and is the credential an attacker would use."
  type        = bool
  default     = true
}

variable "create_config_recorder" {
  description = "Create an AWS Config recorder, delivery channel and bucket (only where Config does not record yet)."
  type        = bool
  default     = false
}

variable "config_bucket_force_destroy" {
  description = "Let terraform destroy delete the Config bucket with its history files."
  type        = bool
  default     = false
}

variable "notification_emails" {
  description = "E-mail addresses told when the account becomes NON_COMPLIANT or COMPLIANT again and when the evaluator fails. Empty creates no notifications."
  type        = list(string)
  default     = []
}

variable "root_activity_alert_regions" {
  description = "Regions whose root activity is alerted on besides the deployment's region (us-east-1 holds root console sign-ins and IAM calls). List every enabled region for complete coverage. Used when notification_emails is set."
  type        = list(string)
  default     = ["us-east-1"]
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

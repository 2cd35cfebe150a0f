################################################################################
# General
################################################################################

variable "name" {
  description = "Name of the organization Config rule, the Lambda function and the aggregator, and prefix of the roles (`<name>-lambda`, `<name>-config-aggregator`), the StackSets (`<name>-member-role`, `<name>-root-alerts`) and the log group (`/aws/lambda/<name>`). Letters, digits and `-`, starting with a letter, at most 46 characters: StackSet names allow no `_`, and every derived name fits its limit."
  type        = string
  default     = "root-activity"

  validation {
    # CloudFormation StackSet names: ^[a-zA-Z][-a-zA-Z0-9]*$ (CreateStackSet; the provider's validation).
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,45}$", var.name))
    error_message = "The name must start with a letter, contain only letters, digits and hyphens (no underscores: it names the StackSets), and be at most 46 characters long."
  }
}

variable "tags" {
  description = "Tags applied to every resource the module creates that supports tags, including the member roles the StackSet creates. The provider's default_tags are merged by the provider."
  type        = map(string)
  default     = {}
}

variable "call_as" {
  description = "Where Terraform runs: `SELF` in the organization's management account, `DELEGATED_ADMIN` in a member account registered as delegated administrator for AWS Config (`config-multiaccountsetup.amazonaws.com`, `config.amazonaws.com`) and for StackSets (`member.org.stacksets.cloudformation.amazonaws.com`)."
  type        = string
  default     = "SELF"

  validation {
    condition     = contains(["SELF", "DELEGATED_ADMIN"], var.call_as)
    error_message = "call_as must be SELF (management account) or DELEGATED_ADMIN."
  }
}

variable "deployment_timeouts" {
  description = "How long Terraform waits for each organization-wide deployment to finish in every account, on create, update and delete: the StackSet instances (member roles, forwarding rules), the organization Config rule and the organization conformance pack. The provider's defaults (5 minutes for the organization rule, 10 for the pack, 30 for stack instances) are short for organizations with hundreds of accounts. Durations such as 60m, 2h or 1h30m."
  type = object({
    create = optional(string, "60m")
    update = optional(string, "60m")
    delete = optional(string, "60m")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for timeout in [var.deployment_timeouts.create, var.deployment_timeouts.update, var.deployment_timeouts.delete] : timeout != "" && can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", timeout))])
    error_message = "Each deployment timeout must be a duration of hours, minutes and seconds such as 60m, 2h or 1h30m."
  }
}

################################################################################
# Member accounts
################################################################################

variable "member_role_name" {
  description = "Name of the role the function assumes in every evaluated account (rule parameter executionRoleName). The StackSet creates it in the member accounts; it trusts only the function's execution role and may only read the credential report and post evaluations."
  type        = string
  default     = "root-activity-member"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.member_role_name))
    error_message = "The member role name must be 1-64 characters from A-Z a-z 0-9 + = , . @ _ - (no path)."
  }
}

variable "organizational_unit_ids" {
  description = "Organization root or OU IDs the StackSet deploys the member role to; accounts that join them later get it automatically. Empty means the organization root (every account), which needs the management account (call_as = SELF); from a delegated administrator, list the IDs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.organizational_unit_ids : can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", id))])
    error_message = "Each ID must be an organization root ID (r-...) or an OU ID (ou-...-...)."
  }
}

variable "create_member_role_in_this_account" {
  description = "Create the member role directly in the account Terraform runs in. StackSets never deploy to the management account, so this is how the management account is evaluated when call_as = SELF. Must be false with DELEGATED_ADMIN: there the StackSet already covers this account (see the README for the management account)."
  type        = bool
  default     = true
}

variable "stack_set_failure_tolerance_percentage" {
  description = "Percentage of accounts per region in which the StackSet may fail to create the member role before CloudFormation stops the operation."
  type        = number
  default     = 10

  validation {
    condition     = var.stack_set_failure_tolerance_percentage >= 0 && var.stack_set_failure_tolerance_percentage <= 100 && var.stack_set_failure_tolerance_percentage == floor(var.stack_set_failure_tolerance_percentage)
    error_message = "The failure tolerance must be a whole percentage from 0 to 100."
  }
}

variable "stack_set_max_concurrent_percentage" {
  description = "Percentage of accounts in which the StackSet creates or updates the member role at the same time."
  type        = number
  default     = 25

  validation {
    condition     = var.stack_set_max_concurrent_percentage >= 1 && var.stack_set_max_concurrent_percentage <= 100 && var.stack_set_max_concurrent_percentage == floor(var.stack_set_max_concurrent_percentage)
    error_message = "The concurrency must be a whole percentage from 1 to 100."
  }
}

################################################################################
# Lambda function
################################################################################

variable "lambda_zip_path" {
  description = "Path to a zip of the function (index.mjs exporting `handler` at its root), such as `dist/lambda.zip` that `npm run build` writes, for development. Null deploys the zip committed in the repository (`modules/evaluator/lambda.zip`, the release's build), which a git:: source or a checkout of a tag has: no build is needed. The function is redeployed whenever the file's content changes. Not with lambda_s3_bucket."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_zip_path == null ? true : can(regex("[.]zip$", var.lambda_zip_path))
    error_message = "lambda_zip_path must be the path of a .zip file."
  }
}

variable "lambda_s3_bucket" {
  description = "S3 bucket that holds the function's zip, in the function's region, for organizations that host their own artifacts; with lambda_s3_key. Null deploys the local zip (lambda_zip_path, or this module's)."
  type        = string
  default     = null

  # Lambda's S3Bucket (3-63 characters) and S3's bucket naming rules.
  validation {
    condition     = var.lambda_s3_bucket == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.lambda_s3_bucket)) && !strcontains(var.lambda_s3_bucket, "..")
    error_message = "lambda_s3_bucket must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two dots in a row."
  }
}

variable "lambda_s3_key" {
  description = "Key of the function's zip in lambda_s3_bucket. Without lambda_s3_object_version, Terraform redeploys the function only when the key changes: upload each release under a new key, or pin the version."
  type        = string
  default     = null

  # Lambda's S3Key: 1-1024 characters.
  validation {
    condition     = var.lambda_s3_key == null ? true : length(var.lambda_s3_key) >= 1 && length(var.lambda_s3_key) <= 1024
    error_message = "lambda_s3_key must be 1-1024 characters."
  }
}

variable "lambda_s3_object_version" {
  description = "Version of the object lambda_s3_key in a versioned bucket. Terraform redeploys the function whenever it changes, so a new upload under the same key is deployed by passing its version. Null takes the object's latest version at the first apply and does not follow later uploads."
  type        = string
  default     = null

  # Lambda's S3ObjectVersion: 1-1024 characters.
  validation {
    condition     = var.lambda_s3_object_version == null ? true : length(var.lambda_s3_object_version) >= 1 && length(var.lambda_s3_object_version) <= 1024
    error_message = "lambda_s3_object_version must be 1-1024 characters."
  }
}

variable "runtime" {
  description = "Lambda runtime. nodejs20.x is no longer accepted for new functions."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.runtime)
    error_message = "The runtime must be nodejs22.x or nodejs24.x."
  }
}

variable "architecture" {
  description = "Instruction set of the function. The bundle is plain JavaScript and runs on both; arm64 costs less per GB-second."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB. 128 until the benchmark (`npm run bench`) measures the function."
  type        = number
  default     = 128

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && var.memory_size == floor(var.memory_size)
    error_message = "The memory size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Function timeout in seconds, per evaluated account. It covers assuming the member role and waiting for IAM to generate that account's credential report."
  type        = number
  default     = 120

  validation {
    condition     = var.timeout >= 10 && var.timeout <= 900 && var.timeout == floor(var.timeout)
    error_message = "The timeout must be a whole number of seconds from 10 to 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrent evaluations the function may run; null reserves nothing (the account's unreserved pool). Config invokes the function once per account per period, asynchronously: with a cap, invocations beyond it wait in Lambda's queue and are retried, which smooths STS and Lambda load in organizations with thousands of accounts."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null ? true : var.reserved_concurrent_executions >= 1 && var.reserved_concurrent_executions == floor(var.reserved_concurrent_executions)
    error_message = "The reserved concurrency must be null or a whole number, at least 1."
  }
}

variable "log_level" {
  description = "Log level of the function (LOG_LEVEL and Lambda's application log level)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "The log level must be one of DEBUG, INFO, WARN, ERROR."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the function's logs; 0 keeps them forever."
  type        = number
  default     = 90

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The retention must be one CloudWatch Logs accepts: 0 (never expire), 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_group_kms_key_arn" {
  description = "ARN of a KMS key to encrypt the log group with; its key policy must allow the CloudWatch Logs service principal of the region. Null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_group_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_group_kms_key_arn))
    error_message = "The log group KMS key must be a key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "maximum_retry_attempts" {
  description = "How often Lambda retries a failed asynchronous invocation from Config (0-2). Retries cover transient STS, IAM or Config errors; each one is another billed invocation."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 2 && var.maximum_retry_attempts == floor(var.maximum_retry_attempts)
    error_message = "The retry attempts must be 0, 1 or 2."
  }
}

variable "lambda_invoke_source_account_ids" {
  description = "Accounts whose AWS Config may invoke the function, one permission (aws:SourceAccount) per account. Empty lets AWS Config of any account invoke it, which organization rules need at scale: AWS Config invokes the function from each member account, and a Lambda policy allows neither an account wildcard nor an organization condition for a service principal. List the accounts (including this one) only for small, stable organizations: at most 50, so that the function's policy stays within Lambda's 20 KB; new accounts are not evaluated until listed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.lambda_invoke_source_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Each account ID must be 12 digits."
  }

  validation {
    # A function's resource-based policy holds at most 20 KB (Lambda quotas); each statement takes
    # about 300 bytes.
    condition     = length(var.lambda_invoke_source_account_ids) <= 50
    error_message = "List at most 50 accounts in lambda_invoke_source_account_ids (Lambda's 20 KB function policy); leave it empty for larger organizations."
  }
}

################################################################################
# Organization Config rule
################################################################################

variable "maximum_execution_frequency" {
  description = "How often Config runs the periodic evaluation in every account. The credential report is regenerated at most every 4 hours, so a shorter period re-reads the same report."
  type        = string
  default     = "TwentyFour_Hours"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.maximum_execution_frequency)
    error_message = "The frequency must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours."
  }
}

variable "lookback_days" {
  description = "Rule parameter lookbackDays: root user activity within this many days makes the account NON_COMPLIANT."
  type        = number
  default     = 30

  validation {
    condition     = var.lookback_days >= 1 && var.lookback_days <= 3650 && var.lookback_days == floor(var.lookback_days)
    error_message = "The lookback must be a whole number of days from 1 to 3650."
  }
}

variable "fail_on_active_access_keys" {
  description = "Rule parameter failOnActiveAccessKeys: when true, an active root access key makes the account NON_COMPLIANT even if it was not used."
  type        = bool
  default     = false
}

variable "excluded_accounts" {
  description = "Accounts the organization rule does not evaluate (for example accounts being closed), at most 1000. The management account is evaluated unless listed here."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.excluded_accounts : can(regex("^[0-9]{12}$", id))])
    error_message = "Each excluded account must be a 12-digit account ID."
  }

  validation {
    # PutOrganizationConfigRule and PutOrganizationConformancePack: ExcludedAccounts, at most 1000.
    condition     = length(var.excluded_accounts) <= 1000
    error_message = "List at most 1000 excluded accounts (AWS Config's limit)."
  }
}

################################################################################
# CloudTrail evidence
################################################################################

variable "cloudtrail_lookup" {
  description = "Rule parameter cloudTrailLookup: the rule also reads CloudTrail event history (the last 90 days of management events, free, no trail needed) in every enabled region, so that a root sign-in or API call the credential report has not caught up with (it is up to 4 hours old) makes the account NON_COMPLIANT. Grants cloudtrail:LookupEvents, iam:ListAccountAliases (root events carry the account alias as user name once one is set) and account:ListRegions to the member role in every account (never to the function's own role, which only assumes the member role); false grants none of them and the rule reads the credential report only."
  type        = bool
  default     = true
}

variable "cloudtrail_regions" {
  description = "Rule parameter cloudTrailRegions: the regions whose event history the rule reads, instead of every enabled region found with account:ListRegions. Empty (the default) discovers them on every evaluation, so a region enabled later is covered. Region names such as us-east-1, each once, at most 50 and 700 characters joined with commas (every commercial region fits). Used only with cloudtrail_lookup."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for region in var.cloudtrail_regions : can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", region))])
    error_message = "Each CloudTrail region must be a region name such as us-east-1 or eu-central-2."
  }

  validation {
    condition     = length(distinct(var.cloudtrail_regions)) == length(var.cloudtrail_regions)
    error_message = "List each CloudTrail region once."
  }

  validation {
    # The function takes at most 50 (rule/params.ts).
    condition     = length(var.cloudtrail_regions) <= 50
    error_message = "List at most 50 CloudTrail regions."
  }

  validation {
    # AWS Config takes at most 1024 characters of rule parameters (ConfigRule.InputParameters and
    # OrganizationCustomRuleMetadata.InputParameters: StringWithCharLimit1024); the other
    # parameters, executionRoleName included, take at most about 240.
    condition     = length(join(",", var.cloudtrail_regions)) <= 700
    error_message = "The CloudTrail regions, joined with commas, must be at most 700 characters (AWS Config takes 1024 characters of rule parameters): list fewer, or none to read every enabled region."
  }
}

variable "count_centralized_root_sessions" {
  description = "Rule parameter countCentralizedRootSessions: when true, events of root sessions opened with sts:AssumeRoot (centralized root access, from the management account or the IAM delegated administrator) count as root use. False (the default) names them in the annotation without making the account NON_COMPLIANT. Used only with cloudtrail_lookup."
  type        = bool
  default     = false
}

################################################################################
# Aggregator
################################################################################

variable "create_aggregator" {
  description = "Create an AWS Config aggregator over the whole organization, with its role, so every account's result is visible in this account. Needs the management account or a delegated administrator for `config.amazonaws.com`."
  type        = bool
  default     = true
}

variable "aggregator_all_regions" {
  description = "Aggregate every current and future region. False aggregates only the region of this deployment, where the rule runs."
  type        = bool
  default     = false
}

################################################################################
# Notifications
################################################################################

variable "create_notifications" {
  description = "Opt-in notifications, in this account: failure alarms of the function (with alarm_on_failures) and the compliance changes of every member account, which the StackSet forwards from each member account's default event bus to the event bus `<name>-compliance` here; both publish to an SNS topic. Off by default."
  type        = bool
  default     = false
}

variable "notification_topic_arn" {
  description = "ARN of an existing standard SNS topic in this account's region to publish to. Null creates a topic `<name>-notifications` encrypted with a KMS key (see notification_kms_key_arn). An existing topic must let this account's IAM roles publish, and CloudWatch publish for the alarms; when it is encrypted, pass its key as notification_kms_key_arn. Used only with create_notifications."
  type        = string
  default     = null

  validation {
    condition     = var.notification_topic_arn == null ? true : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.notification_topic_arn))
    error_message = "The notification topic must be the ARN of a standard (not FIFO) SNS topic: arn:<partition>:sns:<region>:<account>:<name>."
  }
}

variable "notification_kms_key_arn" {
  description = "KMS key of the notification topic. For the topic the module creates: null creates a customer managed key (the AWS managed key alias/aws/sns cannot be used by EventBridge or CloudWatch alarms); a key ARN uses that key, whose policy must let this account's IAM policies grant its use and let cloudwatch.amazonaws.com use it. With notification_topic_arn: the key that topic is encrypted with (null if it is not), so that the EventBridge role may use it. Used only with create_notifications."
  type        = string
  default     = null

  validation {
    condition     = var.notification_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.notification_kms_key_arn))
    error_message = "The notification KMS key must be a key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "notification_emails" {
  description = "E-mail addresses to subscribe to the notification topic. SNS sends each one a confirmation e-mail; nothing is delivered to an address before it is confirmed. Used only with create_notifications."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for email in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "Each notification e-mail must be an address of the form name@example.com."
  }
}

variable "notify_on" {
  description = "Verdicts that send a notification when a member account's compliance changes to them: by default when root use makes it NON_COMPLIANT and when it is COMPLIANT again (and the first evaluation). NOT_APPLICABLE and INSUFFICIENT_DATA may be added. Used only with create_notifications."
  type        = list(string)
  default     = ["NON_COMPLIANT", "COMPLIANT"]

  validation {
    condition     = length(var.notify_on) > 0 && length(distinct(var.notify_on)) == length(var.notify_on) && alltrue([for verdict in var.notify_on : contains(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"], verdict)])
    error_message = "List one or more distinct verdicts among COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE and INSUFFICIENT_DATA."
  }
}

variable "alarm_on_failures" {
  description = "With create_notifications, CloudWatch alarms in this account that publish to the notification topic (on ALARM and on OK) when the function reports errors, when no evaluation of any account was posted for two rule periods, and when EventBridge fails to deliver a forwarded compliance change to the topic."
  type        = bool
  default     = true
}

################################################################################
# Organization conformance pack (opt-in)
################################################################################

variable "create_conformance_pack" {
  description = "Also deploy the rule as an organization conformance pack (conformance-packs/root-activity.yaml) to every account not in excluded_accounts: in each, the pack `OrgConformsPack-<pack name>-<suffix>` with the rule `<name>-conformance-pack-<id>`, evaluated by the same function through the member role. Needs the management account or a delegated administrator for config-multiaccountsetup.amazonaws.com, and a configuration recorder in every account. Off by default."
  type        = bool
  default     = false
}

variable "conformance_pack_name" {
  description = "Name of the organization conformance pack: a letter, then letters, digits and hyphens, at most 128 characters. Null uses var.name. Used only with create_conformance_pack."
  type        = string
  default     = null

  validation {
    condition     = var.conformance_pack_name == null ? true : can(regex("^[A-Za-z][-A-Za-z0-9]{0,127}$", var.conformance_pack_name))
    error_message = "The conformance pack name must start with a letter and contain only letters, digits and hyphens, at most 128 characters."
  }
}

variable "conformance_pack_delivery_s3_bucket" {
  description = "S3 bucket in which AWS Config stores the pack's template (optional). Its name must start with `awsconfigconforms`, and its policy must let the AWSServiceRoleForConfigConforms roles of the organization (aws:PrincipalOrgID) s3:GetObject, s3:PutObject and s3:GetBucketAcl. Null lets AWS Config keep it. Used only with create_conformance_pack."
  type        = string
  default     = null

  validation {
    condition     = var.conformance_pack_delivery_s3_bucket == null ? true : can(regex("^awsconfigconforms[a-z0-9.-]{0,45}[a-z0-9]$", var.conformance_pack_delivery_s3_bucket))
    error_message = "The delivery bucket name must start with awsconfigconforms and be a valid S3 bucket name of at most 63 lowercase letters, digits, dots and hyphens."
  }
}

variable "conformance_pack_delivery_s3_key_prefix" {
  description = "Key prefix in conformance_pack_delivery_s3_bucket (at most 1024 characters). Null writes at the bucket's root. Used only with create_conformance_pack."
  type        = string
  default     = null

  validation {
    condition     = var.conformance_pack_delivery_s3_key_prefix == null ? true : length(var.conformance_pack_delivery_s3_key_prefix) <= 1024
    error_message = "The delivery key prefix must be at most 1024 characters."
  }
}

################################################################################
# Root activity alerts (opt-in, with notifications)
################################################################################

variable "create_root_activity_alerts" {
  description = "Publish to the notification topic within minutes of root activity in any account: in every account (StackSet; the management account directly with call_as = SELF) and every region of root_activity_alert_regions, an EventBridge rule forwards CloudTrail's root events (console sign-ins, failed ones included, other sign-in events, API calls, centralized root sessions) to the central bus `<name>-compliance`, where one rule per kind publishes them. Needs create_notifications = true (the topic and the central bus). CloudTrail delivers these events to EventBridge only with a trail that logs management events (an organization trail covers every account). Off by default."
  type        = bool
  default     = false
}

variable "root_activity_alert_regions" {
  description = "Regions whose root events are alerted on, in every account, besides this module's region, which is always included. Each gets a forwarding rule per account (a StackSet instance per region). The default adds us-east-1, where CloudTrail records root console sign-ins and IAM calls; list every region root could act in for complete coverage. Region names, each once."
  type        = list(string)
  default     = ["us-east-1"]

  validation {
    condition     = alltrue([for region in var.root_activity_alert_regions : can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", region))])
    error_message = "Each alert region must be a region name such as us-east-1 or eu-central-2."
  }

  validation {
    condition     = length(distinct(var.root_activity_alert_regions)) == length(var.root_activity_alert_regions)
    error_message = "List each alert region once."
  }
}

variable "root_activity_alert_read_only" {
  description = "Alert on read-only root API calls too (Describe*, Get*, List*, ...). False alerts only on calls that may change something, on every sign-in event and on calls without a readOnly field. Used only with create_root_activity_alerts."
  type        = bool
  default     = true
}

################################################################################
# General
################################################################################

variable "name" {
  description = "Name of the Config rule and the Lambda function, and prefix of the IAM roles (`<name>-lambda`, `<name>-config-recorder`) and the log group (`/aws/lambda/<name>`). Letters, digits, `-` and `_`, starting with a letter, at most 48 characters so that every derived IAM role name fits in 64."
  type        = string
  default     = "root-activity"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,47}$", var.name))
    error_message = "The name must start with a letter, contain only letters, digits, hyphens and underscores, and be at most 48 characters long."
  }
}

variable "tags" {
  description = "Tags applied to every resource the module creates that supports tags. The provider's default_tags are merged by the provider."
  type        = map(string)
  default     = {}
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
  description = "Memory of the function in MB. 128 fits with headroom: a cold invocation with a 5 000-user credential report peaks at about 65 MiB (docs/benchmarks.md, `npm run bench`)."
  type        = number
  # Measured peak at 128 MB's V8 heap limits: about 65 MiB with 5 000 IAM users (the default quota), about
  # 90 MiB with 20 000. Raise it for accounts with far more users; see docs/benchmarks.md.
  default = 128

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && var.memory_size == floor(var.memory_size)
    error_message = "The memory size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Function timeout in seconds. It covers waiting for IAM to generate the credential report, which takes seconds in most accounts."
  type        = number
  default     = 120

  validation {
    condition     = var.timeout >= 10 && var.timeout <= 900 && var.timeout == floor(var.timeout)
    error_message = "The timeout must be a whole number of seconds from 10 to 900."
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
  description = "How often Lambda retries a failed asynchronous invocation from Config (0-2). Retries cover transient IAM or Config errors; each one is another billed invocation."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 2 && var.maximum_retry_attempts == floor(var.maximum_retry_attempts)
    error_message = "The retry attempts must be 0, 1 or 2."
  }
}

################################################################################
# Config rule
################################################################################

variable "maximum_execution_frequency" {
  description = "How often Config runs the periodic evaluation. The credential report is regenerated at most every 4 hours, so a shorter period re-reads the same report."
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

################################################################################
# CloudTrail evidence
################################################################################

variable "cloudtrail_lookup" {
  description = "Rule parameter cloudTrailLookup: the rule also reads CloudTrail event history (the last 90 days of management events, free, no trail needed) in every enabled region, so that a root sign-in or API call the credential report has not caught up with (it is up to 4 hours old) makes the account NON_COMPLIANT. Grants cloudtrail:LookupEvents, iam:ListAccountAliases (root events carry the account alias as user name once one is set) and account:ListRegions to the function's execution role; false grants none of them and the rule reads the credential report only."
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
# Optional configuration recorder
################################################################################

variable "create_config_recorder" {
  description = "Create a configuration recorder, delivery channel and S3 bucket in this region. Leave false where AWS Config already records (a region holds one recorder); a rule cannot be created in a region without one."
  type        = bool
  default     = false
}

variable "config_recorder_role_arn" {
  description = "Role for the configuration recorder, e.g. the service-linked role `arn:aws:iam::<account>:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`. Null creates a role `<name>-config-recorder` with the AWS_ConfigRole managed policy and write access to the bucket. Used only with create_config_recorder."
  type        = string
  default     = null

  validation {
    condition     = var.config_recorder_role_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.config_recorder_role_arn))
    error_message = "The recorder role must be an IAM role ARN."
  }
}

variable "config_recorder_resource_types" {
  description = "Resource types the module's recorder records. The rule itself needs none; the default records only the compliance history of Config rules. Used only with create_config_recorder."
  type        = list(string)
  default     = ["AWS::Config::ResourceCompliance"]

  validation {
    condition     = length(var.config_recorder_resource_types) > 0 && alltrue([for t in var.config_recorder_resource_types : can(regex("^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$", t))])
    error_message = "List at least one resource type, each of the form AWS::Service::Resource."
  }
}

variable "config_bucket_name" {
  description = "Name of the S3 bucket the module's delivery channel writes to. Null derives `config-<name>-<account>-<region>` (name lowercased, `_` as `-`, shortened to 20 characters). Used only with create_config_recorder."
  type        = string
  default     = null

  # S3 User Guide, general purpose bucket naming rules.
  validation {
    condition = var.config_bucket_name == null ? true : (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.config_bucket_name)) &&
      !strcontains(var.config_bucket_name, "..") &&
      !can(regex("^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$", var.config_bucket_name)) &&
      !can(regex("^(xn--|sthree-|amzn-s3-demo-)", var.config_bucket_name)) &&
      !can(regex("(-s3alias|--ol-s3|[.]mrap|--x-s3|--table-s3)$", var.config_bucket_name))
    )
    error_message = "The bucket name must be 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, without two dots in a row, not an IP address, not starting with xn--, sthree- or amzn-s3-demo- and not ending with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3 (S3's bucket naming rules)."
  }
}

variable "config_bucket_force_destroy" {
  description = "Let `terraform destroy` delete the Config bucket together with the history files in it. False keeps a non-empty bucket (destroy then fails on it until it is emptied)."
  type        = bool
  default     = false
}

variable "config_bucket_kms_key_arn" {
  description = "ARN of a KMS key for the Config bucket (SSE-KMS with an S3 bucket key). The key policy must allow AWS Config to use it. Null uses SSE-S3 (AES256)."
  type        = string
  default     = null

  validation {
    condition     = var.config_bucket_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.config_bucket_kms_key_arn))
    error_message = "The bucket KMS key must be a key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "config_bucket_versioning" {
  description = "Enable versioning on the Config bucket."
  type        = bool
  default     = true
}

variable "config_bucket_expiration_days" {
  description = "Days after which objects in the Config bucket expire (noncurrent versions 30 days after they are replaced). Null keeps them forever."
  type        = number
  default     = 365

  validation {
    condition     = var.config_bucket_expiration_days == null ? true : var.config_bucket_expiration_days >= 1 && var.config_bucket_expiration_days == floor(var.config_bucket_expiration_days)
    error_message = "The expiration must be null or a whole number of days, at least 1."
  }
}

################################################################################
# Notifications (opt-in)
################################################################################

variable "create_notifications" {
  description = "Publish to an SNS topic when the rule's verdict for the account changes to one in notify_on (EventBridge rule on Config's compliance change events of this rule), and, with alarm_on_failures, when the evaluator fails. Off by default."
  type        = bool
  default     = false
}

variable "notification_topic_arn" {
  description = "ARN of an existing standard SNS topic in the module's region to publish to. Null creates a topic `<name>-notifications` encrypted with a KMS key (see notification_kms_key_arn). An existing topic must let this account's IAM roles publish, and CloudWatch publish for the alarms; when it is encrypted, pass its key as notification_kms_key_arn. Used only with create_notifications."
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
  description = "Verdicts that send a notification when the account's compliance changes to them: by default when root use makes it NON_COMPLIANT and when it is COMPLIANT again (and the first evaluation). NOT_APPLICABLE and INSUFFICIENT_DATA may be added. Used only with create_notifications."
  type        = list(string)
  default     = ["NON_COMPLIANT", "COMPLIANT"]

  validation {
    condition     = length(var.notify_on) > 0 && length(distinct(var.notify_on)) == length(var.notify_on) && alltrue([for verdict in var.notify_on : contains(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"], verdict)])
    error_message = "List one or more distinct verdicts among COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE and INSUFFICIENT_DATA."
  }
}

variable "alarm_on_failures" {
  description = "With create_notifications, CloudWatch alarms that publish to the notification topic (on ALARM and on OK) when the function reports errors, when no evaluation was posted for two rule periods (a silent failure would leave an old verdict in Config), and when EventBridge fails to deliver a notification."
  type        = bool
  default     = true
}

################################################################################
# Conformance pack (opt-in)
################################################################################

variable "create_conformance_pack" {
  description = "Also deploy the rule as an AWS Config conformance pack (conformance-packs/root-activity.yaml) in this account and region: a second rule, `<name>-conformance-pack-<id>`, evaluated by the same function, whose results count towards the pack's compliance score. Off by default."
  type        = bool
  default     = false
}

variable "conformance_pack_name" {
  description = "Name of the conformance pack: a letter, then letters, digits and hyphens, at most 256 characters. Null derives it from var.name (underscores become hyphens). Used only with create_conformance_pack."
  type        = string
  default     = null

  validation {
    condition     = var.conformance_pack_name == null ? true : can(regex("^[A-Za-z][-A-Za-z0-9]{0,255}$", var.conformance_pack_name))
    error_message = "The conformance pack name must start with a letter and contain only letters, digits and hyphens, at most 256 characters."
  }
}

variable "conformance_pack_delivery_s3_bucket" {
  description = "S3 bucket in which AWS Config stores the conformance pack's template (optional). Its policy must let the AWSServiceRoleForConfigConforms role of this account s3:GetBucketAcl, s3:PutObject and s3:GetObject. Null lets AWS Config keep it. Used only with create_conformance_pack."
  type        = string
  default     = null

  validation {
    condition     = var.conformance_pack_delivery_s3_bucket == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.conformance_pack_delivery_s3_bucket))
    error_message = "The delivery bucket name must be 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
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
  description = "Publish to the notification topic within minutes of root activity: EventBridge rules on CloudTrail's root events (console sign-ins, failed ones included, other sign-in events, API calls, centralized root sessions), in every region of root_activity_alert_regions. Needs create_notifications = true (the topic). CloudTrail delivers these events to EventBridge only with a trail that logs management events. Off by default."
  type        = bool
  default     = false
}

variable "root_activity_alert_regions" {
  description = "Regions whose root events are alerted on, besides the module's own region, which is always included (the rule that publishes is there). Each region other than the module's gets a rule that forwards its root events to the module's region. The default adds us-east-1, where CloudTrail records root console sign-ins and IAM calls; list every region root could act in (every enabled region) for complete coverage. Region names, each once."
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

variable "root_activity_alert_reevaluate" {
  description = "After each root event, make AWS Config re-evaluate the rule (config:StartConfigRulesEvaluation, allowed on this rule only) once root_activity_alert_reevaluate_delay_minutes have passed, so that the verdict changes within minutes instead of at the next period. Null (the default) follows cloudtrail_lookup: the re-evaluation finds the event only in CloudTrail event history, since the credential report is up to 4 hours old. Done by a Step Functions state machine (Wait, then the AWS SDK integration), no extra Lambda code. Used only with create_root_activity_alerts."
  type        = bool
  default     = null
}

variable "root_activity_alert_reevaluate_delay_minutes" {
  description = "Minutes between a root event and the re-evaluation. CloudTrail event history shows an event some minutes after EventBridge delivers it (CloudTrail delivers logs within about 5 minutes on average, without a guarantee), so the default waits 15. Whole minutes from 5 to 120."
  type        = number
  default     = 15

  validation {
    condition     = var.root_activity_alert_reevaluate_delay_minutes >= 5 && var.root_activity_alert_reevaluate_delay_minutes <= 120 && var.root_activity_alert_reevaluate_delay_minutes == floor(var.root_activity_alert_reevaluate_delay_minutes)
    error_message = "The re-evaluation delay must be a whole number of minutes from 5 to 120."
  }
}

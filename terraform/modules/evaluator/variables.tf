################################################################################
# General
################################################################################

variable "name" {
  description = "Name of the Lambda function, and prefix of its execution role (`<name>-lambda`), the role's policy (`<name>-permissions`) and its log group (`/aws/lambda/<name>`). Letters, digits, `-` and `_`, starting with a letter, at most 57 characters so that the role name fits in 64. The calling modules accept fewer, for the names they derive themselves."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,56}$", var.name))
    error_message = "The name must start with a letter, contain only letters, digits, hyphens and underscores, and be at most 57 characters long."
  }
}

variable "description" {
  description = "Description of the Lambda function (at most 256 characters)."
  type        = string

  validation {
    condition     = length(var.description) <= 256
    error_message = "The function description must be at most 256 characters long."
  }
}

variable "role_description" {
  description = "Description of the execution role (at most 1000 characters)."
  type        = string

  validation {
    condition     = length(var.role_description) <= 1000
    error_message = "The role description must be at most 1000 characters long."
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
  description = "Path to a zip of the function (index.mjs exporting `handler` at its root), such as `dist/lambda.zip` that `npm run build` writes, for development. Null deploys the zip committed beside this module (`lambda.zip`, the release's build). The function is redeployed whenever the file's content changes. Not with lambda_s3_bucket."
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

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.runtime)
    error_message = "The runtime must be nodejs22.x or nodejs24.x."
  }
}

variable "architecture" {
  description = "Instruction set of the function. The bundle is plain JavaScript and runs on both; arm64 costs less per GB-second."
  type        = string

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB (docs/benchmarks.md, `npm run bench`)."
  type        = number

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && var.memory_size == floor(var.memory_size)
    error_message = "The memory size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Function timeout in seconds, per evaluation. It covers waiting for IAM to generate the credential report (and assuming a member role, for an organization)."
  type        = number

  validation {
    condition     = var.timeout >= 10 && var.timeout <= 900 && var.timeout == floor(var.timeout)
    error_message = "The timeout must be a whole number of seconds from 10 to 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrent evaluations the function may run; null reserves nothing (the account's unreserved pool)."
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

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "The log level must be one of DEBUG, INFO, WARN, ERROR."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the function's logs; 0 keeps them forever."
  type        = number

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
  description = "How often Lambda retries a failed asynchronous invocation from Config (0-2). Each retry is another billed invocation."
  type        = number

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 2 && var.maximum_retry_attempts == floor(var.maximum_retry_attempts)
    error_message = "The retry attempts must be 0, 1 or 2."
  }
}

################################################################################
# Execution role
################################################################################

variable "grant_evaluation_actions" {
  description = "Grant the execution role iam:GenerateCredentialReport, iam:GetCredentialReport and config:PutEvaluations (resource `*`: none of them has a resource type), which the function needs to evaluate the account it runs in with its own credentials. False when it evaluates only through a role it assumes (granted by policy_json): the role itself can then read no credential report and post no evaluation."
  type        = bool
}

variable "policy_json" {
  description = "An IAM policy document (JSON, e.g. an aws_iam_policy_document's `json`) whose statements are added to the execution role's inline policy, such as the organization module's sts:AssumeRole on the member role. Its statements need unique Sids other than WriteOwnLogGroup. Null adds nothing."
  type        = string
  default     = null

  validation {
    condition     = var.policy_json == null ? true : can(jsondecode(var.policy_json).Statement)
    error_message = "policy_json must be null or a JSON IAM policy document with a Statement."
  }
}

variable "grant_cloudtrail_lookup" {
  description = "Add to the evaluation document (evaluation_policy_json, and the execution role with grant_evaluation_actions) what the CloudTrail evidence needs: cloudtrail:LookupEvents and iam:ListAccountAliases (resource `*`: neither has a resource type) and account:ListRegions on the evaluated account's own account ARNs. True when the rule parameter cloudTrailLookup is true."
  type        = bool
  default     = false
}

variable "organization" {
  description = "The organization of the evaluated accounts, to scope account:ListRegions to `arn:<partition>:account::<management_account_id>:account/<id>/<account>`; null (a single account, whose organization the module does not know) uses `*` and `o-*` for those two parts. The account part is always the caller's own account."
  type        = object({ id = string, management_account_id = string })
  default     = null

  validation {
    condition     = var.organization == null ? true : can(regex("^o-[a-z0-9]{10,32}$", var.organization.id)) && can(regex("^[0-9]{12}$", var.organization.management_account_id))
    error_message = "The organization must have an ID o-<10 to 32 lowercase letters or digits> and a 12-digit management account ID."
  }
}

# The Lambda function that evaluates the root-activity rule, shared by the single-account module
# (terraform/) and the organization module (terraform/modules/organization). It owns the
# function, its log group, its execution role and its asynchronous invocation settings; the
# calling module owns who may invoke it and the Config rule that does.

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  # The organization part of the accountInOrganization ARN of account:ListRegions (iam.tf):
  # exact when the caller passes its organization, wildcards otherwise.
  management_account = var.organization == null ? "*" : var.organization.management_account_id
  organization       = var.organization == null ? "o-*" : var.organization.id

  # Every name derived from var.name, in one place.
  function_name  = var.name
  log_group_name = "/aws/lambda/${var.name}"
  role_name      = "${var.name}-lambda"
  policy_name    = "${var.name}-permissions"

  # The build (npm run build) writes index.mjs exporting `handler` at the zip root.
  handler = "index.handler"

  # Where the code comes from: an S3 object (lambda_s3_bucket and lambda_s3_key), or a local zip,
  # by default the one committed beside this module (a git:: source or a registry copy has it; a
  # checkout needs no build).
  from_s3  = var.lambda_s3_bucket != null || var.lambda_s3_key != null || var.lambda_s3_object_version != null
  zip_path = coalesce(var.lambda_zip_path, "${path.module}/lambda.zip")
}

################################################################################
# Log group
################################################################################

# Created here, so the function never needs logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_group_kms_key_arn

  tags = var.tags
}

################################################################################
# Lambda function
################################################################################

resource "aws_lambda_function" "this" {
  function_name = local.function_name
  description   = var.description
  role          = aws_iam_role.this.arn

  runtime       = var.runtime
  architectures = [var.architecture]
  handler       = local.handler

  # A local zip is redeployed whenever its content changes (source_code_hash); an S3 object
  # whenever lambda_s3_key or lambda_s3_object_version changes.
  filename          = local.from_s3 ? null : local.zip_path
  source_code_hash  = local.from_s3 ? null : filebase64sha256(local.zip_path)
  s3_bucket         = var.lambda_s3_bucket
  s3_key            = var.lambda_s3_key
  s3_object_version = var.lambda_s3_object_version

  # Generating the credential report takes seconds, rarely longer; the function waits for it.
  timeout     = var.timeout
  memory_size = var.memory_size

  # Null (the default) reserves nothing: Config invokes the function once per period (per
  # account), and reserving concurrency takes it from the account-wide pool.
  reserved_concurrent_executions = var.reserved_concurrent_executions

  environment {
    variables = {
      POWERTOOLS_SERVICE_NAME = local.function_name
      LOG_LEVEL               = var.log_level
    }
  }

  # JSON log format: the function already writes JSON lines, and Lambda's own START/REPORT
  # lines become JSON too (duration, memory used), which Logs Insights can query directly.
  # With JSON, Lambda sets AWS_LAMBDA_LOG_LEVEL from application_log_level and Powertools
  # honours it, so it carries the same value as LOG_LEVEL.
  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    system_log_level      = "INFO"
  }

  tags = var.tags

  # The log group must exist before the first invocation (the role cannot create it), and
  # the role must be able to write to it.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.this,
  ]

  # A validation block cannot read another variable before Terraform 1.9.
  lifecycle {
    precondition {
      condition     = !(var.lambda_zip_path != null && local.from_s3)
      error_message = "Give the function's code either as a local zip (lambda_zip_path) or as an S3 object (lambda_s3_bucket, lambda_s3_key, lambda_s3_object_version), not both."
    }
    precondition {
      condition     = (var.lambda_s3_bucket == null) == (var.lambda_s3_key == null)
      error_message = "lambda_s3_bucket and lambda_s3_key go together: the bucket and the key of the function's zip."
    }
    precondition {
      condition     = var.lambda_s3_object_version == null || (var.lambda_s3_bucket != null && var.lambda_s3_key != null)
      error_message = "lambda_s3_object_version needs lambda_s3_bucket and lambda_s3_key: it is the version of that object."
    }
  }
}

# Config invokes the function asynchronously. Lambda retries a failed asynchronous
# invocation (a transient STS, IAM or Config error); no dead-letter queue is configured because
# a lost evaluation is replaced by the next scheduled one and shows in the rule's status.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name          = aws_lambda_function.this.function_name
  maximum_retry_attempts = var.maximum_retry_attempts
}

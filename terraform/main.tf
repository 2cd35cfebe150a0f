data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # One place for every name the module derives, so later additions (organization
  # deployment, notifications) reuse the same scheme.
  function_name  = var.name
  rule_name      = var.name
  log_group_name = "/aws/lambda/${var.name}"
  lambda_role    = "${var.name}-lambda"
  recorder_role  = "${var.name}-config-recorder"

  # S3 bucket names are lowercase, at most 63 characters and global: the (validated) name,
  # shortened, plus account and region. config_bucket_name overrides it.
  config_bucket_name = coalesce(
    var.config_bucket_name,
    "${substr(lower(replace(var.name, "_", "-")), 0, 20)}-config-${local.account_id}-${local.region}",
  )
  # Where Config delivers history files and snapshots (no key prefix).
  config_delivery_prefix = "AWSLogs/${local.account_id}/Config"

  create_recorder_role = var.create_config_recorder && var.config_recorder_role_arn == null
  recorder_role_arn    = local.create_recorder_role ? aws_iam_role.config_recorder[0].arn : var.config_recorder_role_arn

  # The build (npm run build) writes dist/lambda.zip at the repository root, with index.mjs
  # exporting `handler` at the zip root.
  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.module}/../dist/lambda.zip")
  lambda_handler  = "index.handler"

  # Tags for every taggable resource. Provider-level default_tags are merged by the provider;
  # keys given here win over default_tags with the same key.
  tags = var.tags

  # Rule parameters travel as a JSON object of strings (Config passes them to the function
  # as the `ruleParameters` string of the event).
  rule_parameters = {
    lookbackDays           = tostring(var.lookback_days)
    failOnActiveAccessKeys = tostring(var.fail_on_active_access_keys)
  }
}

################################################################################
# Lambda function
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_group_kms_key_arn

  tags = local.tags
}

resource "aws_lambda_function" "this" {
  function_name = local.function_name
  description   = "AWS Config rule ${local.rule_name}: is the account root user being used?"
  role          = aws_iam_role.lambda.arn

  runtime       = var.runtime
  architectures = [var.architecture]
  handler       = local.lambda_handler

  filename         = local.lambda_zip_path
  source_code_hash = filebase64sha256(local.lambda_zip_path)

  # Generating the credential report takes seconds, rarely longer; the function waits for it.
  timeout = var.timeout
  # 128 MB until the benchmark (`npm run bench`) measures the function; it picks this value.
  memory_size = var.memory_size

  # reserved_concurrent_executions is deliberately not set: Config invokes the function once
  # per period, and reserving concurrency takes it from the account-wide pool.

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

  tags = local.tags

  # The log group must exist before the first invocation (the role cannot create it), and
  # the role must be able to write to it.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.lambda,
  ]
}

# Config invokes the function asynchronously. Lambda retries a failed asynchronous
# invocation (a transient IAM or Config error); no dead-letter queue is configured because a
# lost evaluation is replaced by the next scheduled one and shows in the rule's status.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name          = aws_lambda_function.this.function_name
  maximum_retry_attempts = var.maximum_retry_attempts
}

# Only AWS Config, acting for this account, may invoke the function (confused-deputy
# protection). source_arn cannot be used: the rule ARN is only known after the rule exists,
# and the rule needs this permission to exist first.
resource "aws_lambda_permission" "config" {
  statement_id   = "AllowConfigInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "config.amazonaws.com"
  source_account = local.account_id
}

################################################################################
# Config rule
################################################################################

resource "aws_config_config_rule" "this" {
  name = local.rule_name
  description = format(
    "NON_COMPLIANT when the account root user signed in or used an access key in the last %d days%s. Source: IAM credential report.",
    var.lookback_days,
    var.fail_on_active_access_keys ? ", or has an active access key" : "",
  )
  input_parameters = jsonencode(local.rule_parameters)

  source {
    owner             = "CUSTOM_LAMBDA"
    source_identifier = aws_lambda_function.this.arn

    # A custom periodic rule takes its frequency in source_detail, not at the rule level.
    source_detail {
      event_source                = "aws.config"
      message_type                = "ScheduledNotification"
      maximum_execution_frequency = var.maximum_execution_frequency
    }
  }

  tags = local.tags

  # Config refuses the rule until it may invoke the function, and until a configuration
  # recorder exists in the region (the module's own one when create_config_recorder is set;
  # depending on a resource with no instances is a no-op).
  depends_on = [
    aws_lambda_permission.config,
    aws_config_configuration_recorder_status.this,
  ]
}

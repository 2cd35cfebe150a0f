data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # One place for every name the module derives (the function, its log group and its role
  # `<name>-lambda` are named by modules/evaluator from var.name).
  rule_name     = var.name
  recorder_role = "${var.name}-config-recorder"

  # S3 bucket names are lowercase, at most 63 characters, global, and must not start with xn--,
  # sthree- or amzn-s3-demo- (S3 User Guide, general purpose bucket naming rules): a fixed
  # "config-" first, then the (validated) name lowercased and shortened, account and region.
  # config_bucket_name overrides it.
  config_bucket_name = coalesce(
    var.config_bucket_name,
    "config-${substr(lower(replace(var.name, "_", "-")), 0, 20)}-${local.account_id}-${local.region}",
  )
  # Where Config delivers history files and snapshots (no key prefix).
  config_delivery_prefix = "AWSLogs/${local.account_id}/Config"

  create_recorder_role = var.create_config_recorder && var.config_recorder_role_arn == null
  recorder_role_arn    = local.create_recorder_role ? aws_iam_role.config_recorder[0].arn : var.config_recorder_role_arn

  # Tags for every taggable resource. Provider-level default_tags are merged by the provider;
  # keys given here win over default_tags with the same key.
  tags = var.tags

  # Rule parameters travel as a JSON object of strings (Config passes them to the function
  # as the `ruleParameters` string of the event).
  # cloudTrailRegions only when regions are listed: absent means discover them. The two
  # branches unify as map(string), which merge() then adds to the object.
  rule_parameters = merge(
    {
      lookbackDays                 = tostring(var.lookback_days)
      failOnActiveAccessKeys       = tostring(var.fail_on_active_access_keys)
      cloudTrailLookup             = tostring(var.cloudtrail_lookup)
      countCentralizedRootSessions = tostring(var.count_centralized_root_sessions)
    },
    length(var.cloudtrail_regions) > 0 ? { cloudTrailRegions = join(",", var.cloudtrail_regions) } : {},
  )
}

################################################################################
# Lambda function: function, log group, execution role, asynchronous invocation settings
################################################################################

module "evaluator" {
  source = "./modules/evaluator"

  name             = var.name
  description      = "AWS Config rule ${local.rule_name}: is the account root user being used?"
  role_description = "Execution role of the ${var.name} AWS Config rule function"
  tags             = local.tags

  # The code: modules/evaluator/lambda.zip unless a local zip or an S3 object is given.
  lambda_zip_path          = var.lambda_zip_path
  lambda_s3_bucket         = var.lambda_s3_bucket
  lambda_s3_key            = var.lambda_s3_key
  lambda_s3_object_version = var.lambda_s3_object_version
  runtime                  = var.runtime
  architecture             = var.architecture
  # 128 MB fits with headroom (docs/benchmarks.md, `npm run bench`).
  memory_size = var.memory_size
  timeout     = var.timeout
  # reserved_concurrent_executions is deliberately not set: Config invokes the function once
  # per period, and reserving concurrency takes it from the account-wide pool.

  log_level              = var.log_level
  log_retention_in_days  = var.log_retention_in_days
  log_group_kms_key_arn  = var.log_group_kms_key_arn
  maximum_retry_attempts = var.maximum_retry_attempts

  # The function reads this account's credential report and posts its evaluation with its own
  # credentials: iam:GenerateCredentialReport, iam:GetCredentialReport, config:PutEvaluations,
  # and with the CloudTrail lookup cloudtrail:LookupEvents, iam:ListAccountAliases and
  # account:ListRegions.
  grant_evaluation_actions = true
  grant_cloudtrail_lookup  = var.cloudtrail_lookup
}

# Only AWS Config, acting for this account, may invoke the function (confused-deputy
# protection). source_arn cannot be used: the rule ARN is only known after the rule exists,
# and the rule needs this permission to exist first.
resource "aws_lambda_permission" "config" {
  statement_id   = "AllowConfigInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = module.evaluator.function_name
  principal      = "config.amazonaws.com"
  source_account = local.account_id
}

################################################################################
# Config rule
################################################################################

resource "aws_config_config_rule" "this" {
  name = local.rule_name
  description = format(
    "NON_COMPLIANT when the account root user signed in or used an access key in the last %d days%s. Source: IAM credential report%s.",
    var.lookback_days,
    var.fail_on_active_access_keys ? ", or has an active access key" : "",
    var.cloudtrail_lookup ? " and CloudTrail" : "",
  )
  input_parameters = jsonencode(local.rule_parameters)

  source {
    owner             = "CUSTOM_LAMBDA"
    source_identifier = module.evaluator.function_arn

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

  lifecycle {
    # A validation block cannot read another variable before Terraform 1.9.
    precondition {
      condition     = !var.create_root_activity_alerts || var.create_notifications
      error_message = "create_root_activity_alerts = true needs create_notifications = true: the root activity alerts publish to the notification topic (the module's, or notification_topic_arn)."
    }
  }
}

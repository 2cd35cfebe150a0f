data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_organizations_organization" "current" {}

locals {
  account_id      = data.aws_caller_identity.current.account_id
  partition       = data.aws_partition.current.partition
  region          = data.aws_region.current.region
  organization_id = data.aws_organizations_organization.current.id

  # Every name the module derives, in one place.
  function_name   = var.name
  rule_name       = var.name
  aggregator_name = var.name
  log_group_name  = "/aws/lambda/${var.name}"
  lambda_role     = "${var.name}-lambda"
  aggregator_role = "${var.name}-config-aggregator"
  stack_set_name  = "${var.name}-member-role"

  # The build (npm run build) writes dist/lambda.zip at the repository root, with index.mjs
  # exporting `handler` at the zip root (this folder is terraform/modules/organization).
  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.module}/../../../dist/lambda.zip")
  lambda_handler  = "index.handler"

  tags = var.tags

  # Rule parameters are a JSON object of strings. executionRoleName makes the function assume
  # arn:<partition>:iam::<evaluated account>:role/<member_role_name> for every evaluation.
  rule_parameters = {
    lookbackDays           = tostring(var.lookback_days)
    failOnActiveAccessKeys = tostring(var.fail_on_active_access_keys)
    executionRoleName      = var.member_role_name
  }

  # The StackSet reaches the accounts of these OUs; the root reaches every member account.
  target_ou_ids = length(var.organizational_unit_ids) > 0 ? var.organizational_unit_ids : data.aws_organizations_organization.current.roots[*].id

  # StackSets never deploy to the management account: with call_as = SELF this module creates
  # the member role there itself.
  create_member_role_here = var.create_member_role_in_this_account && var.call_as == "SELF"

  # In each member account the organization rule becomes OrgConfigRule-<name>-<suffix>.
  member_rule_name_prefix = "OrgConfigRule-${var.name}-"

  # Lists every account whose root user was used, across the organization (needs the
  # AWS::Config::ResourceCompliance resource type recorded in the member accounts).
  noncompliant_accounts_query = join(" ", [
    "SELECT accountId, awsRegion, configuration.targetResourceId, configuration.complianceType",
    "WHERE resourceType = 'AWS::Config::ResourceCompliance'",
    "AND configuration.targetResourceType = 'AWS::::Account'",
    "AND configuration.complianceType = 'NON_COMPLIANT'",
    "AND configuration.configRuleList.configRuleName LIKE '${local.member_rule_name_prefix}%'",
  ])
}

################################################################################
# Lambda function (in the management or delegated administrator account)
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_group_kms_key_arn

  tags = local.tags
}

resource "aws_lambda_function" "this" {
  function_name = local.function_name
  description   = "AWS Config organization rule ${local.rule_name}: is the root user of any account being used?"
  role          = aws_iam_role.lambda.arn

  runtime       = var.runtime
  architectures = [var.architecture]
  handler       = local.lambda_handler

  filename         = local.lambda_zip_path
  source_code_hash = filebase64sha256(local.lambda_zip_path)

  timeout     = var.timeout
  memory_size = var.memory_size

  # Null leaves the function in the account's unreserved pool.
  reserved_concurrent_executions = var.reserved_concurrent_executions

  environment {
    variables = {
      POWERTOOLS_SERVICE_NAME = local.function_name
      LOG_LEVEL               = var.log_level
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    system_log_level      = "INFO"
  }

  tags = local.tags

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.lambda,
  ]
}

# Config invokes the function asynchronously, once per account per period. Lambda retries a
# failed invocation; the next period replaces a lost one.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name          = aws_lambda_function.this.function_name
  maximum_retry_attempts = var.maximum_retry_attempts
}

# Who may invoke the function. AWS Config invokes it from every member account, as that
# account (aws:SourceAccount = the member account, source ARN = the member account's
# OrgConfigRule-* rule). Lambda's source_arn does not accept a wildcard account and
# principal_org_id does not apply to service principals, so the tightest statement that works
# for any number of accounts is config.amazonaws.com without a source condition. What bounds
# it: the function does nothing with its own credentials except assume the member role, and
# its role may assume that role only in accounts of this organization (aws:ResourceOrgID), so
# an invocation for any other account fails before reading or posting anything.
# lambda_invoke_source_account_ids replaces it with one aws:SourceAccount statement per
# listed account, for small organizations.
resource "aws_lambda_permission" "config_organization" {
  count = length(var.lambda_invoke_source_account_ids) == 0 ? 1 : 0

  statement_id  = "AllowConfigOrganizationRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "config.amazonaws.com"
}

resource "aws_lambda_permission" "config_account" {
  for_each = toset(var.lambda_invoke_source_account_ids)

  statement_id   = "AllowConfig${each.value}"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "config.amazonaws.com"
  source_account = each.value
}

################################################################################
# Organization Config rule
################################################################################

resource "aws_config_organization_custom_rule" "this" {
  name = local.rule_name
  description = format(
    "NON_COMPLIANT when the account root user signed in or used an access key in the last %d days%s. Source: IAM credential report, read through the %s role.",
    var.lookback_days,
    var.fail_on_active_access_keys ? ", or has an active access key" : "",
    var.member_role_name,
  )

  lambda_function_arn         = aws_lambda_function.this.arn
  trigger_types               = ["ScheduledNotification"]
  maximum_execution_frequency = var.maximum_execution_frequency
  input_parameters            = jsonencode(local.rule_parameters)
  excluded_accounts           = var.excluded_accounts

  # Config refuses the rule until it may invoke the function. The member roles come first so
  # that the first evaluations can assume them.
  depends_on = [
    aws_lambda_permission.config_organization,
    aws_lambda_permission.config_account,
    aws_cloudformation_stack_set_instance.member_role,
    aws_iam_role_policy.member,
  ]
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_organizations_organization" "current" {}

locals {
  account_id      = data.aws_caller_identity.current.account_id
  partition       = data.aws_partition.current.partition
  region          = data.aws_region.current.region
  organization_id = data.aws_organizations_organization.current.id

  # Every name the module derives, in one place (the function, its log group and its role
  # `<name>-lambda` are named by ../evaluator from var.name).
  rule_name       = var.name
  aggregator_name = var.name
  aggregator_role = "${var.name}-config-aggregator"
  stack_set_name  = "${var.name}-member-role"

  tags = var.tags

  # Rule parameters are a JSON object of strings. executionRoleName makes the function assume
  # arn:<partition>:iam::<evaluated account>:role/<member_role_name> for every evaluation.
  # cloudTrailRegions only when regions are listed: absent means discover them. The two
  # branches unify as map(string), which merge() then adds to the object.
  rule_parameters = merge(
    {
      lookbackDays                 = tostring(var.lookback_days)
      failOnActiveAccessKeys       = tostring(var.fail_on_active_access_keys)
      executionRoleName            = var.member_role_name
      cloudTrailLookup             = tostring(var.cloudtrail_lookup)
      countCentralizedRootSessions = tostring(var.count_centralized_root_sessions)
    },
    length(var.cloudtrail_regions) > 0 ? { cloudTrailRegions = join(",", var.cloudtrail_regions) } : {},
  )

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

module "evaluator" {
  source = "../evaluator"

  name             = var.name
  description      = "AWS Config organization rule ${local.rule_name}: is the root user of any account being used?"
  role_description = "Execution role of the ${var.name} AWS Config organization rule function"
  tags             = local.tags

  # The code: modules/evaluator/lambda.zip unless a local zip or an S3 object is given.
  lambda_zip_path          = var.lambda_zip_path
  lambda_s3_bucket         = var.lambda_s3_bucket
  lambda_s3_key            = var.lambda_s3_key
  lambda_s3_object_version = var.lambda_s3_object_version
  runtime                  = var.runtime
  architecture             = var.architecture
  memory_size              = var.memory_size
  timeout                  = var.timeout
  # Null leaves the function in the account's unreserved pool.
  reserved_concurrent_executions = var.reserved_concurrent_executions

  log_level              = var.log_level
  log_retention_in_days  = var.log_retention_in_days
  log_group_kms_key_arn  = var.log_group_kms_key_arn
  maximum_retry_attempts = var.maximum_retry_attempts

  # With its own credentials the function may only assume the member role, in this
  # organization (iam.tf), and write its logs: it reads each account's credential report and
  # posts that account's evaluation with the member role's credentials.
  grant_evaluation_actions = false
  policy_json              = data.aws_iam_policy_document.assume_member_role.json

  # The evaluation document (evaluation_policy_json), which the member roles get, includes the
  # CloudTrail lookup when it is on; account:ListRegions is scoped with this organization.
  grant_cloudtrail_lookup = var.cloudtrail_lookup
  organization = {
    id                    = local.organization_id
    management_account_id = data.aws_organizations_organization.current.master_account_id
  }
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
  function_name = module.evaluator.function_name
  principal     = "config.amazonaws.com"
}

resource "aws_lambda_permission" "config_account" {
  for_each = toset(var.lambda_invoke_source_account_ids)

  statement_id   = "AllowConfig${each.value}"
  action         = "lambda:InvokeFunction"
  function_name  = module.evaluator.function_name
  principal      = "config.amazonaws.com"
  source_account = each.value
}

################################################################################
# Organization Config rule
################################################################################

resource "aws_config_organization_custom_rule" "this" {
  name = local.rule_name
  description = format(
    "NON_COMPLIANT when the root user signed in or used an access key in the last %d days%s. Source: IAM credential report%s, read through the %s role.",
    var.lookback_days,
    var.fail_on_active_access_keys ? ", or has an active access key" : "",
    var.cloudtrail_lookup ? " and CloudTrail" : "",
    var.member_role_name,
  )

  lambda_function_arn         = module.evaluator.function_arn
  trigger_types               = ["ScheduledNotification"]
  maximum_execution_frequency = var.maximum_execution_frequency
  input_parameters            = jsonencode(local.rule_parameters)
  excluded_accounts           = var.excluded_accounts

  # The provider waits for the deployment to every account; CREATE_FAILED in any account fails the
  # apply (see "Accounts without a configuration recorder" in README.md).
  timeouts {
    create = var.deployment_timeouts.create
    update = var.deployment_timeouts.update
    delete = var.deployment_timeouts.delete
  }

  # Config refuses the rule until it may invoke the function. The member roles come first so
  # that the first evaluations can assume them.
  depends_on = [
    aws_lambda_permission.config_organization,
    aws_lambda_permission.config_account,
    aws_cloudformation_stack_instances.member_role,
    aws_iam_role_policy.member,
  ]

  lifecycle {
    # A validation block cannot read another variable before Terraform 1.9.
    precondition {
      condition     = !var.create_root_activity_alerts || var.create_notifications
      error_message = "create_root_activity_alerts = true needs create_notifications = true: the root activity alerts are forwarded to the central bus <name>-compliance and published to the notification topic, which only notifications create."
    }
  }
}

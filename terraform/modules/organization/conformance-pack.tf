################################################################################
# Organization conformance pack (opt-in: create_conformance_pack = true)
#
# Deploys conformance-packs/root-activity.yaml to every account of the organization (except
# excluded_accounts) as an organization conformance pack: in each account AWS Config creates
# the pack `OrgConformsPack-<pack name>-<suffix>` holding the periodic custom Lambda rule
# `<name>-conformance-pack-<id>`, which invokes the one function in this account. The function
# evaluates each account through the member role (rule parameter executionRoleName), exactly as
# for the organization rule, which stays: outputs, aggregator query and notifications refer to
# it.
#
# Custom Lambda rules in organization packs: supported, with the function in the account that
# deploys the pack (AWS Config developer guide, prerequisites of organization conformance
# packs: "For custom AWS Config rule, see How to Centrally Manage AWS Config Rules across
# Multiple AWS accounts"; AWS Cloud Operations blog "Best practices for AWS Config conformance
# packs": centralize the Lambda functions in the account that deploys the packs, with roles in
# the member accounts that the functions assume). AWS Config invokes the function from each
# member account as config.amazonaws.com with that account as aws:SourceAccount, and a rule
# can only invoke a function in its own region, so this pack is deployed in the function's
# region only. The invoke permission is the organization rule's (main.tf): one statement for
# config.amazonaws.com, or one aws:SourceAccount statement per listed account. Nothing
# tighter is possible for any number of accounts: Lambda's source ARN needs a literal 12-digit
# account (botocore's lambda model, AddPermission.SourceArn pattern), and principal_org_id does
# not apply to service principals.
#
# AWS facts this relies on (botocore's config 2014-11-12 model, PutOrganizationConformancePack,
# unless noted): only the management account or a delegated administrator for
# config-multiaccountsetup.amazonaws.com may call it; the call enables service access for
# config-multiaccountsetup.amazonaws.com and creates AWSServiceRoleForConfigMultiAccountSetup in
# the caller's account; the organization needs all features; each member account's
# AWSServiceRoleForConfigConforms creates the pack there; the pack name matches
# [a-zA-Z][-a-zA-Z0-9]* with at most 128 characters; a delivery bucket is optional and must
# start with awsconfigconforms. Every account needs a configuration recorder; for an account
# that joins later the deployment is retried for 7 hours only (AWS Config developer guide,
# "Managing Conformance Packs Across all Accounts in Your Organization").
################################################################################

locals {
  conformance_pack_template_path = "${path.module}/../../conformance-packs/root-activity.yaml"

  # ConfigRuleName is a literal in the template (AWS Config takes no intrinsic function
  # there): the shipped name is replaced by this module's rule name, line for line.
  conformance_pack_rule_name_line = "      ConfigRuleName: root-activity\n"
  conformance_pack_template_body = replace(
    file(local.conformance_pack_template_path),
    local.conformance_pack_rule_name_line,
    "      ConfigRuleName: ${local.rule_name}\n",
  )

  # Pack names allow letters, digits and hyphens only; var.name may hold underscores.
  conformance_pack_name = coalesce(var.conformance_pack_name, replace(var.name, "_", "-"))

  # Template parameter names: RootActivityParam<RuleParameter> for each rule parameter,
  # executionRoleName included.
  conformance_pack_input_parameters = merge(
    {
      RootActivityLambdaFunctionArn         = module.evaluator.function_arn
      RootActivityMaximumExecutionFrequency = var.maximum_execution_frequency
    },
    { for name, value in local.rule_parameters : "RootActivityParam${upper(substr(name, 0, 1))}${substr(name, 1, -1)}" => value },
  )
}

resource "aws_config_organization_conformance_pack" "this" {
  count = var.create_conformance_pack ? 1 : 0

  name                   = local.conformance_pack_name
  template_body          = local.conformance_pack_template_body
  delivery_s3_bucket     = var.conformance_pack_delivery_s3_bucket
  delivery_s3_key_prefix = var.conformance_pack_delivery_s3_key_prefix
  excluded_accounts      = var.excluded_accounts

  dynamic "input_parameter" {
    for_each = local.conformance_pack_input_parameters

    content {
      parameter_name  = input_parameter.key
      parameter_value = input_parameter.value
    }
  }

  # The provider waits for the deployment to every account; CREATE_FAILED in any account fails the
  # apply (see "Accounts without a configuration recorder" in README.md).
  timeouts {
    create = var.deployment_timeouts.create
    update = var.deployment_timeouts.update
    delete = var.deployment_timeouts.delete
  }

  lifecycle {
    precondition {
      condition     = length(split(local.conformance_pack_rule_name_line, file(local.conformance_pack_template_path))) == 2
      error_message = "conformance-packs/root-activity.yaml must contain the line \"ConfigRuleName: root-activity\" exactly once (the module renames the rule there)."
    }
  }

  # The rule is refused until the function may be invoked; the member roles come first so
  # that the first evaluations can assume them.
  depends_on = [
    aws_lambda_permission.config_organization,
    aws_lambda_permission.config_account,
    aws_cloudformation_stack_instances.member_role,
    aws_iam_role_policy.member,
  ]
}

################################################################################
# Conformance pack (opt-in: create_conformance_pack = true)
#
# Deploys conformance-packs/root-activity.yaml, the template this repository ships, as an AWS
# Config conformance pack in this account and region: one more periodic custom Lambda rule,
# evaluated by the same function, whose results count towards the pack's compliance score
# (the evidence auditors read from conformance packs). The module's own rule stays: the
# outputs, notifications and alarms refer to it. Every template parameter is passed: the
# function ARN, the frequency and each entry of local.rule_parameters (so a rule parameter
# added there reaches the pack without a change here).
#
# AWS facts this relies on (checked with the search tool; sources in the comments):
# - AWS Config names the pack's rule `<ConfigRuleName>-conformance-pack-<id>` and creates it
#   as a service-linked rule of config-conforms.amazonaws.com, whose ARN is
#   arn:<partition>:config:<region>:<account>:config-rule/aws-service-rule/config-conforms.amazonaws.com/config-rule-<id>
#   (Audit Manager API reference, SourceKeyword.keywordValue, example
#   "CustomRuleForAccount-conformance-pack-szsm1uv0w"; the managed policy
#   ConfigConformsServiceRolePolicy grants config:PutConfigRule on
#   "arn:aws:config:*:*:config-rule/aws-service-rule/config-conforms.amazonaws.com*";
#   compliance change events of pack rules carry such configRuleARNs).
# - PutConformancePack creates the service-linked role AWSServiceRoleForConfigConforms if it is
#   missing; a pack name matches [a-zA-Z][-a-zA-Z0-9]* and has at most 256 characters, a
#   template body at most 51,200 bytes, at most 60 input parameters; the delivery bucket is
#   optional (botocore's config 2014-11-12 model, PutConformancePack).
# - A configuration recorder must exist in the region (AWS Config developer guide,
#   "Prerequisites" of conformance packs).
################################################################################

locals {
  conformance_pack_template_path = "${path.module}/conformance-packs/root-activity.yaml"

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

  # Template parameter names: RootActivityParam<RuleParameter> for each rule parameter.
  conformance_pack_input_parameters = merge(
    {
      RootActivityLambdaFunctionArn         = module.evaluator.function_arn
      RootActivityMaximumExecutionFrequency = var.maximum_execution_frequency
    },
    { for name, value in local.rule_parameters : "RootActivityParam${upper(substr(name, 0, 1))}${substr(name, 1, -1)}" => value },
  )

  # The rules AWS Config creates for conformance packs in this account and region.
  conformance_pack_rule_arn_pattern = "arn:${local.partition}:config:${local.region}:${local.account_id}:config-rule/aws-service-rule/config-conforms.amazonaws.com/*"
}

# AWS Config invokes a custom rule's function as config.amazonaws.com with the rule's account
# as aws:SourceAccount and the rule's ARN as aws:SourceArn (AWS Config developer guide,
# "Security best practice for AWS Lambda resource-based policy"). The pack's rule ARN is only
# known once the pack has created it, which needs this permission first, so the source ARN is
# the pattern of this account's conformance pack rules in this region (Lambda compares it with
# StringLike: botocore's lambda model, AddPermission.SourceArn). The module's AllowConfigInvoke
# statement (main.tf) allows every rule of the account; this one keeps the pack working if
# that statement is ever narrowed to the module's own rule.
resource "aws_lambda_permission" "conformance_pack" {
  count = var.create_conformance_pack ? 1 : 0

  statement_id   = "AllowConfigConformancePackRule"
  action         = "lambda:InvokeFunction"
  function_name  = module.evaluator.function_name
  principal      = "config.amazonaws.com"
  source_account = local.account_id
  source_arn     = local.conformance_pack_rule_arn_pattern
}

resource "aws_config_conformance_pack" "this" {
  count = var.create_conformance_pack ? 1 : 0

  name                   = local.conformance_pack_name
  template_body          = local.conformance_pack_template_body
  delivery_s3_bucket     = var.conformance_pack_delivery_s3_bucket
  delivery_s3_key_prefix = var.conformance_pack_delivery_s3_key_prefix

  dynamic "input_parameter" {
    for_each = local.conformance_pack_input_parameters

    content {
      parameter_name  = input_parameter.key
      parameter_value = input_parameter.value
    }
  }

  lifecycle {
    precondition {
      condition     = length(split(local.conformance_pack_rule_name_line, file(local.conformance_pack_template_path))) == 2
      error_message = "conformance-packs/root-activity.yaml must contain the line \"ConfigRuleName: root-activity\" exactly once (the module renames the rule there)."
    }
  }

  # The pack's rule is refused until the function may be invoked and a recorder exists in
  # the region (the module's own one when create_config_recorder is set).
  depends_on = [
    aws_lambda_permission.conformance_pack,
    aws_config_configuration_recorder_status.this,
  ]
}

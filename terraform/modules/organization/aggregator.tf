################################################################################
# Organization aggregator: every account's result, in this account
################################################################################

data "aws_iam_policy_document" "aggregator_assume_role" {
  count = var.create_aggregator ? 1 : 0

  statement {
    sid     = "ConfigAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "aggregator" {
  count = var.create_aggregator ? 1 : 0

  name               = local.aggregator_role
  description        = "Lets the ${local.aggregator_name} AWS Config aggregator list the organization's accounts"
  assume_role_policy = data.aws_iam_policy_document.aggregator_assume_role[0].json

  tags = local.tags
}

# The AWS managed policy AWS Config documents for organization aggregators: read-only
# organizations:Describe*/List* calls.
resource "aws_iam_role_policy_attachment" "aggregator" {
  count = var.create_aggregator ? 1 : 0

  role       = aws_iam_role.aggregator[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
}

resource "aws_config_configuration_aggregator" "organization" {
  count = var.create_aggregator ? 1 : 0

  name = local.aggregator_name

  organization_aggregation_source {
    all_regions = var.aggregator_all_regions
    regions     = var.aggregator_all_regions ? null : [local.region]
    role_arn    = aws_iam_role.aggregator[0].arn
  }

  tags = local.tags

  # Config checks the role's permissions when the aggregator is created.
  depends_on = [aws_iam_role_policy_attachment.aggregator]
}

################################################################################
# Execution role: least privilege
################################################################################

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = local.role_name
  description        = var.role_description
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = var.tags
}

# What an evaluation needs in the evaluated account: the execution role's when the function
# evaluates the account it runs in with its own credentials (grant_evaluation_actions), and the
# member roles' in an organization (output evaluation_policy_json).
data "aws_iam_policy_document" "evaluation" {
  # Neither action supports resource-level permissions: the resource must be "*".
  statement {
    sid    = "ReadCredentialReport"
    effect = "Allow"
    actions = [
      "iam:GenerateCredentialReport",
      "iam:GetCredentialReport",
    ]
    resources = ["*"]
  }

  # PutEvaluations has no resource type either; the result token in each event ties the
  # call to the rule that invoked the function.
  statement {
    sid       = "PutEvaluations"
    effect    = "Allow"
    actions   = ["config:PutEvaluations"]
    resources = ["*"]
  }

  # CloudTrail event history (rule parameter cloudTrailLookup): only when the lookup is on.
  # LookupEvents has no resource type in the Service Authorization Reference (AWS CloudTrail,
  # "Actions defined by AWS CloudTrail"), so its resource must be "*"; it reads only the event
  # history of the account and region the credentials belong to.
  dynamic "statement" {
    for_each = var.grant_cloudtrail_lookup ? ["cloudtrail"] : []

    content {
      sid       = "LookupCloudTrailEvents"
      effect    = "Allow"
      actions   = ["cloudtrail:LookupEvents"]
      resources = ["*"]
    }
  }

  # The account alias (iam:ListAccountAliases): once an account has one, CloudTrail writes it as
  # the user name of root events, so the function looks up Username=<alias> as well as root.
  # ListAccountAliases has no resource type in the Service Authorization Reference (AWS Identity
  # and Access Management, "Actions defined by IAM"), so its resource must be "*"; it lists only
  # the alias of the account the credentials belong to.
  dynamic "statement" {
    for_each = var.grant_cloudtrail_lookup ? ["alias"] : []

    content {
      sid       = "ListAccountAlias"
      effect    = "Allow"
      actions   = ["iam:ListAccountAliases"]
      resources = ["*"]
    }
  }

  # Region discovery (account:ListRegions), called in the standalone context (no AccountId:
  # the evaluated account asks about itself). The Service Authorization Reference (AWS Account
  # Management, "Actions defined by AWS Account Management") lists two optional resource types
  # for ListRegions: account, arn:<partition>:account::<account>:account, and
  # accountInOrganization, arn:<partition>:account::<management account>:account/o-<org>/<account>.
  # Which of the two IAM matches for an account that is in an organization is not stated there,
  # so both are granted, each for the calling account only: ${aws:PrincipalAccount} is the
  # global condition key of the caller's account, usable as a policy variable (IAM User Guide,
  # "IAM policy elements: Variables and tags"). The management account and organization ID are
  # exact when the caller knows them (organization module) and wildcards otherwise.
  dynamic "statement" {
    for_each = var.grant_cloudtrail_lookup ? ["account"] : []

    content {
      sid     = "ListOwnRegions"
      effect  = "Allow"
      actions = ["account:ListRegions"]
      resources = [
        "arn:${local.partition}:account::$${aws:PrincipalAccount}:account",
        "arn:${local.partition}:account::${local.management_account}:account/${local.organization}/$${aws:PrincipalAccount}",
      ]
    }
  }
}

# Everything the function may do: the evaluation actions when granted, the caller's
# policy_json (the organization module's sts:AssumeRole on the member role), and its own logs.
# No managed policy is attached (AWSLambdaBasicExecutionRole would add logs:CreateLogGroup on
# every log group).
data "aws_iam_policy_document" "this" {
  source_policy_documents = concat(
    var.grant_evaluation_actions ? [data.aws_iam_policy_document.evaluation.json] : [],
    var.policy_json == null ? [] : [var.policy_json],
  )

  # The module creates the log group, so the function needs no logs:CreateLogGroup.
  statement {
    sid    = "WriteOwnLogGroup"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = local.policy_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

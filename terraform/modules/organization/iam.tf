################################################################################
# Lambda execution role: it may only assume the member role, in this organization
################################################################################

data "aws_iam_policy_document" "lambda_assume_role" {
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

resource "aws_iam_role" "lambda" {
  name               = local.lambda_role
  description        = "Execution role of the ${local.function_name} AWS Config organization rule function"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json

  tags = local.tags
}

# Everything the function may do with its own credentials: assume the member role (it reads
# each account's credential report and posts that account's evaluation with the member role's
# credentials) and write its logs. No managed policy is attached.
data "aws_iam_policy_document" "lambda" {
  statement {
    sid       = "AssumeMemberRole"
    effect    = "Allow"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${local.partition}:iam::*:role/${var.member_role_name}"]

    # Only roles in accounts of this organization, whatever account the event names.
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceOrgID"
      values   = [local.organization_id]
    }
  }

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

resource "aws_iam_role_policy" "lambda" {
  name   = "${local.function_name}-permissions"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

################################################################################
# Member role: the same two documents for the StackSet template and this account
################################################################################

# Only the function's execution role may assume the member role. The principal is its account
# with the role's ARN as a condition rather than the role itself: IAM pins a role principal to
# the role's unique ID, so recreating the execution role would silently break the trust in
# every member account, while the ARN condition keeps working.
data "aws_iam_policy_document" "member_trust" {
  statement {
    sid     = "RootActivityFunction"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [aws_iam_role.lambda.arn]
    }
  }
}

# What an evaluation needs in the evaluated account. None of the three actions supports
# resource-level permissions: the resource must be "*". The result token of each event ties
# PutEvaluations to the rule that invoked the function.
data "aws_iam_policy_document" "member" {
  statement {
    sid    = "ReadCredentialReport"
    effect = "Allow"
    actions = [
      "iam:GenerateCredentialReport",
      "iam:GetCredentialReport",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "PutEvaluations"
    effect    = "Allow"
    actions   = ["config:PutEvaluations"]
    resources = ["*"]
  }
}

# The management account (call_as = SELF), which StackSets do not reach.
resource "aws_iam_role" "member" {
  count = local.create_member_role_here ? 1 : 0

  name                 = var.member_role_name
  description          = local.member_role_description
  assume_role_policy   = data.aws_iam_policy_document.member_trust.json
  max_session_duration = 3600

  tags = local.tags
}

resource "aws_iam_role_policy" "member" {
  count = local.create_member_role_here ? 1 : 0

  name   = local.member_policy_name
  role   = aws_iam_role.member[0].id
  policy = data.aws_iam_policy_document.member.json
}

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

################################################################################
# Lambda execution role: least privilege
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
  description        = "Execution role of the ${local.function_name} AWS Config rule function"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json

  tags = local.tags
}

# Everything the function may do. No managed policy is attached (AWSLambdaBasicExecutionRole
# would add logs:CreateLogGroup on every log group).
data "aws_iam_policy_document" "lambda" {
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

resource "aws_iam_role_policy" "lambda" {
  name   = "${local.function_name}-permissions"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

################################################################################
# Configuration recorder role (only with create_config_recorder and no role given)
################################################################################

data "aws_iam_policy_document" "config_recorder_assume_role" {
  count = local.create_recorder_role ? 1 : 0

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

resource "aws_iam_role" "config_recorder" {
  count = local.create_recorder_role ? 1 : 0

  name               = local.recorder_role
  description        = "Role of the AWS Config configuration recorder created by the ${var.name} module"
  assume_role_policy = data.aws_iam_policy_document.config_recorder_assume_role[0].json

  tags = local.tags
}

# The AWS managed policy AWS Config documents for a recorder role: read-only Describe/List
# calls on the resource types it may record.
resource "aws_iam_role_policy_attachment" "config_recorder" {
  count = local.create_recorder_role ? 1 : 0

  role       = aws_iam_role.config_recorder[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

# Delivery to the module's bucket: Config assumes this role to write there.
data "aws_iam_policy_document" "config_recorder_delivery" {
  count = local.create_recorder_role ? 1 : 0

  statement {
    sid       = "BucketAclCheck"
    effect    = "Allow"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.config[0].arn]
  }

  statement {
    sid       = "Delivery"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.config[0].arn}/${local.config_delivery_prefix}/*"]

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }

  dynamic "statement" {
    for_each = var.config_bucket_kms_key_arn == null ? [] : [var.config_bucket_kms_key_arn]

    content {
      sid       = "EncryptDelivery"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "config_recorder_delivery" {
  count = local.create_recorder_role ? 1 : 0

  name   = "${var.name}-config-delivery"
  role   = aws_iam_role.config_recorder[0].id
  policy = data.aws_iam_policy_document.config_recorder_delivery[0].json
}

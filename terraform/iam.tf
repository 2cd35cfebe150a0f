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

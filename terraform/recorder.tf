################################################################################
# Optional AWS Config configuration recorder (create_config_recorder = true)
#
# Only what a periodic rule needs: a rule cannot be created in a region without a
# configuration recorder, and a recorder cannot start without a delivery channel.
# The rule itself evaluates AWS::::Account and needs no recorded resources.
################################################################################

resource "aws_s3_bucket" "config" {
  count = var.create_config_recorder ? 1 : 0

  bucket        = local.config_bucket_name
  force_destroy = var.config_bucket_force_destroy

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "config" {
  count = var.create_config_recorder ? 1 : 0

  bucket                  = aws_s3_bucket.config[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs disabled: the account owns every object. Config's PutObject still sends the
# bucket-owner-full-control ACL, which BucketOwnerEnforced accepts.
resource "aws_s3_bucket_ownership_controls" "config" {
  count = var.create_config_recorder ? 1 : 0

  bucket = aws_s3_bucket.config[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "config" {
  count = var.create_config_recorder ? 1 : 0

  bucket = aws_s3_bucket.config[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.config_bucket_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.config_bucket_kms_key_arn
    }
    bucket_key_enabled = var.config_bucket_kms_key_arn != null
  }
}

resource "aws_s3_bucket_versioning" "config" {
  count = var.create_config_recorder && var.config_bucket_versioning ? 1 : 0

  bucket = aws_s3_bucket.config[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "config" {
  count = var.create_config_recorder && var.config_bucket_expiration_days != null ? 1 : 0

  bucket = aws_s3_bucket.config[0].id

  rule {
    id     = "expire-config-history"
    status = "Enabled"

    filter {}

    expiration {
      days = var.config_bucket_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Lifecycle rules on a versioned bucket must follow the versioning configuration.
  depends_on = [aws_s3_bucket_versioning.config]
}

data "aws_iam_policy_document" "config_bucket" {
  count = var.create_config_recorder ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.config[0].arn, "${aws_s3_bucket.config[0].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # The three statements AWS Config documents for delivery as the service principal (used
  # when the recorder runs with the service-linked role, or when the role cannot write),
  # each limited to this account with aws:SourceAccount.
  statement {
    sid       = "AWSConfigBucketPermissionsCheck"
    effect    = "Allow"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.config[0].arn]

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

  statement {
    sid       = "AWSConfigBucketExistenceCheck"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.config[0].arn]

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

  statement {
    sid       = "AWSConfigBucketDelivery"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.config[0].arn}/${local.config_delivery_prefix}/*"]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "config" {
  count = var.create_config_recorder ? 1 : 0

  bucket = aws_s3_bucket.config[0].id
  policy = data.aws_iam_policy_document.config_bucket[0].json

  # S3 rejects concurrent changes to the same bucket's access settings.
  depends_on = [aws_s3_bucket_public_access_block.config]
}

resource "aws_config_configuration_recorder" "this" {
  count = var.create_config_recorder ? 1 : 0

  name     = var.name
  role_arn = local.recorder_role_arn

  # The rule is periodic and evaluates AWS::::Account, so nothing has to be recorded for it.
  # Config still needs a recording group; the default records only
  # AWS::Config::ResourceCompliance, the compliance history of the rules themselves (it
  # changes when a rule's result changes, so it costs next to nothing and gives the
  # console's compliance timeline).
  recording_group {
    all_supported                 = false
    include_global_resource_types = false
    resource_types                = var.config_recorder_resource_types

    recording_strategy {
      use_only = "INCLUSION_BY_RESOURCE_TYPES"
    }
  }
}

resource "aws_config_delivery_channel" "this" {
  count = var.create_config_recorder ? 1 : 0

  name           = var.name
  s3_bucket_name = aws_s3_bucket.config[0].id
  s3_kms_key_arn = var.config_bucket_kms_key_arn

  # Config checks that it can write to the bucket when the channel is created.
  depends_on = [
    aws_config_configuration_recorder.this,
    aws_s3_bucket_policy.config,
    aws_iam_role_policy.config_recorder_delivery,
  ]
}

resource "aws_config_configuration_recorder_status" "this" {
  count = var.create_config_recorder ? 1 : 0

  name       = aws_config_configuration_recorder.this[0].name
  is_enabled = true

  # The recorder starts with the role's managed policy already attached.
  depends_on = [
    aws_config_delivery_channel.this,
    aws_iam_role_policy_attachment.config_recorder,
  ]
}

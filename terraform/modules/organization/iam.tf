################################################################################
# Lambda execution role (../evaluator): it may only assume the member role, in this organization
################################################################################

# What the function may do with its own credentials besides writing its logs (the evaluator
# adds that statement, and no IAM or Config action: grant_evaluation_actions = false): assume
# the member role. It reads each account's credential report and posts that account's
# evaluation with the member role's credentials. No managed policy is attached.
data "aws_iam_policy_document" "assume_member_role" {
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
}

################################################################################
# Member role: the same two documents for the StackSet template and this account
#
# Its permissions are the evaluator's evaluation_policy_json, what an evaluation needs in the
# evaluated account (the same document a single-account function gets for itself):
# iam:GenerateCredentialReport, iam:GetCredentialReport and config:PutEvaluations on "*".
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
      values   = [module.evaluator.role_arn]
    }
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
  policy = module.evaluator.evaluation_policy_json
}

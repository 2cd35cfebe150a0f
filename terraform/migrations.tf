################################################################################
# Migrations
#
# The Lambda function, its log group, its execution role and its asynchronous invocation
# settings moved into modules/evaluator (shared with the organization module). These blocks
# tell Terraform that the objects in an existing state are the same ones at their new
# addresses: `terraform plan` shows "has moved to" instead of destroying and recreating them.
# Keep them: a state written by an older version of this module may be applied at any time.
################################################################################

moved {
  from = aws_cloudwatch_log_group.this
  to   = module.evaluator.aws_cloudwatch_log_group.this
}

moved {
  from = aws_lambda_function.this
  to   = module.evaluator.aws_lambda_function.this
}

moved {
  from = aws_lambda_function_event_invoke_config.this
  to   = module.evaluator.aws_lambda_function_event_invoke_config.this
}

moved {
  from = aws_iam_role.lambda
  to   = module.evaluator.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.lambda
  to   = module.evaluator.aws_iam_role_policy.this
}

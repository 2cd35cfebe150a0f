################################################################################
# Migrations
#
# The Lambda function, its log group, its execution role and its asynchronous invocation
# settings moved into ../evaluator (shared with the single-account module). These blocks tell
# Terraform that the objects in an existing state are the same ones at their new addresses:
# `terraform plan` shows "has moved to" instead of destroying and recreating them (which would
# also leave every account unevaluated until the new function and role exist).
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

# The notification topic, its key, policy and subscriptions, the EventBridge rule, its role
# and target, and the failure alarms moved into ../notifications (shared with the
# single-account module), called with count = var.create_notifications ? 1 : 0. Resources that
# had a count of their own keep it there and move whole; those counted only on
# create_notifications move from their single instance.

moved {
  from = aws_kms_key.notifications
  to   = module.notifications[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.notifications
  to   = module.notifications[0].aws_kms_alias.this
}

moved {
  from = aws_sns_topic.notifications
  to   = module.notifications[0].aws_sns_topic.this
}

moved {
  from = aws_sns_topic_policy.notifications
  to   = module.notifications[0].aws_sns_topic_policy.this
}

moved {
  from = aws_sns_topic_subscription.email
  to   = module.notifications[0].aws_sns_topic_subscription.email
}

moved {
  from = aws_cloudwatch_event_rule.compliance_change[0]
  to   = module.notifications[0].aws_cloudwatch_event_rule.this
}

moved {
  from = aws_iam_role.notifications[0]
  to   = module.notifications[0].aws_iam_role.publisher
}

moved {
  from = aws_iam_role_policy.notifications[0]
  to   = module.notifications[0].aws_iam_role_policy.publisher
}

moved {
  from = aws_cloudwatch_event_target.notifications[0]
  to   = module.notifications[0].aws_cloudwatch_event_target.this
}

moved {
  from = aws_cloudwatch_metric_alarm.evaluator_errors
  to   = module.notifications[0].aws_cloudwatch_metric_alarm.evaluator_errors
}

moved {
  from = aws_cloudwatch_metric_alarm.no_evaluations
  to   = module.notifications[0].aws_cloudwatch_metric_alarm.no_evaluations
}

moved {
  from = aws_cloudwatch_metric_alarm.notification_failures
  to   = module.notifications[0].aws_cloudwatch_metric_alarm.notification_failures
}

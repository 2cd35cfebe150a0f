output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "evaluation_policy_json" {
  description = "The IAM policy document (JSON) an evaluation needs in the evaluated account: iam:GenerateCredentialReport, iam:GetCredentialReport and config:PutEvaluations on `*`, and with grant_cloudtrail_lookup cloudtrail:LookupEvents and iam:ListAccountAliases on `*` and account:ListRegions on the account's own ARNs. grant_evaluation_actions gives it to the execution role; the organization module gives it to the member roles instead."
  value       = data.aws_iam_policy_document.evaluation.json
}

/**
 * The API calls the AWS provider (hashicorp/terraform-provider-aws 6.x) makes to create, read, update, tag and
 * delete each resource type the modules use, as the IAM actions they need (Service Authorization Reference names, not
 * API names where the two differ: s3 GetBucketLifecycleConfiguration is s3:GetLifecycleConfiguration, HeadBucket is
 * s3:ListBucket, DeletePublicAccessBlock is s3:PutBucketPublicAccessBlock). `source` is the provider file whose
 * Create/Read/Update/Delete functions make the calls (with the service's generated tags_gen.go for tags, and its
 * find/wait/status helpers); `on` says which resource each call acts on, so a policy can be simulated against the
 * ARN AWS authorizes. Actions without a resource type in the Service Authorization Reference act on "*".
 *
 * Cross-checked with pike's mapping (JamesWoolfenden/pike, src/mapping/aws/resource/<service>/<type>.json), which
 * lists what iamlive recorded for each resource; where the two differ the provider source wins.
 */
import type { Value } from "./hcl-expression.ts";
import type { Instance, Plan } from "./plan.ts";

/** What a call acts on, for a resource instance of the plan: an ARN, or "*" for an action without resource type. */
export type Target = (instance: Instance, plan: Plan) => string;

/** The calls for one resource type, by phase; an action is `service:Action`, optionally with its target. */
export interface ProviderCalls {
  readonly source: string;
  readonly create: readonly Call[];
  readonly read: readonly Call[];
  readonly update: readonly Call[];
  readonly delete: readonly Call[];
}

export type Call = string | { readonly action: string; readonly on: Target };

const PROVIDER = "hashicorp/terraform-provider-aws, internal/service";

const text = (value: Value | undefined): string => (value == null ? "" : String(value));

/** The instance's own ARN (the plan computes it as AWS builds it). */
const self: Target = (instance) => text(instance.values.arn);

/** The resource of `type` in the plan whose `attribute` is `value`. */
function find(plan: Plan, type: string, attribute: string, value: Value | undefined): Instance {
  const found = plan.resources.find(
    (resource) => resource.type === type && resource.values[attribute] === value,
  );
  if (found === undefined)
    throw new Error(`no ${type} with ${attribute} ${JSON.stringify(value)} in the plan`);
  return found;
}

/** The role of a policy or attachment (its `role` argument is the role's name). */
const roleOf: Target = (instance, plan) =>
  self(find(plan, "aws_iam_role", "name", instance.values.role), plan);
/** The function of a permission or invoke config (`function_name` is the name). */
const functionOf: Target = (instance, plan) =>
  self(find(plan, "aws_lambda_function", "function_name", instance.values.function_name), plan);
/** The bucket of an S3 sub-resource (`bucket` is the name). */
const bucketOf: Target = (instance) => `arn:aws:s3:::${text(instance.values.bucket)}`;
/** The objects of a bucket (force_destroy deletes them). */
const objectsOf: Target = (instance) => `arn:aws:s3:::${text(instance.values.bucket)}/AWSLogs/object`;
/** A topic's own ARN, for a topic policy (`arn`) or a subscription (`topic_arn`). */
const topicOf: Target = (instance) => text(instance.values.topic_arn ?? instance.values.arn);
/** The rule a target is on: on a custom bus its ARN holds the bus name. */
const ruleOf: Target = (instance, plan) => {
  const bus = text(instance.values.event_bus_name);
  const rule = plan.resources.find(
    (resource) =>
      resource.type === "aws_cloudwatch_event_rule" &&
      resource.region === instance.region &&
      resource.values.name === instance.values.rule &&
      text(resource.values.event_bus_name) === bus,
  );
  if (rule === undefined) throw new Error(`no rule ${text(instance.values.rule)} for ${instance.address}`);
  return self(rule, plan);
};
/** The role a resource passes to a service (its role_arn, or a function's role). */
const passedRole: Target = (instance) => text(instance.values.role_arn ?? instance.values.role);
/** The key an alias points at. */
const keyOf: Target = (instance, plan) =>
  self(find(plan, "aws_kms_key", "key_id", instance.values.target_key_id), plan);
/** The bus of a bus policy. */
const busOf: Target = (instance, plan) =>
  self(find(plan, "aws_cloudwatch_event_bus", "name", instance.values.event_bus_name), plan);
/** A StackSet of an instance or instances resource, by name. */
const stackSetOf: Target = (instance, plan) =>
  self(find(plan, "aws_cloudformation_stack_set", "name", instance.values.stack_set_name), plan);
/** The recorder of a recorder status or delivery channel (`name`). */
const recorderOf: Target = (instance, plan) =>
  `arn:aws:config:${instance.region}:${planAccount(plan)}:configuration-recorder/${text(instance.values.name)}/recorder-id`;
const planAccount = (plan: Plan): string =>
  text(plan.data.find((data) => data.type === "aws_caller_identity")?.values.account_id);
/** The service-linked role an organization Config rule creates (PutOrganizationConfigRule). */
const multiAccountSetupRole: Target = (_, plan) =>
  `arn:aws:iam::${planAccount(plan)}:role/aws-service-role/config-multiaccountsetup.amazonaws.com/AWSServiceRoleForConfigMultiAccountSetup`;

const on = (action: string, target: Target): Call => ({ action, on: target });

/** IAM role tags, shared by the create (tags at CreateRole) and update paths. */
const TAGS = {
  iam: ["iam:TagRole", "iam:UntagRole"],
  lambda: ["lambda:TagResource", "lambda:UntagResource"],
  logs: ["logs:TagResource", "logs:UntagResource"],
  kms: ["kms:TagResource", "kms:UntagResource"],
  sns: ["sns:TagResource", "sns:UntagResource"],
  events: ["events:TagResource", "events:UntagResource"],
  cloudwatch: ["cloudwatch:TagResource", "cloudwatch:UntagResource"],
  states: ["states:TagResource", "states:UntagResource"],
  config: ["config:TagResource", "config:UntagResource"],
};

/** An S3 bucket setting resource (`s3/<file>.go`): `put` creates, updates and deletes it, `get` reads it. */
function bucketSetting(file: string, put: string, get: string, remove = put): ProviderCalls {
  return {
    source: `${PROVIDER}/s3/${file}.go`,
    create: [on(`s3:${put}`, bucketOf)],
    read: [on(`s3:${get}`, bucketOf)],
    update: [on(`s3:${put}`, bucketOf)],
    delete: [on(`s3:${remove}`, bucketOf)],
  };
}

/** Every resource and data source type the examples create or read, with the calls the provider makes. */
export const PROVIDER_CALLS: Readonly<Record<string, ProviderCalls>> = {
  aws_iam_role: {
    source: `${PROVIDER}/iam/role.go`,
    create: ["iam:CreateRole", "iam:TagRole"],
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
    update: ["iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", ...TAGS.iam],
    delete: ["iam:ListInstanceProfilesForRole", "iam:DeleteRole"],
  },
  aws_iam_role_policy: {
    source: `${PROVIDER}/iam/role_policy.go`,
    create: [on("iam:PutRolePolicy", roleOf)],
    read: [on("iam:GetRolePolicy", roleOf)],
    update: [on("iam:PutRolePolicy", roleOf)],
    delete: [on("iam:DeleteRolePolicy", roleOf)],
  },
  aws_iam_role_policy_attachment: {
    source: `${PROVIDER}/iam/role_policy_attachment.go`,
    create: [on("iam:AttachRolePolicy", roleOf)],
    read: [on("iam:ListAttachedRolePolicies", roleOf)],
    update: [],
    delete: [on("iam:DetachRolePolicy", roleOf)],
  },
  aws_lambda_function: {
    source: `${PROVIDER}/lambda/function.go`,
    create: [
      "lambda:CreateFunction",
      on("iam:PassRole", passedRole),
      "lambda:PutFunctionConcurrency",
      "lambda:TagResource",
    ],
    read: ["lambda:GetFunction", "lambda:ListVersionsByFunction", "lambda:GetFunctionCodeSigningConfig"],
    update: [
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:PutFunctionConcurrency",
      "lambda:DeleteFunctionConcurrency",
      ...TAGS.lambda,
    ],
    delete: ["lambda:DeleteFunction"],
  },
  aws_lambda_permission: {
    source: `${PROVIDER}/lambda/permission.go`,
    create: [on("lambda:AddPermission", functionOf)],
    read: [on("lambda:GetPolicy", functionOf)],
    update: [],
    delete: [on("lambda:RemovePermission", functionOf)],
  },
  aws_lambda_function_event_invoke_config: {
    source: `${PROVIDER}/lambda/function_event_invoke_config.go`,
    create: [on("lambda:PutFunctionEventInvokeConfig", functionOf)],
    read: [on("lambda:GetFunctionEventInvokeConfig", functionOf)],
    update: [on("lambda:UpdateFunctionEventInvokeConfig", functionOf)],
    delete: [on("lambda:DeleteFunctionEventInvokeConfig", functionOf)],
  },
  aws_cloudwatch_log_group: {
    source: `${PROVIDER}/logs/group.go`,
    create: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource"],
    read: ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
    update: [
      "logs:PutRetentionPolicy",
      "logs:DeleteRetentionPolicy",
      "logs:AssociateKmsKey",
      "logs:DisassociateKmsKey",
      ...TAGS.logs,
    ],
    delete: ["logs:DeleteLogGroup"],
  },
  aws_config_config_rule: {
    source: `${PROVIDER}/configservice/config_rule.go`,
    create: ["config:PutConfigRule", "config:TagResource"],
    read: ["config:DescribeConfigRules", "config:ListTagsForResource"],
    update: ["config:PutConfigRule", ...TAGS.config],
    delete: ["config:DeleteConfigRule"],
  },
  aws_config_configuration_recorder: {
    source: `${PROVIDER}/configservice/configuration_recorder.go`,
    create: [on("config:PutConfigurationRecorder", recorderOf), on("iam:PassRole", passedRole)],
    read: [on("config:DescribeConfigurationRecorders", recorderOf)],
    update: [on("config:PutConfigurationRecorder", recorderOf)],
    delete: [on("config:DeleteConfigurationRecorder", recorderOf)],
  },
  aws_config_configuration_recorder_status: {
    source: `${PROVIDER}/configservice/configuration_recorder_status.go`,
    create: [on("config:StartConfigurationRecorder", recorderOf)],
    read: [
      on("config:DescribeConfigurationRecorderStatus", recorderOf),
      on("config:DescribeConfigurationRecorders", recorderOf),
    ],
    update: [
      on("config:StartConfigurationRecorder", recorderOf),
      on("config:StopConfigurationRecorder", recorderOf),
    ],
    delete: [on("config:StopConfigurationRecorder", recorderOf)],
  },
  aws_config_delivery_channel: {
    source: `${PROVIDER}/configservice/delivery_channel.go`,
    create: ["config:PutDeliveryChannel"],
    read: ["config:DescribeDeliveryChannels"],
    update: ["config:PutDeliveryChannel"],
    delete: ["config:DeleteDeliveryChannel"],
  },
  aws_config_configuration_aggregator: {
    source: `${PROVIDER}/configservice/configuration_aggregator.go`,
    // PutConfigurationAggregator with an organization source: Config calls EnableAWSServiceAccess (management
    // account) or ListDelegatedAdministrators (delegated administrator) with the caller's credentials (botocore's
    // config model, PutConfigurationAggregator).
    create: [
      "config:PutConfigurationAggregator",
      on("iam:PassRole", passedRoleOfAggregator),
      "organizations:EnableAWSServiceAccess",
      "organizations:ListDelegatedAdministrators",
      "config:TagResource",
    ],
    read: ["config:DescribeConfigurationAggregators", "config:ListTagsForResource"],
    update: ["config:PutConfigurationAggregator", ...TAGS.config],
    delete: ["config:DeleteConfigurationAggregator"],
  },
  aws_config_organization_custom_rule: {
    source: `${PROVIDER}/configservice/organization_custom_rule.go`,
    // PutOrganizationConfigRule enables service access for config-multiaccountsetup.amazonaws.com, creates (after
    // GetRole) AWSServiceRoleForConfigMultiAccountSetup, and from a delegated administrator needs
    // ListDelegatedAdministrators (botocore's config model, PutOrganizationConfigRule); the waiters read the
    // statuses and, on failure, the detailed status.
    create: [
      "config:PutOrganizationConfigRule",
      "organizations:EnableAWSServiceAccess",
      "organizations:ListDelegatedAdministrators",
      on("iam:GetRole", multiAccountSetupRole),
      on("iam:CreateServiceLinkedRole", multiAccountSetupRole),
      "config:DescribeOrganizationConfigRuleStatuses",
      "config:GetOrganizationConfigRuleDetailedStatus",
    ],
    read: ["config:DescribeOrganizationConfigRules"],
    update: ["config:PutOrganizationConfigRule", "config:DescribeOrganizationConfigRuleStatuses"],
    delete: ["config:DeleteOrganizationConfigRule", "config:DescribeOrganizationConfigRuleStatuses"],
  },
  aws_s3_bucket: {
    source: `${PROVIDER}/s3/bucket.go`,
    create: ["s3:CreateBucket", "s3:PutBucketTagging"],
    // resourceBucketRead: HeadBucket (s3:ListBucket) and every Get of the bucket's settings.
    read: [
      "s3:ListBucket",
      "s3:GetBucketPolicy",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketWebsite",
      "s3:GetBucketVersioning",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketLogging",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketTagging",
    ],
    update: ["s3:PutBucketTagging"],
    // With force_destroy, the objects' versions are listed and deleted first.
    delete: [
      "s3:DeleteBucket",
      "s3:ListBucketVersions",
      on("s3:DeleteObject", objectsOf),
      on("s3:DeleteObjectVersion", objectsOf),
    ],
  },
  // Each bucket setting: its Put creates, updates and (with an empty setting) deletes it, its Get reads it.
  aws_s3_bucket_public_access_block: bucketSetting(
    "bucket_public_access_block",
    "PutBucketPublicAccessBlock",
    "GetBucketPublicAccessBlock",
  ),
  aws_s3_bucket_ownership_controls: bucketSetting(
    "bucket_ownership_controls",
    "PutBucketOwnershipControls",
    "GetBucketOwnershipControls",
  ),
  aws_s3_bucket_server_side_encryption_configuration: bucketSetting(
    "bucket_server_side_encryption_configuration",
    "PutEncryptionConfiguration",
    "GetEncryptionConfiguration",
  ),
  aws_s3_bucket_versioning: bucketSetting("bucket_versioning", "PutBucketVersioning", "GetBucketVersioning"),
  aws_s3_bucket_lifecycle_configuration: bucketSetting(
    "bucket_lifecycle_configuration",
    "PutLifecycleConfiguration",
    "GetLifecycleConfiguration",
  ),
  aws_s3_bucket_policy: bucketSetting(
    "bucket_policy",
    "PutBucketPolicy",
    "GetBucketPolicy",
    "DeleteBucketPolicy",
  ),
  aws_kms_key: {
    source: `${PROVIDER}/kms/key.go`,
    create: ["kms:CreateKey", "kms:TagResource", "kms:EnableKeyRotation"],
    read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
    update: ["kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:EnableKeyRotation", ...TAGS.kms],
    delete: ["kms:ScheduleKeyDeletion"],
  },
  aws_kms_alias: {
    source: `${PROVIDER}/kms/alias.go`,
    create: ["kms:CreateAlias", on("kms:CreateAlias", keyOf)],
    read: ["kms:ListAliases"],
    update: ["kms:UpdateAlias", on("kms:UpdateAlias", keyOf)],
    delete: ["kms:DeleteAlias", on("kms:DeleteAlias", keyOf)],
  },
  aws_sns_topic: {
    source: `${PROVIDER}/sns/topic.go`,
    create: ["sns:CreateTopic", "sns:TagResource"],
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    update: ["sns:SetTopicAttributes", ...TAGS.sns],
    delete: ["sns:DeleteTopic"],
  },
  aws_sns_topic_policy: {
    source: `${PROVIDER}/sns/topic_policy.go`,
    create: [on("sns:SetTopicAttributes", topicOf)],
    read: [on("sns:GetTopicAttributes", topicOf)],
    update: [on("sns:SetTopicAttributes", topicOf)],
    delete: [on("sns:SetTopicAttributes", topicOf)],
  },
  aws_sns_topic_subscription: {
    source: `${PROVIDER}/sns/topic_subscription.go`,
    create: [on("sns:Subscribe", topicOf)],
    read: [on("sns:GetSubscriptionAttributes", topicOf)],
    update: [on("sns:SetSubscriptionAttributes", topicOf)],
    delete: [on("sns:Unsubscribe", topicOf)],
  },
  aws_cloudwatch_event_rule: {
    source: `${PROVIDER}/events/rule.go`,
    create: ["events:PutRule", "events:TagResource"],
    read: ["events:DescribeRule", "events:ListTagsForResource"],
    update: ["events:PutRule", "events:EnableRule", "events:DisableRule", ...TAGS.events],
    delete: ["events:DeleteRule"],
  },
  aws_cloudwatch_event_target: {
    source: `${PROVIDER}/events/target.go`,
    create: [on("events:PutTargets", ruleOf), on("iam:PassRole", passedRole)],
    read: [on("events:ListTargetsByRule", ruleOf)],
    update: [on("events:PutTargets", ruleOf)],
    delete: [on("events:RemoveTargets", ruleOf)],
  },
  aws_cloudwatch_event_bus: {
    source: `${PROVIDER}/events/bus.go`,
    create: ["events:CreateEventBus", "events:TagResource"],
    read: ["events:DescribeEventBus", "events:ListTagsForResource"],
    update: ["events:UpdateEventBus", ...TAGS.events],
    delete: ["events:DeleteEventBus"],
  },
  aws_cloudwatch_event_bus_policy: {
    source: `${PROVIDER}/events/bus_policy.go`,
    create: ["events:PutPermission"],
    read: [on("events:DescribeEventBus", busOf)],
    update: ["events:PutPermission"],
    delete: ["events:RemovePermission"],
  },
  aws_cloudwatch_metric_alarm: {
    source: `${PROVIDER}/cloudwatch/metric_alarm.go`,
    create: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
    read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    update: ["cloudwatch:PutMetricAlarm", ...TAGS.cloudwatch],
    delete: ["cloudwatch:DeleteAlarms"],
  },
  aws_sfn_state_machine: {
    source: `${PROVIDER}/sfn/state_machine.go`,
    create: ["states:CreateStateMachine", on("iam:PassRole", passedRole), "states:TagResource"],
    read: ["states:DescribeStateMachine", "states:ListStateMachineVersions", "states:ListTagsForResource"],
    update: ["states:UpdateStateMachine", ...TAGS.states],
    delete: ["states:DeleteStateMachine"],
  },
  aws_cloudformation_stack_set: {
    source: `${PROVIDER}/cloudformation/stack_set.go`,
    // call_as = DELEGATED_ADMIN: CloudFormation checks the caller is a delegated administrator.
    create: ["cloudformation:CreateStackSet", "organizations:ListDelegatedAdministrators"],
    read: ["cloudformation:DescribeStackSet"],
    update: ["cloudformation:UpdateStackSet", "cloudformation:DescribeStackSetOperation"],
    delete: ["cloudformation:DeleteStackSet"],
  },
  // One resource for every region of a StackSet: the calls act on the StackSet, then wait on its operation.
  aws_cloudformation_stack_instances: {
    source: `${PROVIDER}/cloudformation/stack_instances.go`,
    create: [
      on("cloudformation:CreateStackInstances", stackSetOf),
      on("cloudformation:DescribeStackSetOperation", stackSetOf),
      on("cloudformation:ListStackSetOperationResults", stackSetOf),
    ],
    read: [
      on("cloudformation:DescribeStackInstance", stackSetOf),
      on("cloudformation:ListStackInstances", stackSetOf),
    ],
    update: [
      on("cloudformation:UpdateStackInstances", stackSetOf),
      on("cloudformation:DescribeStackSetOperation", stackSetOf),
    ],
    delete: [
      on("cloudformation:DeleteStackInstances", stackSetOf),
      on("cloudformation:DescribeStackSetOperation", stackSetOf),
    ],
  },
  // Data sources (read only). aws_caller_identity calls sts:GetCallerIdentity, which needs no permission;
  // aws_partition and aws_region make no call.
  aws_organizations_organization: {
    source: `${PROVIDER}/organizations/organization_data_source.go`,
    create: [],
    read: [
      "organizations:DescribeOrganization",
      "organizations:ListAccounts",
      "organizations:ListRoots",
      "organizations:ListAWSServiceAccessForOrganization",
    ],
    update: [],
    delete: [],
  },
};

/** The role an aggregator passes to Config (its organization source's role_arn). */
function passedRoleOfAggregator(instance: Instance): string {
  const [source] = (instance.values.organization_aggregation_source ?? []) as Record<string, Value>[];
  return text(source?.role_arn);
}

/** Data source types that need no permission: aws_caller_identity (sts:GetCallerIdentity needs none), and two that call nothing. */
export const NO_PERMISSION_DATA_SOURCES = [
  "aws_caller_identity",
  "aws_partition",
  "aws_region",
  "aws_iam_policy_document",
];

/** Every call of a type, with the phase it is made in. */
export function callsOf(type: string): { phase: keyof Omit<ProviderCalls, "source">; call: Call }[] {
  const calls = PROVIDER_CALLS[type];
  if (calls === undefined) throw new Error(`no provider calls listed for ${type}`);
  return (["create", "read", "update", "delete"] as const).flatMap((phase) =>
    calls[phase].map((call) => ({ phase, call })),
  );
}

export { self };

/**
 * What AWS accepts for the names, descriptions and documents the modules send it, each with the source that says
 * so: the shape in AWS's API model (botocore's data/<service>/<version>/service-2.json, the AWS SDKs' source of
 * truth), the provider's validation (hashicorp/terraform-provider-aws), or the AWS documentation page that states
 * the rule or the quota. A test holds every name and document a plan gives to these.
 */

/** The rule for one kind of name or text. */
export interface NameRule {
  readonly what: string;
  readonly min: number;
  /** Characters (UTF-16 code units: every rule here is about ASCII names or Latin-1 text). */
  readonly max: number;
  /** The whole value must match. */
  readonly pattern?: RegExp;
  /** Further rules of the source, as the reason a value breaks one. */
  readonly more?: (value: string) => string | undefined;
  readonly source: string;
}

const MODEL = (service: string, shape: string): string =>
  `botocore data/${service}/service-2.json, shape ${shape}`;

/** S3's reserved prefixes and suffixes of general purpose bucket names. */
const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Every kind of name and text the modules send, with what AWS (or the provider, where it is stricter) accepts.
 *
 * @example
 * ```ts
 * ruleProblem(NAMES.iamRoleName, "root-activity-lambda"); // undefined
 * ```
 */
export const NAMES = {
  iamRoleName: {
    what: "IAM role name",
    min: 1,
    max: 64,
    pattern: /^[\w+=,.@-]+$/,
    source: MODEL("iam/2010-05-08", "roleNameType"),
  },
  iamRoleDescription: {
    what: "IAM role description",
    min: 0,
    max: 1000,
    pattern: /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/,
    source: MODEL("iam/2010-05-08", "roleDescriptionType"),
  },
  iamPolicyName: {
    what: "IAM inline policy name",
    min: 1,
    max: 128,
    pattern: /^[\w+=,.@-]+$/,
    source: MODEL("iam/2010-05-08", "policyNameType"),
  },
  lambdaFunctionName: {
    what: "Lambda function name",
    min: 1,
    max: 64,
    pattern: /^[a-zA-Z0-9-_]+$/,
    source: `${MODEL("lambda/2015-03-31", "FunctionName")} (its name part; "If you specify only the function name, it is limited to 64 characters", CreateFunction)`,
  },
  lambdaDescription: {
    what: "Lambda function description",
    min: 0,
    max: 256,
    source: MODEL("lambda/2015-03-31", "Description"),
  },
  lambdaStatementId: {
    what: "Lambda permission statement ID",
    min: 1,
    max: 100,
    pattern: /^[a-zA-Z0-9-_]+$/,
    source: MODEL("lambda/2015-03-31", "StatementId"),
  },
  logGroupName: {
    what: "CloudWatch Logs log group name",
    min: 1,
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    source: MODEL("logs/2014-03-28", "LogGroupName"),
  },
  eventRuleName: {
    what: "EventBridge rule name",
    min: 1,
    max: 64,
    pattern: /^[.\-_A-Za-z0-9]+$/,
    source: MODEL("events/2015-10-07", "RuleName"),
  },
  eventRuleDescription: {
    what: "EventBridge rule description",
    min: 0,
    max: 512,
    source: MODEL("events/2015-10-07", "RuleDescription"),
  },
  eventTargetId: {
    what: "EventBridge target ID",
    min: 1,
    max: 64,
    pattern: /^[.\-_A-Za-z0-9]+$/,
    source: MODEL("events/2015-10-07", "TargetId"),
  },
  eventBusName: {
    what: "EventBridge custom event bus name",
    min: 1,
    max: 256,
    pattern: /^[.\-_A-Za-z0-9]+$/,
    more: (value) =>
      value === "default" || value.startsWith("aws.") ? "a name reserved for AWS's buses" : undefined,
    source: `${MODEL("events/2015-10-07", "EventBusName")} ("Custom event bus names can't contain the / character", "You can't use the name default", CreateEventBus)`,
  },
  eventBusDescription: {
    what: "EventBridge event bus description",
    min: 0,
    max: 512,
    source: MODEL("events/2015-10-07", "EventBusDescription"),
  },
  alarmName: {
    what: "CloudWatch alarm name",
    min: 1,
    max: 255,
    source: MODEL("cloudwatch/2010-08-01", "AlarmName"),
  },
  alarmDescription: {
    what: "CloudWatch alarm description",
    min: 0,
    max: 1024,
    source: MODEL("cloudwatch/2010-08-01", "AlarmDescription"),
  },
  snsTopicName: {
    what: "SNS topic name",
    min: 1,
    max: 256,
    pattern: /^[A-Za-z0-9_-]+$/,
    source: `${MODEL("sns/2010-03-31", "topicName")} ("Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long")`,
  },
  kmsAliasName: {
    what: "KMS alias name",
    min: 1,
    max: 256,
    pattern: /^alias\/[a-zA-Z0-9:/_-]+$/,
    more: (value) =>
      value.startsWith("alias/aws/") ? "alias/aws/ is reserved for AWS managed keys" : undefined,
    source: `${MODEL("kms/2014-11-01", "AliasNameType")} (CreateAlias: "must begin with alias/", "cannot begin with alias/aws/")`,
  },
  kmsKeyDescription: {
    what: "KMS key description",
    min: 0,
    max: 8192,
    source: MODEL("kms/2014-11-01", "DescriptionType"),
  },
  stateMachineName: {
    what: "Step Functions state machine name",
    min: 1,
    max: 80,
    // Logging to CloudWatch Logs needs the narrower set.
    pattern: /^[0-9A-Za-z_-]+$/,
    source: `${MODEL("stepfunctions/2016-11-23", "Name")} (CreateStateMachine: "To enable logging with CloudWatch Logs, the name should only contain 0-9, A-Z, a-z, - and _")`,
  },
  configRuleName: {
    what: "AWS Config rule name",
    min: 1,
    max: 128,
    pattern: /^.*\S.*$/,
    source: MODEL("config/2014-11-12", "ConfigRuleName"),
  },
  configRuleDescription: {
    what: "AWS Config rule description",
    min: 0,
    max: 256,
    source: MODEL("config/2014-11-12", "EmptiableStringWithCharLimit256 (ConfigRule.Description)"),
  },
  organizationConfigRuleName: {
    what: "AWS Config organization rule name",
    min: 1,
    max: 64,
    pattern: /^[A-Za-z0-9-_]+$/,
    source: MODEL("config/2014-11-12", "OrganizationConfigRuleName"),
  },
  organizationConfigRuleDescription: {
    what: "AWS Config organization rule description",
    min: 0,
    max: 256,
    source: MODEL(
      "config/2014-11-12",
      "StringWithCharLimit256Min0 (OrganizationCustomRuleMetadata.Description)",
    ),
  },
  recorderName: {
    what: "AWS Config configuration recorder name",
    min: 1,
    max: 256,
    source: MODEL("config/2014-11-12", "RecorderName"),
  },
  deliveryChannelName: {
    what: "AWS Config delivery channel name",
    min: 1,
    max: 256,
    source: MODEL("config/2014-11-12", "ChannelName"),
  },
  aggregatorName: {
    what: "AWS Config aggregator name",
    min: 1,
    max: 256,
    pattern: /^[\w-]+$/,
    source: MODEL("config/2014-11-12", "ConfigurationAggregatorName"),
  },
  conformancePackName: {
    what: "AWS Config conformance pack name",
    min: 1,
    max: 256,
    pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
    source: MODEL("config/2014-11-12", "ConformancePackName"),
  },
  organizationConformancePackName: {
    what: "AWS Config organization conformance pack name",
    min: 1,
    max: 128,
    pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
    source: MODEL("config/2014-11-12", "OrganizationConformancePackName"),
  },
  stackSetName: {
    what: "CloudFormation StackSet name",
    min: 1,
    max: 128,
    pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
    source:
      'hashicorp/terraform-provider-aws internal/service/cloudformation/stack_set.go (name: StringLenBetween(1, 128), ^[A-Za-z], ^[0-9A-Za-z-]+$); CreateStackSet: "can contain only alphanumeric characters (case-sensitive) and hyphens. It must start with an alphabetic character and can\'t be longer than 128 characters"',
  },
  stackSetDescription: {
    what: "CloudFormation StackSet description",
    min: 1,
    max: 1024,
    source: MODEL("cloudformation/2010-05-15", "Description"),
  },
  templateDescription: {
    what: "CloudFormation template description",
    min: 0,
    max: 1024,
    source:
      'CloudFormation User Guide, "Description" (template-description-structure): "a literal string that\'s between 0 and 1024 bytes in length"',
  },
  s3BucketName: {
    what: "S3 general purpose bucket name",
    min: 3,
    max: 63,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    more: (value) => {
      if (value.includes("..")) return "two adjacent periods";
      if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return "formatted as an IP address";
      const prefix = S3_RESERVED_PREFIXES.find((reserved) => value.startsWith(reserved));
      if (prefix !== undefined) return `the reserved prefix ${prefix}`;
      const suffix = S3_RESERVED_SUFFIXES.find((reserved) => value.endsWith(reserved));
      return suffix === undefined ? undefined : `the reserved suffix ${suffix}`;
    },
    source:
      "Amazon S3 User Guide, General purpose bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)",
  },
} as const satisfies Record<string, NameRule>;

/**
 * Why `value` breaks `rule`, or undefined when AWS accepts it.
 *
 * @example
 * ```ts
 * ruleProblem(NAMES.stackSetName, "root_activity-member-role"); // "does not match /^[a-zA-Z][-a-zA-Z0-9]*$/"
 * ```
 */
export function ruleProblem(rule: NameRule, value: string): string | undefined {
  if (value.length < rule.min) return `shorter than ${rule.min}`;
  if (value.length > rule.max) return `${value.length} characters, more than ${rule.max}`;
  if (rule.pattern !== undefined && !rule.pattern.test(value)) return `does not match ${rule.pattern}`;
  return rule.more?.(value);
}

/** How a quota counts a document. */
export type Measure = "IAM characters" | "characters" | "bytes";

/** A quota on the size of what the modules send. */
export interface Quota {
  readonly what: string;
  readonly max: number;
  readonly measure: Measure;
  readonly source: string;
}

const IAM_QUOTAS =
  "IAM User Guide, IAM and AWS STS quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)";

/**
 * The quotas on the documents and texts the modules send.
 *
 * @example
 * ```ts
 * QUOTAS.roleTrustPolicy.max; // 2048
 * ```
 */
export const QUOTAS = {
  roleTrustPolicy: {
    what: "role trust policy length",
    max: 2048,
    measure: "IAM characters",
    source: `${IAM_QUOTAS}: "Role trust policy length: 2,048 characters"`,
  },
  roleInlinePolicies: {
    what: "aggregate size of a role's inline policies",
    max: 10240,
    measure: "IAM characters",
    source: `${IAM_QUOTAS}: "Role policy size cannot exceed 10,240 characters"`,
  },
  managedPolicy: {
    what: "managed policy size",
    max: 6144,
    measure: "IAM characters",
    source: `${IAM_QUOTAS}: "Managed policy size cannot exceed 6,144 characters"`,
  },
  snsTopicPolicy: {
    what: "SNS topic policy size",
    max: 30 * 1024,
    measure: "bytes",
    source:
      "Amazon SNS Developer Guide, API permissions: Actions and resources reference, Policy quotas: Bytes 30 kb (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html)",
  },
  kmsKeyPolicy: {
    what: "KMS key policy document size",
    max: 32768,
    measure: "bytes",
    source:
      "AWS KMS Developer Guide, Resource quotas: Key policy document size 32 KB (32,768 bytes) (https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html)",
  },
  s3BucketPolicy: {
    what: "S3 bucket policy size",
    max: 20 * 1024,
    measure: "bytes",
    source:
      'Amazon S3 User Guide, Bucket policies: "Bucket policies are limited to 20 KB in size" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html)',
  },
  lambdaFunctionPolicy: {
    what: "Lambda function resource-based policy size",
    max: 20 * 1024,
    measure: "bytes",
    source:
      "AWS Lambda Developer Guide, Lambda quotas: Function resource-based policy 20 KB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)",
  },
  eventBusPolicy: {
    what: "EventBridge event bus policy size",
    max: 10240,
    measure: "characters",
    source:
      "Amazon EventBridge User Guide, EventBridge quotas: Event bus policy size 10,240 characters (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html)",
  },
  eventPattern: {
    what: "EventBridge event pattern size",
    max: 2048,
    measure: "characters",
    source:
      "Amazon EventBridge User Guide, EventBridge quotas: Event pattern size 2,048 characters (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html)",
  },
  inputTemplate: {
    what: "EventBridge input template length",
    max: 8192,
    measure: "characters",
    source: MODEL("events/2015-10-07", "TransformerInput"),
  },
  inputPaths: {
    what: "EventBridge input paths",
    max: 100,
    measure: "characters",
    source: MODEL("events/2015-10-07", "TransformerPaths (max 100 entries)"),
  },
  stackSetTemplate: {
    what: "StackSet template body size",
    max: 51200,
    measure: "bytes",
    source: `${MODEL("cloudformation/2010-05-15", "CreateStackSetInput.TemplateBody")}: "a maximum length of 51,200 bytes"`,
  },
  conformancePackTemplate: {
    what: "conformance pack template body size",
    max: 51200,
    measure: "bytes",
    source: MODEL("config/2014-11-12", "TemplateBody"),
  },
  configRuleParameters: {
    what: "AWS Config rule input parameters",
    max: 1024,
    measure: "characters",
    source: MODEL("config/2014-11-12", "StringWithCharLimit1024 (ConfigRule.InputParameters)"),
  },
  organizationRuleParameters: {
    what: "AWS Config organization rule input parameters",
    max: 1024,
    measure: "characters",
    source: `${MODEL("config/2014-11-12", "StringWithCharLimit1024 (OrganizationCustomRuleMetadata.InputParameters)")}; the provider allows 2048, AWS does not`,
  },
  conformancePackParameters: {
    what: "conformance pack input parameters",
    max: 60,
    measure: "characters",
    source: MODEL("config/2014-11-12", "ConformancePackInputParameters (max 60 entries)"),
  },
  conformancePackParameterValue: {
    what: "conformance pack input parameter value",
    max: 4096,
    measure: "characters",
    source: MODEL("config/2014-11-12", "ParameterValue"),
  },
} as const satisfies Record<string, Quota>;

/**
 * The size of `text` as `measure` counts it: IAM's characters without white space (IAM User Guide, "IAM does not
 * count white space"; counted on the minified JSON, never less than IAM counts), UTF-8 bytes, or characters.
 *
 * @example
 * ```ts
 * measure('{ "a": 1 }', "IAM characters"); // 7
 * ```
 */
export function measure(text: string, how: Measure): number {
  if (how === "IAM characters") return JSON.stringify(JSON.parse(text)).length;
  if (how === "bytes") return Buffer.byteLength(text, "utf8");
  return text.length;
}

/**
 * Which values each validated variable of each Terraform module must accept and reject: the values at and beyond
 * each bound, taken from the limits the services document (and the variables' descriptions state), never read from
 * the conditions. test/terraform-validations.test.ts checks every module against its table, and plans every accepted
 * value; other tests take them as samples (sampleValues()).
 */
import { partitionIds, regionsOf } from "./aws-regions.ts";
import type { Value } from "./hcl-expression.ts";

export interface Case {
  readonly accepted: readonly Value[];
  readonly rejected: readonly Value[];
}

const a = (length: number): string => "a".repeat(length);
const ACCOUNT = "123456789012";

/** `count` distinct region names: us-east-1, us-east-2, ... */
const regions = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `us-east-${index + 1}`);

// Lambda: CreateFunction's runtimes (the module supports Node.js 22 and later), architectures, memory 128-10240 MB,
// timeout up to 900 s (the module's own floor is 10 s), reserved concurrency; Lambda's async retries 0-2.
const RUNTIME: Case = {
  accepted: ["nodejs22.x", "nodejs24.x"],
  rejected: ["nodejs20.x", "nodejs18.x", "python3.13", ""],
};
const ARCHITECTURE: Case = { accepted: ["arm64", "x86_64"], rejected: ["ARM64", "x86", ""] };
const MEMORY_SIZE: Case = { accepted: [128, 1024, 10240], rejected: [127, 10241, 128.5] };
const TIMEOUT: Case = { accepted: [10, 120, 900], rejected: [9, 901, 60.5] };
const RESERVED_CONCURRENCY: Case = { accepted: [null, 1, 100], rejected: [0, -1, 2.5] };
const RETRY_ATTEMPTS: Case = { accepted: [0, 1, 2], rejected: [-1, 3, 0.5] };
const LOG_LEVEL: Case = { accepted: ["DEBUG", "INFO", "WARN", "ERROR"], rejected: ["debug", "TRACE", ""] };
// PutRetentionPolicy's documented values; 0 is the provider's "never expire".
const LOG_RETENTION: Case = {
  accepted: [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
    3653,
  ],
  rejected: [-1, 2, 4, 366, 3652, 3654, 1.5],
};
const KMS_KEY_ARN: Case = {
  accepted: [
    null,
    `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/mrk-1`,
    `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT}:key/k`,
  ],
  rejected: [
    "alias/logs",
    "alias/aws/sns",
    `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/aws/sns`,
    `arn:aws:kms:eu-west-1:${ACCOUNT}:key/`,
    "arn:aws:kms:eu-west-1:12345678901:key/k",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
  ],
};
// AWS Config's MaximumExecutionFrequency.
const FREQUENCY: Case = {
  accepted: ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"],
  rejected: ["One_hour", "Daily", ""],
};
// The rule parameter lookbackDays: a whole number of days from 1 to 3650.
const LOOKBACK_DAYS: Case = { accepted: [1, 30, 3650], rejected: [0, -1, 3651, 1.5] };
// The rule parameter cloudTrailRegions: region names, each once, at most 50 (the function's limit, rule/params.ts)
// and 700 characters joined with commas (AWS Config takes 1024 characters of rule parameters:
// ConfigRule.InputParameters, StringWithCharLimit1024).
const CLOUDTRAIL_REGIONS: Case = {
  accepted: [
    [],
    ["us-east-1"],
    ["eu-central-2", "ap-southeast-5", "us-gov-west-1", "cn-north-1"],
    // Every partition's regions (the SDK's endpoint data): eusc-de-east-1, us-isob-east-1, eu-isoe-west-1...
    ...partitionIds().map(regionsOf),
    regions(50),
  ],
  rejected: [
    ["US-EAST-1"],
    ["us-east"],
    ["us-east-100"],
    ["global"],
    ["us-east-1", "us-east-1"],
    regions(51),
    Array.from({ length: 45 }, (_, index) => `ap-southeast-${index + 1}`),
  ],
};
// Region names up to a four-letter prefix (eusc-de-east-1, the European Sovereign Cloud) and a two-digit number.
const ALERT_REGIONS: Case = {
  accepted: [
    [],
    ["us-east-1"],
    ["us-east-1", "eu-west-1", "us-gov-west-1"],
    ["eusc-de-east-1", "ap-southeast-5"],
  ],
  rejected: [
    ["US-EAST-1"],
    ["us-east"],
    ["global"],
    ["us-east-1", "us-east-1"],
    ["us-east-1a"],
    ["us-east-100"],
    ["abcde-east-1"],
    [""],
  ],
};
// A standard SNS topic: names of 1-256 letters, digits, hyphens and underscores (a FIFO topic's ends in .fifo).
const TOPIC_ARN: Case = {
  accepted: [
    null,
    `arn:aws:sns:eu-west-1:${ACCOUNT}:root-activity`,
    `arn:aws-cn:sns:cn-north-1:${ACCOUNT}:${a(256)}`,
  ],
  rejected: [
    `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts.fifo`,
    `arn:aws:sns:eu-west-1:${ACCOUNT}:${a(257)}`,
    `arn:aws:sns:eu-west-1:${ACCOUNT}:`,
    `arn:aws:sqs:eu-west-1:${ACCOUNT}:queue`,
    `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts:5d1b2c3e-subscription`,
    "arn:aws:sns:eu-west-1:12345:alerts",
    "root-activity",
  ],
};
const EMAILS: Case = {
  accepted: [[], ["ops@example.com", "first.last+root@mail.example.org"]],
  rejected: [
    ["ops"],
    ["ops@example"],
    ["a b@example.com"],
    ["a@b@example.com"],
    ["ops@example.com", "@example.com"],
  ],
};
// AWS Config's compliance types.
const NOTIFY_ON: Case = {
  accepted: [["NON_COMPLIANT"], ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"]],
  rejected: [[], ["NON_COMPLIANT", "NON_COMPLIANT"], ["non_compliant"], ["FAILED"]],
};
// PutConformancePack's DeliveryS3KeyPrefix: at most 1024 characters.
const KEY_PREFIX: Case = { accepted: [null, "", a(1024)], rejected: [a(1025)] };
// A name from which the modules derive Lambda, IAM and EventBridge names: a letter, then letters, digits, "-", "_".
const NAME_48: Case = {
  accepted: ["a", "root-activity", "Root_Activity-2", a(48)],
  rejected: ["", a(49), "1root", "-root", "root activity", "root.activity", "root/activity"],
};
/** `count` distinct account IDs. */
const accounts = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => String(100000000000 + index));
const ACCOUNT_IDS: Case = {
  accepted: [[], [ACCOUNT], [ACCOUNT, "000000000000"]],
  rejected: [["12345678901"], ["1234567890123"], ["12345678901a"], [ACCOUNT, ""]],
};
// One Lambda permission statement per account: at most 50 keep the function policy within Lambda's 20 KB.
const INVOKE_ACCOUNT_IDS: Case = {
  accepted: [...ACCOUNT_IDS.accepted, accounts(50)],
  rejected: [...ACCOUNT_IDS.rejected, accounts(51)],
};
// PutOrganizationConfigRule and PutOrganizationConformancePack: ExcludedAccounts, at most 1000.
const EXCLUDED_ACCOUNTS: Case = {
  accepted: [...ACCOUNT_IDS.accepted, accounts(1000)],
  rejected: [...ACCOUNT_IDS.rejected, accounts(1001)],
};

/** The evaluator function's settings, which every module that deploys it takes and passes on. */
const FUNCTION_SETTINGS: Record<string, Case> = {
  // The function's code: a local zip, or an S3 object (Lambda's S3Bucket 3-63, S3Key and S3ObjectVersion 1-1024
  // characters; S3's bucket naming rules).
  lambda_zip_path: {
    accepted: [null, "dist/lambda.zip", "../build/root activity.zip"],
    rejected: ["", "dist/lambda", "a.jar"],
  },
  lambda_s3_bucket: {
    accepted: [null, "abc", a(63), "artifacts.example-org"],
    rejected: ["", "ab", a(64), "Artifacts", "a..b", "-abc", "abc."],
  },
  lambda_s3_key: {
    accepted: [null, "k", a(1024), "root-activity/v0.1.0/lambda.zip"],
    rejected: ["", a(1025)],
  },
  lambda_s3_object_version: { accepted: [null, "v", a(1024)], rejected: ["", a(1025)] },
  runtime: RUNTIME,
  architecture: ARCHITECTURE,
  memory_size: MEMORY_SIZE,
  timeout: TIMEOUT,
  log_level: LOG_LEVEL,
  log_retention_in_days: LOG_RETENTION,
  log_group_kms_key_arn: KMS_KEY_ARN,
  maximum_retry_attempts: RETRY_ATTEMPTS,
};

/** One table per module: every variable with a validation. */
export const VALIDATION_CASES: [string, Record<string, Case>][] = [
  [
    "terraform",
    {
      name: NAME_48,
      ...FUNCTION_SETTINGS,
      maximum_execution_frequency: FREQUENCY,
      lookback_days: LOOKBACK_DAYS,
      cloudtrail_regions: CLOUDTRAIL_REGIONS,
      config_recorder_role_arn: {
        accepted: [
          null,
          `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
          `arn:aws-us-gov:iam::${ACCOUNT}:role/config-recorder`,
        ],
        rejected: [
          "AWSServiceRoleForConfig",
          `arn:aws:iam::${ACCOUNT}:user/config`,
          `arn:aws:iam::${ACCOUNT}:role/`,
          "arn:aws:iam::12345678901:role/config",
        ],
      },
      // AWS Config's resource types, AWS::<service>::<resource>.
      config_recorder_resource_types: {
        accepted: [["AWS::Config::ResourceCompliance"], ["AWS::IAM::User", "AWS::S3::Bucket"]],
        rejected: [
          [],
          ["AWS::IAM"],
          ["IAM::User"],
          ["AWS::IAM::User::Policy"],
          ["AWS::Config::ResourceCompliance", ""],
        ],
      },
      // S3 general purpose bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, a letter or digit
      // at either end, no two dots in a row, not an IP address, none of the reserved prefixes and suffixes.
      config_bucket_name: {
        accepted: [
          null,
          "abc",
          a(63),
          "config-root-activity-123456789012-eu-west-1",
          "a.b",
          "my-xn--bucket",
          "1.2.3",
        ],
        rejected: [
          "ab",
          a(64),
          "Root_Activity",
          "-abc",
          "abc-",
          "ABC",
          "a..b",
          "192.168.5.4",
          "xn--bucket",
          "sthree-bucket",
          "amzn-s3-demo-bucket",
          "bucket-s3alias",
          "bucket--ol-s3",
          "bucket.mrap",
          "bucket--x-s3",
          "bucket--table-s3",
        ],
      },
      config_bucket_kms_key_arn: KMS_KEY_ARN,
      config_bucket_expiration_days: { accepted: [null, 1, 365], rejected: [0, -1, 1.5] },
      notification_topic_arn: TOPIC_ARN,
      notification_kms_key_arn: KMS_KEY_ARN,
      notification_emails: EMAILS,
      notify_on: NOTIFY_ON,
      // PutConformancePack's ConformancePackName: a letter, then letters, digits and hyphens, at most 256.
      conformance_pack_name: {
        accepted: [null, "a", "RootActivity-1", a(256)],
        rejected: ["", a(257), "1pack", "-pack", "pack_name"],
      },
      conformance_pack_delivery_s3_bucket: {
        accepted: [null, "abc", a(63), "awsconfigconforms-root"],
        rejected: ["ab", a(64), "Bucket", "-abc"],
      },
      conformance_pack_delivery_s3_key_prefix: KEY_PREFIX,
      root_activity_alert_regions: ALERT_REGIONS,
      root_activity_alert_reevaluate_delay_minutes: { accepted: [5, 15, 120], rejected: [4, 121, 5.5] },
    },
  ],
  [
    "terraform/modules/evaluator",
    {
      // The evaluator's execution role `<name>-lambda-exec` must fit IAM's 64 characters.
      name: {
        accepted: ["a", "Root_Activity-2", a(57)],
        rejected: ["", a(58), "1root", "-root", "root.activity"],
      },
      // Lambda's function description: 256 characters; IAM's role description: 1000.
      description: { accepted: ["", a(256)], rejected: [a(257)] },
      role_description: { accepted: ["", a(1000)], rejected: [a(1001)] },
      ...FUNCTION_SETTINGS,
      reserved_concurrent_executions: RESERVED_CONCURRENCY,
      policy_json: {
        accepted: [null, '{"Version":"2012-10-17","Statement":[]}'],
        rejected: ['{"Version":"2012-10-17"}', "[]", "not json", ""],
      },
      // Organizations: IDs o- and 10 to 32 lowercase letters or digits; 12-digit account IDs.
      organization: {
        accepted: [
          null,
          { id: `o-${a(10)}`, management_account_id: ACCOUNT },
          { id: `o-${"a1".repeat(16)}`, management_account_id: ACCOUNT },
        ],
        rejected: [
          { id: `o-${a(9)}`, management_account_id: ACCOUNT },
          { id: `o-${a(33)}`, management_account_id: ACCOUNT },
          { id: "o-ABCDEFGHIJ", management_account_id: ACCOUNT },
          { id: `o-${a(10)}`, management_account_id: "12345678901" },
          { id: `o-${a(10)}`, management_account_id: "1234567890123" },
        ],
      },
    },
  ],
  [
    "terraform/modules/notifications",
    {
      name: NAME_48,
      topic_arn: TOPIC_ARN,
      kms_key_arn: KMS_KEY_ARN,
      emails: EMAILS,
      maximum_execution_frequency: FREQUENCY,
      // Keys 1-9 lowercase letters, digits or hyphens (rule names `<name>-root-<key>` fit EventBridge's 64);
      // EventBridge's limits: description 512, event pattern 4096, input template 8192 characters, 100 input paths.
      alert_rules: {
        accepted: [
          {},
          { "sign-in": alert({}) },
          { [a(9)]: alert({ state: "ENABLED" }) },
          {
            limits: alert({
              description: a(512),
              event_pattern: a(4096),
              input_template: a(8192),
              input_paths: inputPaths(100),
            }),
          },
        ],
        rejected: [
          { "": alert({}) },
          { [a(10)]: alert({}) },
          { "Sign-in": alert({}) },
          { sign_in: alert({}) },
          { x: alert({ state: "DISABLED" }) },
          { x: alert({ description: a(513) }) },
          { x: alert({ event_pattern: a(4097) }) },
          { x: alert({ input_template: a(8193) }) },
          { x: alert({ input_paths: inputPaths(101) }) },
        ],
      },
      extra_alarm_arns: {
        accepted: [[], [`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:root-activity-reevaluate`]],
        rejected: [
          [`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:`],
          [`arn:aws:sns:eu-west-1:${ACCOUNT}:alarm:x`],
          ["root-activity-reevaluate"],
        ],
      },
    },
  ],
  [
    "terraform/modules/root-activity-forwarding",
    {
      name: NAME_48,
      regions: {
        accepted: [[], ["us-east-1"], ["eu-central-2", "us-gov-west-1"]],
        rejected: [["US-EAST-1"], ["us-east"], ["global"], ["us-east-1", ""]],
      },
      // EventBridge event bus names: 1-256 of letters, digits, ".", "-", "_".
      destination_bus_arn: {
        accepted: [
          `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`,
          `arn:aws-cn:events:cn-north-1:${ACCOUNT}:event-bus/${a(256)}`,
          `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/root.activity_bus-1`,
        ],
        rejected: [
          `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/`,
          `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${a(257)}`,
          `arn:aws:events:us-east-1:${ACCOUNT}:rule/default`,
          `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/a/b`,
          "default",
        ],
      },
    },
  ],
  [
    "terraform/modules/root-activity-events",
    {
      // The console's domain in the aws, aws-cn and aws-us-gov partitions.
      console_domain: {
        accepted: ["console.aws.amazon.com", "console.amazonaws.cn", "console.amazonaws-us-gov.com"],
        rejected: ["console.aws.amazon.com.example.com", "aws.amazon.com", ""],
      },
      // CloudWatch alarm names in an event pattern (up to 255 here) and EventBridge rule names (64).
      forwarding_alarm_name: {
        accepted: ["a", a(255), "root-activity.fwd_1"],
        rejected: ["", a(256), "a b", "a/b"],
      },
      forwarding_rule_name: {
        accepted: ["a", a(64), "root-activity.fwd_1"],
        rejected: ["", a(65), "a b", "a/b"],
      },
      // A JSON string in the input template, whose <...> are placeholders: no quote, backslash or "<".
      // Control characters, unescaped in a JSON string, are invalid JSON too.
      message_suffix: {
        accepted: ["", a(500), "(production)", "é ✓ & >"],
        rejected: [a(501), 'a"b', "a<b", "a\\b", "a\nb", "a\tb", "\u001f"],
      },
    },
  ],
  [
    "terraform/modules/organization",
    {
      // Shorter than the single-account name: the StackSet and its roles add longer suffixes. No "_": it names the
      // StackSets (CreateStackSet: letters, digits and hyphens).
      name: {
        accepted: ["a", "Root-Activity-2", a(46)],
        rejected: ["", a(47), "1root", "-root", "root.activity", "root_activity", "Root_Activity-2"],
      },
      call_as: { accepted: ["SELF", "DELEGATED_ADMIN"], rejected: ["self", "MEMBER", ""] },
      // Terraform's resource timeouts take Go durations (time.ParseDuration): hours, minutes, seconds.
      deployment_timeouts: {
        accepted: [{}, null, { create: "2h" }, { create: "90m", update: "1h30m", delete: "3600s" }],
        rejected: [{ create: "" }, { update: "60" }, { delete: "1 hour" }, { create: "-5m" }, "60m"],
      },
      // IAM role names: 1-64 of A-Z a-z 0-9 + = , . @ _ -, no path.
      member_role_name: {
        accepted: ["a", a(64), "Root+Activity=,.@_-"],
        rejected: ["", a(65), "path/role", "a b"],
      },
      // Organizations: a root r- and 4-32 lowercase letters or digits; an OU ou-<4-32>-<8-32>.
      organizational_unit_ids: {
        accepted: [[], ["r-ab12"], [`r-${a(32)}`], ["ou-ab12-abcdefgh"], [`ou-${a(32)}-${a(32)}`]],
        rejected: [
          ["r-abc"],
          [`r-${a(33)}`],
          ["ou-ab12-abcdefg"],
          ["ou-abc-abcdefgh"],
          [`ou-ab12-${a(33)}`],
          ["o-abcdefghij"],
          ["R-AB12"],
        ],
      },
      // CloudFormation StackSet operation preferences: percentages, 0-100 tolerated failures, 1-100 concurrent.
      stack_set_failure_tolerance_percentage: { accepted: [0, 10, 100], rejected: [-1, 101, 0.5] },
      stack_set_max_concurrent_percentage: { accepted: [1, 25, 100], rejected: [0, 101, 1.5] },
      ...FUNCTION_SETTINGS,
      reserved_concurrent_executions: RESERVED_CONCURRENCY,
      lambda_invoke_source_account_ids: INVOKE_ACCOUNT_IDS,
      maximum_execution_frequency: FREQUENCY,
      lookback_days: LOOKBACK_DAYS,
      excluded_accounts: EXCLUDED_ACCOUNTS,
      cloudtrail_regions: CLOUDTRAIL_REGIONS,
      notification_topic_arn: TOPIC_ARN,
      notification_kms_key_arn: KMS_KEY_ARN,
      notification_emails: EMAILS,
      notify_on: NOTIFY_ON,
      // PutOrganizationConformancePack: a name of at most 128; a delivery bucket whose name starts with
      // awsconfigconforms, an S3 bucket name of at most 63.
      conformance_pack_name: {
        accepted: [null, "a", "RootActivity-1", a(128)],
        rejected: ["", a(129), "1pack", "pack_name"],
      },
      conformance_pack_delivery_s3_bucket: {
        accepted: [null, "awsconfigconforms-root", `awsconfigconforms${a(46)}`, "awsconfigconforms.root-1"],
        rejected: [
          `awsconfigconforms${a(47)}`,
          "root-activity-config",
          "awsconfigconforms-",
          "Awsconfigconformsroot",
        ],
      },
      conformance_pack_delivery_s3_key_prefix: KEY_PREFIX,
      root_activity_alert_regions: ALERT_REGIONS,
    },
  ],
];

/** An alert rule of the notifications module, with `changes` over one that fits every limit. */
function alert(changes: Partial<Record<string, Value>>): Value {
  return {
    description: "Root signed in",
    event_pattern: '{"source":["aws.signin"]}',
    input_paths: { account: "$.account" },
    input_template: '"Root signed in to <account>"',
    state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    ...changes,
  } as Value;
}

/** `count` input paths `p1 = $.detail.p1`, ... */
function inputPaths(count: number): Value {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, `$.detail.p${index}`]));
}

/** Every sample value (accepted or rejected) of variable `name` in any module's table. */
export function sampleValues(name: string): Value[] {
  const found = VALIDATION_CASES.flatMap(([, cases]) => {
    const samples = cases[name];
    return samples === undefined ? [] : [...samples.accepted, ...samples.rejected];
  });
  if (found.length === 0) throw new Error(`no sample values for ${name}`);
  return found;
}

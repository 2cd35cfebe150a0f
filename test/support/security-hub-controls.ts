/**
 * What AWS Security Hub's controls would find on the resources a plan creates (test/support/plan.ts): for each
 * control that evaluates a resource type the modules create, the check the control runs, as the Security Hub User
 * Guide's controls reference states it (each control's page cited on its entry), applied to the planned arguments.
 * A finding is PASSED or FAILED per resource, as Security Hub reports it. Resources that StackSets create in member
 * accounts are evaluated from the StackSet templates.
 */
import type { Value } from "./hcl-expression.ts";
import type { Instance, Plan } from "./plan.ts";

/** One finding: the resource (a plan address, or `<StackSet>:<logical ID>` for a member account's) and its result. */
export interface Finding {
  readonly resource: string;
  readonly passed: boolean;
  /** Why it failed, for the test's message. */
  readonly reason?: string;
}

/** A Security Hub control, as far as the modules' resources go. */
export interface Control {
  /** `Lambda.1` */
  readonly id: string;
  /** The controls reference page it is described on. */
  readonly source: string;
  /** The resource types it evaluates (Terraform types; CloudFormation types for member-account resources). */
  readonly resourceTypes: readonly string[];
  /** The findings it would give on a plan's resources. */
  evaluate(plan: Plan): Finding[];
}

const REFERENCE = "https://docs.aws.amazon.com/securityhub/latest/userguide";

type Statement = Record<string, unknown>;

const text = (value: Value | undefined): string => (value == null ? "" : String(value));

/** The resources of `types` in a plan. */
const ofType = (plan: Plan, ...types: string[]): Instance[] =>
  plan.resources.filter((resource) => types.includes(resource.type));

/** The statements of a policy document given as JSON. */
function statements(json: Value | undefined): Statement[] {
  if (typeof json !== "string") return [];
  const document = JSON.parse(json) as { Statement?: Statement | Statement[] };
  const list = document.Statement ?? [];
  return Array.isArray(list) ? list : [list];
}

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Whether an Allow statement grants anyone outside the account: a `*` principal without a condition that pins the
 * caller (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceOrgID with a fixed
 * value). A service principal is not public here; the Lambda.1 check below treats it as the control does.
 */
function grantsPublic(statement: Statement): boolean {
  if (statement.Effect !== "Allow") return false;
  const principal = statement.Principal;
  const everyone =
    principal === "*" ||
    asList((principal as Record<string, unknown> | undefined)?.AWS).some((id) => id === "*");
  if (!everyone) return false;
  const conditions = Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>);
  const pinned = conditions.some((byKey) =>
    Object.entries(byKey).some(
      ([key, value]) =>
        /^aws:(SourceAccount|SourceArn|PrincipalOrgID|PrincipalAccount|SourceOrgID|PrincipalArn)$/i.test(
          key,
        ) && asList(value).every((item) => typeof item === "string" && !/[*?]/.test(item)),
    ),
  );
  return !pinned;
}

/** Whether a value is fixed (no wildcard, no policy variable): Lambda.1 only evaluates such conditions. */
const fixed = (value: Value | undefined): boolean =>
  typeof value === "string" && value !== "" && !/[*?]|\$\{/.test(value);

/** The StackSet templates of a plan, parsed, by StackSet address. */
function templates(
  plan: Plan,
): [string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }][] {
  return ofType(plan, "aws_cloudformation_stack_set").map((stackSet) => [
    stackSet.address,
    JSON.parse(text(stackSet.values.template_body)),
  ]);
}

/** The setting resource of `type` (aws_s3_bucket_versioning, ...) that configures `bucket`. */
const settingOf = (plan: Plan, type: string, bucket: Instance): Instance | undefined =>
  ofType(plan, type).find((setting) => setting.values.bucket === bucket.values.id);

/** One finding per bucket of the plan, passed when `check` says so. */
const perBucket = (plan: Plan, check: (bucket: Instance) => boolean): Finding[] =>
  ofType(plan, "aws_s3_bucket").map((bucket) => ({ resource: bucket.address, passed: check(bucket) }));

/** The first nested block of a resource argument (hcl2json and the plan give blocks as lists). */
const block = (value: Value | undefined): Record<string, Value> | undefined =>
  Array.isArray(value) ? (value[0] as Record<string, Value> | undefined) : undefined;

/** The Lambda runtimes Lambda supports, with the date Lambda deprecates each (Lambda Developer Guide, "Lambda runtimes", Supported runtimes). */
export const SUPPORTED_NODE_RUNTIMES: Readonly<Record<string, string>> = {
  "nodejs24.x": "2028-04-30",
  "nodejs22.x": "2027-04-30",
};

/** Every control this repository states a result for, keyed by control ID. */
export const CONTROLS: Readonly<Record<string, Control>> = Object.fromEntries(
  (
    [
      {
        id: "Lambda.1",
        source: `${REFERENCE}/lambda-controls.html#lambda-1`,
        resourceTypes: ["aws_lambda_permission"],
        // "The control fails if public access is permitted": a principal of * or a service principal without a
        // condition that limits it to the account (such as AWS:SourceAccount); conditions with wildcards or variables
        // are not evaluated.
        evaluate: (plan) =>
          ofType(plan, "aws_lambda_permission").map((permission) => {
            const {
              principal,
              source_account: account,
              source_arn: arn,
              principal_org_id: org,
            } = permission.values;
            const limited = fixed(account) || fixed(arn) || fixed(org);
            const passed = principal !== "*" && limited;
            return {
              resource: permission.address,
              passed,
              reason: passed
                ? undefined
                : `${text(principal)} may invoke without a fixed source account or ARN`,
            };
          }),
      },
      {
        id: "Lambda.2",
        source: `${REFERENCE}/lambda-controls.html#lambda-2`,
        resourceTypes: ["aws_lambda_function"],
        // The function's runtime is one of the supported runtimes, on the day the test runs.
        evaluate: (plan) =>
          ofType(plan, "aws_lambda_function").map((fn) => {
            const deprecated = SUPPORTED_NODE_RUNTIMES[text(fn.values.runtime)];
            const passed = deprecated !== undefined && new Date(deprecated) > new Date();
            return {
              resource: fn.address,
              passed,
              reason: passed ? undefined : `runtime ${text(fn.values.runtime)}`,
            };
          }),
      },
      {
        id: "Lambda.3",
        source: `${REFERENCE}/lambda-controls.html#lambda-3`,
        resourceTypes: ["aws_lambda_function"],
        // The function is deployed in a VPC.
        evaluate: (plan) =>
          ofType(plan, "aws_lambda_function").map((fn) => ({
            resource: fn.address,
            passed: block(fn.values.vpc_config) !== undefined,
            reason: "no vpc_config",
          })),
      },
      {
        id: "Lambda.7",
        source: `${REFERENCE}/lambda-controls.html#lambda-7`,
        resourceTypes: ["aws_lambda_function"],
        // AWS X-Ray active tracing is on.
        evaluate: (plan) =>
          ofType(plan, "aws_lambda_function").map((fn) => ({
            resource: fn.address,
            passed: block(fn.values.tracing_config)?.mode === "Active",
            reason: "no active tracing",
          })),
      },
      {
        id: "KMS.2",
        source: `${REFERENCE}/kms-controls.html#kms-2`,
        resourceTypes: ["aws_iam_role_policy", "AWS::IAM::Role"],
        // No inline policy allows kms:Decrypt or kms:ReEncryptFrom on every key.
        evaluate: (plan) => {
          const everyKey = (statement: Statement) =>
            statement.Effect === "Allow" &&
            asList(statement.Action).some((action) =>
              /^kms:(\*|Decrypt|ReEncryptFrom|ReEncrypt\*)$/i.test(String(action)),
            ) &&
            asList(statement.Resource).some(
              (resource) => resource === "*" || /:key\/\*$/.test(String(resource)),
            );
          const inline = ofType(plan, "aws_iam_role_policy").map((policy) => ({
            resource: policy.address,
            passed: !statements(policy.values.policy).some(everyKey),
          }));
          const members = templates(plan).flatMap(([stackSet, template]) =>
            Object.entries(template.Resources)
              .filter(([, resource]) => resource.Type === "AWS::IAM::Role")
              .map(([id, resource]) => ({
                resource: `${stackSet}:${id}`,
                passed: !asList(resource.Properties?.Policies).some((policy) =>
                  asList(
                    (policy as { PolicyDocument: { Statement: unknown } }).PolicyDocument.Statement,
                  ).some((s) => everyKey(s as Statement)),
                ),
              })),
          );
          return [...inline, ...members];
        },
      },
      {
        id: "KMS.4",
        source: `${REFERENCE}/kms-controls.html#kms-4`,
        resourceTypes: ["aws_kms_key"],
        evaluate: (plan) =>
          ofType(plan, "aws_kms_key").map((key) => ({
            resource: key.address,
            passed: key.values.enable_key_rotation === true,
          })),
      },
      {
        id: "KMS.5",
        source: `${REFERENCE}/kms-controls.html#kms-5`,
        resourceTypes: ["aws_kms_key"],
        evaluate: (plan) =>
          ofType(plan, "aws_kms_key").map((key) => ({
            resource: key.address,
            passed: !statements(key.values.policy).some(grantsPublic),
          })),
      },
      {
        id: "SNS.1",
        source: `${REFERENCE}/sns-controls.html#sns-1`,
        resourceTypes: ["aws_sns_topic"],
        evaluate: (plan) =>
          ofType(plan, "aws_sns_topic").map((topic) => ({
            resource: topic.address,
            passed: text(topic.values.kms_master_key_id) !== "",
          })),
      },
      {
        id: "SNS.4",
        source: `${REFERENCE}/sns-controls.html#sns-4`,
        resourceTypes: ["aws_sns_topic_policy"],
        evaluate: (plan) =>
          ofType(plan, "aws_sns_topic_policy").map((policy) => ({
            resource: policy.address,
            passed: !statements(policy.values.policy).some(grantsPublic),
          })),
      },
      {
        id: "S3.5",
        source: `${REFERENCE}/s3-controls.html#s3-5`,
        resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_policy"],
        // The bucket policy denies, for every principal, any request not sent over TLS (aws:SecureTransport false), on
        // the bucket and its objects.
        evaluate: (plan) =>
          perBucket(plan, (bucket) => {
            const arn = text(bucket.values.arn);
            const policy = settingOf(plan, "aws_s3_bucket_policy", bucket);
            return statements(policy?.values.policy).some((statement) => {
              const resources = asList(statement.Resource);
              const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
              return (
                statement.Effect === "Deny" &&
                (statement.Principal === "*" ||
                  asList((statement.Principal as Statement | undefined)?.AWS).includes("*")) &&
                asList(statement.Action).some((action) => action === "s3:*") &&
                resources.includes(arn) &&
                resources.includes(`${arn}/*`) &&
                asList(condition.Bool?.["aws:SecureTransport"]).includes("false")
              );
            });
          }),
      },
      {
        id: "S3.8",
        source: `${REFERENCE}/s3-controls.html#s3-8`,
        resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_public_access_block"],
        evaluate: (plan) =>
          perBucket(plan, (bucket) => {
            const access = settingOf(plan, "aws_s3_bucket_public_access_block", bucket);
            const settings = [
              "block_public_acls",
              "block_public_policy",
              "ignore_public_acls",
              "restrict_public_buckets",
            ];
            return settings.every((setting) => access?.values[setting] === true);
          }),
      },
      {
        id: "S3.9",
        source: `${REFERENCE}/s3-controls.html#s3-9`,
        resourceTypes: ["aws_s3_bucket"],
        evaluate: (plan) =>
          perBucket(plan, (bucket) => settingOf(plan, "aws_s3_bucket_logging", bucket) !== undefined),
      },
      {
        id: "S3.12",
        source: `${REFERENCE}/s3-controls.html#s3-12`,
        resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_ownership_controls"],
        // ACLs are not used: object ownership BucketOwnerEnforced disables them.
        evaluate: (plan) =>
          perBucket(
            plan,
            (bucket) =>
              block(settingOf(plan, "aws_s3_bucket_ownership_controls", bucket)?.values.rule)
                ?.object_ownership === "BucketOwnerEnforced",
          ),
      },
      {
        id: "S3.14",
        source: `${REFERENCE}/s3-controls.html#s3-14`,
        resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_versioning"],
        evaluate: (plan) =>
          perBucket(
            plan,
            (bucket) =>
              block(settingOf(plan, "aws_s3_bucket_versioning", bucket)?.values.versioning_configuration)
                ?.status === "Enabled",
          ),
      },
      {
        id: "S3.13",
        source: `${REFERENCE}/s3-controls.html#s3-13`,
        resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration"],
        evaluate: (plan) =>
          perBucket(plan, (bucket) =>
            asList(settingOf(plan, "aws_s3_bucket_lifecycle_configuration", bucket)?.values.rule).some(
              (rule) => (rule as Record<string, Value>).status === "Enabled",
            ),
          ),
      },
      {
        id: "S3.15",
        source: `${REFERENCE}/s3-controls.html#s3-15`,
        resourceTypes: ["aws_s3_bucket"],
        evaluate: (plan) => perBucket(plan, (bucket) => bucket.values.object_lock_enabled === true),
      },
      {
        id: "S3.17",
        source: `${REFERENCE}/s3-controls.html#s3-17`,
        resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"],
        evaluate: (plan) =>
          perBucket(plan, (bucket) => {
            const sse = settingOf(plan, "aws_s3_bucket_server_side_encryption_configuration", bucket);
            const byDefault = block(block(sse?.values.rule)?.apply_server_side_encryption_by_default);
            return String(byDefault?.sse_algorithm).startsWith("aws:kms");
          }),
      },
      {
        id: "CloudWatch.15",
        source: `${REFERENCE}/cloudwatch-controls.html#cloudwatch-15`,
        resourceTypes: ["aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm"],
        // An action on ALARM (the control's default parameters: alarmActionRequired true, the others false).
        evaluate: (plan) => [
          ...ofType(plan, "aws_cloudwatch_metric_alarm").map((alarm) => ({
            resource: alarm.address,
            passed: asList(alarm.values.alarm_actions).length > 0,
          })),
          ...templates(plan).flatMap(([stackSet, template]) =>
            Object.entries(template.Resources)
              .filter(([, resource]) => resource.Type === "AWS::CloudWatch::Alarm")
              .map(([id, resource]) => ({
                resource: `${stackSet}:${id}`,
                passed: asList(resource.Properties?.AlarmActions).length > 0,
              })),
          ),
        ],
      },
      {
        id: "CloudWatch.16",
        source: `${REFERENCE}/cloudwatch-controls.html#cloudwatch-16`,
        resourceTypes: ["aws_cloudwatch_log_group"],
        // At least 365 days (the control's default minRetentionTime), or never expire.
        evaluate: (plan) =>
          ofType(plan, "aws_cloudwatch_log_group").map((group) => {
            const days = Number(group.values.retention_in_days ?? 0);
            return { resource: group.address, passed: days === 0 || days >= 365 };
          }),
      },
      {
        id: "CloudWatch.17",
        source: `${REFERENCE}/cloudwatch-controls.html#cloudwatch-17`,
        resourceTypes: ["aws_cloudwatch_metric_alarm"],
        evaluate: (plan) =>
          ofType(plan, "aws_cloudwatch_metric_alarm").map((alarm) => ({
            resource: alarm.address,
            passed: alarm.values.actions_enabled !== false,
          })),
      },
      {
        id: "StepFunctions.1",
        source: `${REFERENCE}/stepfunctions-controls.html#stepfunctions-1`,
        resourceTypes: ["aws_sfn_state_machine"],
        // Logging on, at ALL: the level every value of the control's logLevel parameter accepts.
        evaluate: (plan) =>
          ofType(plan, "aws_sfn_state_machine").map((machine) => {
            const logging = block(machine.values.logging_configuration);
            return {
              resource: machine.address,
              passed: logging?.level === "ALL" && text(logging?.log_destination) !== "",
            };
          }),
      },
      {
        id: "EventBridge.3",
        source: `${REFERENCE}/eventbridge-controls.html#eventbridge-3`,
        resourceTypes: ["aws_cloudwatch_event_bus", "aws_cloudwatch_event_bus_policy"],
        evaluate: (plan) =>
          ofType(plan, "aws_cloudwatch_event_bus").map((bus) => ({
            resource: bus.address,
            passed: ofType(plan, "aws_cloudwatch_event_bus_policy").some(
              (p) => p.values.event_bus_name === bus.values.name,
            ),
          })),
      },
      {
        id: "Config.1",
        source: `${REFERENCE}/config-controls.html#config-1`,
        resourceTypes: ["aws_config_configuration_recorder"],
        // Recording with the service-linked role AWSServiceRoleForConfig (includeConfigServiceLinkedRoleCheck, true by
        // default) and recording the resources of the enabled controls.
        evaluate: (plan) =>
          ofType(plan, "aws_config_configuration_recorder").map((recorder) => {
            const group = block(recorder.values.recording_group);
            const serviceLinked =
              /:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/.test(
                text(recorder.values.role_arn),
              );
            return { resource: recorder.address, passed: serviceLinked && group?.all_supported === true };
          }),
      },
      {
        id: "Lambda.6, SNS.3, StepFunctions.2, EventBridge.2, CloudFormation.2",
        source: `${REFERENCE}/standards-tagging.html`,
        resourceTypes: [
          "aws_lambda_function",
          "aws_sns_topic",
          "aws_sfn_state_machine",
          "aws_cloudwatch_event_bus",
          "aws_cloudformation_stack_set",
        ],
        // Lambda.6, SNS.3, StepFunctions.2, EventBridge.2, CloudFormation.2: the resource has a tag (no
        // requiredTagKeys given: any user tag, not aws:-prefixed).
        evaluate: (plan) =>
          ofType(
            plan,
            "aws_lambda_function",
            "aws_sns_topic",
            "aws_sfn_state_machine",
            "aws_cloudwatch_event_bus",
            "aws_cloudformation_stack_set",
          ).map((resource) => ({
            resource: resource.address,
            passed: Object.keys((resource.values.tags ?? {}) as Record<string, Value>).some(
              (key) => !key.startsWith("aws:"),
            ),
          })),
      },
    ] satisfies Control[]
  ).map((control) => [control.id, control]),
);

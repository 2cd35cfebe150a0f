// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings hold CloudFormation's ${...} variables literally.
/**
 * Templates AWS parses: the StackSet templates the organization module sends to CloudFormation (the member role's,
 * the root alerts') and the conformance pack template both modules send to AWS Config, rendered from the modules for
 * every combination of the switches that shape them, checked against CloudFormation's resource specification
 * (@aws-cdk/aws-service-spec; test/support/cfn-spec.ts) and the limits of the APIs that receive them. The checker
 * itself is tested first: a mistake nobody has made yet (a misspelled property, a wrong type, a GetAtt of an attribute
 * that does not exist, ...) made in a copy of a real template must be reported.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { partitionIds, regionsOf } from "./support/aws-regions.ts";
import { parseCloudFormation, resolve } from "./support/cfn.ts";
import {
  cloudFormationSpec,
  propertyPathName,
  templateProblems,
  typedPropertyPaths,
} from "./support/cfn-spec.ts";
import { loadModule } from "./support/hcl.ts";
import type { Value } from "./support/hcl-expression.ts";
import { longestAccepted } from "./support/largest-input.ts";
import { type Plan, renderPlan } from "./support/plan.ts";

const db = await cloudFormationSpec();

const ROOT = "terraform";
const ORGANIZATION = join("terraform", "modules", "organization");
const PACK_PATH = join("terraform", "conformance-packs", "root-activity.yaml");

/**
 * CreateStackSet and UpdateStackSet: "TemplateBody ... a maximum length of 51,200 bytes" (botocore's cloudformation
 * 2010-05-15 model, the TemplateBody member's documentation).
 */
const STACK_SET_TEMPLATE_BODY_MAX_BYTES = 51_200;
/** PutConformancePack and PutOrganizationConformancePack: TemplateBody max 51200 (botocore's config 2014-11-12 model). */
const PACK_TEMPLATE_BODY_MAX_BYTES = 51_200;
/**
 * PutConformancePack, TemplateBody: "You can use a YAML template with two resource types: Config rule
 * (AWS::Config::ConfigRule) and remediation action (AWS::Config::RemediationConfiguration)" (botocore's config
 * 2014-11-12 model; AWS Config API Reference, PutConformancePack).
 */
const PACK_RESOURCE_TYPES = ["AWS::Config::ConfigRule", "AWS::Config::RemediationConfiguration"];
/** ConformancePackInputParameters: at most 60; ParameterName at most 255, ParameterValue at most 4096 characters (same model). */
const PACK_INPUT_PARAMETERS_MAX = 60;
const PACK_PARAMETER_NAME_MAX = 255;
const PACK_PARAMETER_VALUE_MAX = 4096;
/**
 * The enums of a Config rule's source (botocore's config 2014-11-12 model: Owner, EventSource, MessageType,
 * MaximumExecutionFrequency) and its limits (ConfigRuleName 1-128, InputParameters 1-1024, Description 0-256).
 */
const CONFIG_OWNERS = ["CUSTOM_LAMBDA", "AWS", "CUSTOM_POLICY"];
const CONFIG_EVENT_SOURCES = ["aws.config"];
const CONFIG_MESSAGE_TYPES = [
  "ConfigurationItemChangeNotification",
  "ConfigurationSnapshotDeliveryCompleted",
  "ScheduledNotification",
  "OversizedConfigurationItemChangeNotification",
];
const CONFIG_FREQUENCIES = ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"];
const CONFIG_RULE_NAME_MAX = 128;
const CONFIG_INPUT_PARAMETERS_MAX = 1024;
const CONFIG_DESCRIPTION_MAX = 256;
/**
 * AWS Config names a pack's rule `<ConfigRuleName>-conformance-pack-<id>`, the id 8 characters (AWS Audit Manager API
 * Reference, SourceKeyword, example "CustomRuleForAccount-conformance-pack-szsm1uv0w").
 */
const PACK_RULE_SUFFIX_LENGTH = "-conformance-pack-".length + 9;
/**
 * IAM resource types whose custom names need CAPABILITY_NAMED_IAM (CreateStackSet, Capabilities: "If you have IAM
 * resources with custom names, you must specify CAPABILITY_NAMED_IAM"; the list of those resources there).
 */
const IAM_RESOURCE_TYPES = [
  "AWS::IAM::AccessKey",
  "AWS::IAM::Group",
  "AWS::IAM::InstanceProfile",
  "AWS::IAM::ManagedPolicy",
  "AWS::IAM::Policy",
  "AWS::IAM::Role",
  "AWS::IAM::User",
  "AWS::IAM::UserToGroupAddition",
];

type Template = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The switches that change what the StackSet templates hold, every combination that changes something. */
function stackSetSwitches(): Record<string, boolean>[] {
  const combinations: Record<string, boolean>[] = [];
  for (const notifications of [false, true])
    for (const alerts of notifications ? [false, true] : [false])
      for (const readOnly of alerts ? [false, true] : [true])
        for (const alarms of [false, true])
          for (const lookup of [false, true])
            combinations.push({
              create_notifications: notifications,
              create_root_activity_alerts: alerts,
              root_activity_alert_read_only: readOnly,
              alarm_on_failures: alarms,
              cloudtrail_lookup: lookup,
            });
  return combinations;
}

/** Each StackSet of a rendered module: its address, template (decoded) and body as sent, and capabilities. */
function stackSets(plan: Plan) {
  return plan.resources
    .filter((resource) => resource.type === "aws_cloudformation_stack_set")
    .map((stackSet) => {
      const body = stackSet.values.template_body;
      if (typeof body !== "string")
        throw new Error(`${stackSet.address}: template_body ${JSON.stringify(body)}`);
      return {
        address: stackSet.address,
        body,
        template: JSON.parse(body) as Template,
        capabilities: (stackSet.values.capabilities ?? []) as string[],
      };
    });
}

/** The longest `name`-like value the variable's validations accept: a letter, then `a`s. */
const longestName = (variables: Parameters<typeof longestAccepted>[0], variable: string): string =>
  String(longestAccepted(variables, variable, (n) => `r${"a".repeat(n - 1)}`, 256));

describe("the checker reports what CloudFormation would refuse", () => {
  let templates: Record<string, Template>;

  beforeAll(async () => {
    const plan = await renderPlan(ORGANIZATION, {
      create_notifications: true,
      create_root_activity_alerts: true,
      alarm_on_failures: true,
    });
    const [memberRole, rootAlerts] = stackSets(plan).sort((a, b) => a.address.localeCompare(b.address));
    templates = {
      "member role": memberRole?.template ?? {},
      "root alerts": rootAlerts?.template ?? {},
      "conformance pack": parseCloudFormation(await readFile(PACK_PATH, "utf8")),
    };
  });

  /** A deep copy of a template, changed by `change`. */
  const changed = (template: Template, change: (copy: Template) => void): Template => {
    const copy = structuredClone(template);
    change(copy);
    return copy;
  };
  const resourcesOf = (template: Template): Resources => template.Resources as Resources;
  const at = (template: Template, path: readonly string[]): Record<string, unknown> =>
    path
      .slice(0, -1)
      .reduce<Record<string, unknown>>(
        (node, key) => node[key] as Record<string, unknown>,
        resourcesOf(template),
      );

  it("finds nothing in the real templates (so every case below is the change it makes)", () => {
    for (const [name, template] of Object.entries(templates))
      expect(templateProblems(template, db), name).toEqual([]);
  });

  it("a property renamed anywhere the specification types it, however deep, is reported at that property", () => {
    const cases = Object.entries(templates).flatMap(([name, template]) =>
      typedPropertyPaths(template, db).map((path) => ({ name, template, path })),
    );
    expect(cases.length).toBeGreaterThan(60);
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.constantFrom(
          (key: string) => `${key}s`,
          (key: string) => key.toLowerCase(),
          (key: string) => key.slice(0, -1),
        ),
        ({ template, path }, rename) => {
          const key = path.at(-1) ?? "";
          fc.pre(!/^\d+$/.test(key) && rename(key) !== key);
          const mutated = changed(template, (copy) => {
            const parent = at(copy, path);
            parent[rename(key)] = parent[key];
            delete parent[key];
          });
          const problems = templateProblems(mutated, db);
          const renamed = propertyPathName([...path.slice(0, -1), rename(key)]);
          expect(
            problems.some((problem) => problem.includes(renamed) && problem.includes("no such property")),
          ).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a literal of the wrong type (a number for a string, a string for an integer or a boolean, a scalar for a list or an object) is reported", () => {
    const cases = Object.entries(templates).flatMap(([name, template]) =>
      typedPropertyPaths(template, db)
        .map((path) => ({ name, template, path, value: at(template, path)[path.at(-1) ?? ""] }))
        .filter(
          ({ value }) =>
            value !== null &&
            (typeof value !== "object" ||
              Array.isArray(value) ||
              !Object.keys(value).some((key) => key === "Ref" || key.startsWith("Fn::"))),
        ),
    );
    expect(cases.length).toBeGreaterThan(40);
    const otherType = (value: unknown): unknown => {
      if (typeof value === "string") return 12;
      if (typeof value === "number") return String(value);
      if (typeof value === "boolean") return String(value);
      if (Array.isArray(value)) return "not a list";
      return "not an object";
    };
    for (const { name, template, path, value } of cases) {
      const mutated = changed(template, (copy) => {
        at(copy, path)[path.at(-1) ?? ""] = otherType(value);
      });
      const where = propertyPathName(path);
      const problems = templateProblems(mutated, db);
      // A property typed as a string or a JSON object (EventPattern, policy documents) takes either form.
      const either = problems.length === 0 && typeof value === "object" && !Array.isArray(value);
      if (!either)
        expect(
          problems.some((problem) => problem.includes(where)),
          `${name} ${where}`,
        ).toBe(true);
    }
  });

  it("a Fn::GetAtt of an attribute the resource type does not have, or of a resource that does not exist, is reported", () => {
    const template = templates["root alerts"] as Template;
    const withGetAtt = (target: unknown) =>
      changed(template, (copy) => {
        const rule = resourcesOf(copy).RootActivityForwardingRule?.Properties as {
          Targets: Record<string, unknown>[];
        };
        (rule.Targets[0] as Record<string, unknown>).RoleArn = { "Fn::GetAtt": target };
      });
    expect(templateProblems(withGetAtt(["RootActivityForwardingAlarm", "RoleArn"]), db).join("\n")).toMatch(
      /AWS::CloudWatch::Alarm has no attribute RoleArn/,
    );
    expect(templateProblems(withGetAtt(["NoSuchRole", "Arn"]), db).join("\n")).toMatch(
      /NoSuchRole, which is not a resource/,
    );
    expect(templateProblems(withGetAtt("RootActivityForwardingAlarm.Arn"), db)).toEqual([]);
  });

  it("a Ref, a Fn::Sub variable, a DependsOn, a Fn::If or a resource Condition naming nothing the template declares is reported", () => {
    const template = templates["member role"] as Template;
    const role = (copy: Template) => resourcesOf(copy).MemberRole as Record<string, unknown>;
    const cases: [string, (copy: Template) => void, RegExp][] = [
      [
        "Ref",
        (copy) =>
          ((role(copy).Properties as Record<string, unknown>).RoleName = { Ref: "RoleNameParameter" }),
        /RoleNameParameter is neither/,
      ],
      [
        "Sub",
        (copy) =>
          ((role(copy).Properties as Record<string, unknown>).Path = { "Fn::Sub": "/${AWS::Regoin}/" }),
        /\$\{AWS::Regoin\} names no/,
      ],
      [
        "DependsOn",
        (copy) => (role(copy).DependsOn = ["MemberRoel"]),
        /"MemberRoel" is not another resource/,
      ],
      [
        "If",
        (copy) =>
          ((role(copy).Properties as Record<string, unknown>).Path = { "Fn::If": ["IsProd", "/a/", "/b/"] }),
        /"IsProd" is not a condition/,
      ],
      ["Condition", (copy) => (role(copy).Condition = "IsProd"), /"IsProd" is not a condition/],
      [
        "unknown function",
        (copy) => ((role(copy).Properties as Record<string, unknown>).Path = { "Fn::Concat": ["/a", "/"] }),
        /Fn::Concat is not an intrinsic function/,
      ],
    ];
    for (const [name, change, expected] of cases)
      expect(templateProblems(changed(template, change), db).join("\n"), name).toMatch(expected);
    // Sub's escape ${!Literal}, its own variables, and Res.Attr resolve.
    const fine = changed(template, (copy) => {
      (role(copy).Properties as Record<string, unknown>).Path = {
        "Fn::Sub": ["/${!Literal}/${Own}/${MemberRole.Arn}/${AWS::Region}/", { Own: "x" }],
      };
    });
    expect(templateProblems(fine, db)).toEqual([]);
  });

  it("an unknown resource type, a missing required property, a value outside the allowed ones and a bad logical ID are reported", () => {
    const template = templates["root alerts"] as Template;
    const rule = (copy: Template) =>
      resourcesOf(copy).RootActivityForwardingRule as { Type: string; Properties: Record<string, unknown> };
    const cases: [string, (copy: Template) => void, RegExp][] = [
      [
        "type",
        (copy) => (rule(copy).Type = "AWS::Events::Rules"),
        /"AWS::Events::Rules" is not a resource type/,
      ],
      [
        "required",
        (copy) => delete (rule(copy).Properties.Targets as Record<string, unknown>[])[0]?.Id,
        /required property Id is missing/,
      ],
      ["allowed", (copy) => (rule(copy).Properties.State = "ON"), /"ON" is not one of DISABLED, ENABLED/],
      [
        "logical ID",
        (copy) => {
          const resources = resourcesOf(copy);
          resources["Root-Forwarding"] = resources.RootActivityForwardingRule as Resources[string];
        },
        /a logical ID is alphanumeric/,
      ],
      ["section", (copy) => (copy.Output = {}), /Output: is not a section/],
      ["description", (copy) => (copy.Description = "é".repeat(513)), /1026 bytes, more than 1024/],
    ];
    for (const [name, change, expected] of cases)
      expect(templateProblems(changed(template, change), db).join("\n"), name).toMatch(expected);
  });
});

describe.each(stackSetSwitches())("the StackSet templates CloudFormation receives, %s", (switches) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await renderPlan(ORGANIZATION, switches);
  });

  it("every template has only resource types, properties, types and references CloudFormation's specification knows", () => {
    const sets = stackSets(plan);
    expect(sets.length).toBe(switches.create_notifications && switches.create_root_activity_alerts ? 2 : 1);
    for (const { address, template } of sets) expect(templateProblems(template, db), address).toEqual([]);
  });

  it("a StackSet acknowledges CAPABILITY_NAMED_IAM exactly when its template names IAM resources", () => {
    for (const { address, template, capabilities } of stackSets(plan)) {
      const namedIam = Object.values(template.Resources as Resources).some((resource) =>
        IAM_RESOURCE_TYPES.includes(resource.Type),
      );
      expect(capabilities, address).toEqual(namedIam ? ["CAPABILITY_NAMED_IAM"] : []);
    }
  });

  it("the templates the module outputs for the management account are the StackSets' own", () => {
    const byAddress = Object.fromEntries(stackSets(plan).map(({ address, body }) => [address, body]));
    expect(plan.outputs.member_role_template_body).toBe(
      byAddress["aws_cloudformation_stack_set.member_role"],
    );
    const alerts = byAddress["aws_cloudformation_stack_set.root_alerts[0]"];
    if (alerts !== undefined) expect(plan.outputs.root_alerts_template_body).toBe(alerts);
  });
});

describe("the largest StackSet templates fit CreateStackSet and UpdateStackSet", () => {
  it("every commercial region, the longest name and member role name, every switch on: each body within 51,200 bytes and still valid", async () => {
    const module = await loadModule(ORGANIZATION);
    const region = "eu-west-1";
    const plan = await renderPlan(ORGANIZATION, {
      name: longestName(module.variables, "name"),
      member_role_name: longestName(module.variables, "member_role_name"),
      create_notifications: true,
      create_root_activity_alerts: true,
      alarm_on_failures: true,
      root_activity_alert_regions: regionsOf("aws").filter((candidate) => candidate !== region),
    });
    const sets = stackSets(plan);
    expect(sets).toHaveLength(2);
    for (const { address, body, template } of sets) {
      expect(Buffer.byteLength(body), address).toBeLessThanOrEqual(STACK_SET_TEMPLATE_BODY_MAX_BYTES);
      expect(templateProblems(template, db), address).toEqual([]);
    }
  });
});

describe("the conformance pack template AWS Config receives", () => {
  let shipped: Template;
  beforeAll(async () => {
    shipped = parseCloudFormation(await readFile(PACK_PATH, "utf8"));
  });

  it("the shipped template, short forms read as CloudFormation reads them, is valid for the specification", () => {
    expect(templateProblems(shipped, db)).toEqual([]);
  });

  it("holds only the resource types a conformance pack may hold", () => {
    for (const resource of Object.values(shipped.Resources as Resources))
      expect(PACK_RESOURCE_TYPES).toContain(resource.Type);
  });

  it("its rule is a periodic custom Lambda rule whose owner, trigger and frequencies are values the Config API accepts", () => {
    const parameters = shipped.Parameters as Record<string, { AllowedValues?: string[]; Default?: string }>;
    for (const resource of Object.values(shipped.Resources as Resources)) {
      const source = resource.Properties?.Source as {
        Owner: string;
        SourceIdentifier?: unknown;
        SourceDetails?: Record<string, unknown>[];
      };
      expect(CONFIG_OWNERS).toContain(source.Owner);
      expect(source.Owner).toBe("CUSTOM_LAMBDA");
      // A custom Lambda rule names its function and at least one trigger (AWS Config API Reference, Source).
      expect(source.SourceIdentifier).toBeDefined();
      expect(source.SourceDetails?.length).toBeGreaterThan(0);
      for (const detail of source.SourceDetails ?? []) {
        expect(CONFIG_EVENT_SOURCES).toContain(detail.EventSource);
        expect(CONFIG_MESSAGE_TYPES).toContain(detail.MessageType);
        // "If you specify a value for MaximumExecutionFrequency, then MessageType must use the ScheduledNotification
        // value" (the specification's documentation of SourceDetail.MaximumExecutionFrequency).
        if ("MaximumExecutionFrequency" in detail) expect(detail.MessageType).toBe("ScheduledNotification");
        const frequency = detail.MaximumExecutionFrequency as { Ref?: string } | string;
        const allowed =
          typeof frequency === "string"
            ? [frequency]
            : (parameters[frequency.Ref ?? ""]?.AllowedValues ?? []);
        expect(allowed.length).toBeGreaterThan(0);
        for (const value of allowed) expect(CONFIG_FREQUENCIES).toContain(value);
      }
    }
  });

  describe.each([
    [ROOT, "aws_config_conformance_pack"],
    [ORGANIZATION, "aws_config_organization_conformance_pack"],
  ])("%s", (dir, packType) => {
    /** The pack the module renders for `vars` (create_conformance_pack on): its template and input parameters. */
    async function packFor(vars: Record<string, Value>) {
      const plan = await renderPlan(dir, { create_conformance_pack: true, ...vars });
      const [pack] = plan.resources.filter((resource) => resource.type === packType);
      if (pack === undefined) throw new Error(`no ${packType}`);
      const body = pack.values.template_body;
      if (typeof body !== "string") throw new Error(`template_body ${JSON.stringify(body)}`);
      const inputs = Object.fromEntries(
        ((pack.values.input_parameter ?? []) as { parameter_name: string; parameter_value: string }[]).map(
          (parameter) => [parameter.parameter_name, parameter.parameter_value],
        ),
      );
      return { body, template: parseCloudFormation(body), inputs };
    }

    it("the template the module sends is valid for the specification, within 51,200 bytes, its rule named after the module", async () => {
      const module = await loadModule(dir);
      const name = longestName(module.variables, "name");
      const { body, template } = await packFor({ name });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(PACK_TEMPLATE_BODY_MAX_BYTES);
      expect(templateProblems(template, db)).toEqual([]);
      const rules = Object.values(template.Resources as Resources).filter(
        (resource) => resource.Type === "AWS::Config::ConfigRule",
      );
      expect(rules.map((rule) => rule.Properties?.ConfigRuleName)).toEqual([name]);
      // The name AWS Config gives the pack's rule fits ConfigRuleName.
      expect(name.length + PACK_RULE_SUFFIX_LENGTH).toBeLessThanOrEqual(CONFIG_RULE_NAME_MAX);
    });

    it.each([
      ["the defaults", {}],
      [
        "every rule parameter set",
        {
          lookback_days: 3650,
          fail_on_active_access_keys: true,
          cloudtrail_lookup: false,
          count_centralized_root_sessions: true,
          maximum_execution_frequency: "One_Hour",
        },
      ],
      ["the shortest look-back", { lookback_days: 1 }],
    ])(
      "with %s: every input parameter is one the template declares, with a value its constraints accept, and every parameter without a default is given",
      async (_, vars) => {
        // Every Region of every partition (the sovereign and isolated ones too), which the modules and the rule take.
        const regions = partitionIds().flatMap(regionsOf);
        const { template, inputs } = await packFor({ ...vars, cloudtrail_regions: regions });
        const parameters = template.Parameters as Record<
          string,
          { Default?: string; AllowedValues?: string[]; AllowedPattern?: string }
        >;
        expect(Object.keys(inputs).length).toBeLessThanOrEqual(PACK_INPUT_PARAMETERS_MAX);
        for (const [name, value] of Object.entries(inputs)) {
          const parameter = parameters[name];
          expect(parameter, `${name} is declared`).toBeDefined();
          expect(name.length).toBeLessThanOrEqual(PACK_PARAMETER_NAME_MAX);
          expect(value.length, name).toBeLessThanOrEqual(PACK_PARAMETER_VALUE_MAX);
          if (parameter?.AllowedValues !== undefined) expect(parameter.AllowedValues, name).toContain(value);
          if (parameter?.AllowedPattern !== undefined)
            expect(value, name).toMatch(new RegExp(`^(?:${parameter.AllowedPattern})$`));
        }
        for (const [name, parameter] of Object.entries(parameters))
          if (parameter.Default === undefined) expect(inputs, name).toHaveProperty(name);
        // The rule AWS Config creates from these values fits the Config API's limits.
        const values = Object.fromEntries(
          Object.entries(parameters).map(([name, parameter]) => [
            name,
            inputs[name] ?? parameter.Default ?? "",
          ]),
        );
        for (const resource of Object.values(template.Resources as Resources)) {
          const rule = resolve(
            resource.Properties,
            values,
            (template.Conditions ?? {}) as Record<string, unknown>,
          ) as Record<string, unknown>;
          expect(JSON.stringify(rule.InputParameters).length).toBeLessThanOrEqual(
            CONFIG_INPUT_PARAMETERS_MAX,
          );
          expect(String(rule.Description ?? "").length).toBeLessThanOrEqual(CONFIG_DESCRIPTION_MAX);
        }
      },
    );
  });
});

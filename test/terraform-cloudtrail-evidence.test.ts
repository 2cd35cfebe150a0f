// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * The Terraform side of the CloudTrail evidence (issue 11) in both deployments: the variables
 * cloudtrail_lookup, cloudtrail_regions and count_centralized_root_sessions, the rule parameters
 * they become (names decided in CONTRACT.md), and the three permissions the lookup needs,
 * cloudtrail:LookupEvents, iam:ListAccountAliases and account:ListRegions, granted only when the
 * lookup is on, only to the
 * role that reads the evaluated account (the single-account function's role, the organization's
 * member role) and never to the organization function's own role.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PARAMETERS, parseRuleParameters } from "../rule/params.ts";
import {
  type Block,
  declarations,
  evaluationStatements,
  evaluatorRoleStatements,
  loadModule,
  nestedAll,
  onlyAllowsProblems,
  type PolicyStatement,
  policyDocumentOf,
  renderedStatements,
  ruleParameters,
  type TerraformModule,
  unwrap,
} from "./support/hcl.ts";
import { evaluateExpression, moduleScope, references, type Value } from "./support/hcl-expression.ts";
import { sampleValues, validationGaps } from "./support/validation-cases.ts";

const root = await loadModule("terraform");
const organization = await loadModule(join("terraform", "modules", "organization"));
const evaluator = await loadModule(join("terraform", "modules", "evaluator"));

/** Both deployments, with what each sends besides the CloudTrail parameters. */
const DEPLOYMENTS = [
  ["terraform", root, { lookbackDays: "30", failOnActiveAccessKeys: "false" }, 1024],
  [
    "terraform/modules/organization",
    organization,
    { lookbackDays: "30", failOnActiveAccessKeys: "false", executionRoleName: "root-activity-member" },
    2048,
  ],
] as const;

/**
 * The rule parameters decided in CONTRACT.md for issue 11, which the evidence stream adds to
 * rule/params.ts. Until it does, the rule's parser does not know them; the tests below check every
 * parameter it does know with the parser itself.
 */
const CONTRACT_PARAMETERS = ["cloudTrailLookup", "cloudTrailRegions", "countCentralizedRootSessions"];

const CLOUDTRAIL_VARIABLES = ["cloudtrail_lookup", "cloudtrail_regions", "count_centralized_root_sessions"];

const defaultsOf = (module: TerraformModule): Record<string, unknown> =>
  Object.fromEntries(Object.entries(module.variables).map(([name, block]) => [name, block.default]));

/** The value Terraform writes for a literal template: `$${` is an escaped `${`. */
const PARTITION = "<data.aws_partition.current.partition>";
/** The policy variable IAM replaces with the caller's account (written $${...} in Terraform). */
const PRINCIPAL_ACCOUNT = "${aws:PrincipalAccount}";
/** What an expression of the evaluator is for its variables `vars`. */
const inEvaluator = (expression: unknown, vars: Record<string, Value>): Value =>
  evaluateExpression(expression, moduleScope(evaluator, vars));

/** The longest region names AWS has (14 characters), as many as the validation allows. */
const LONGEST_REGIONS = Array.from({ length: 50 }, (_, i) => `ap-southeast-${i % 10}`.padEnd(14, "x"));

describe("CloudTrail variables", () => {
  it.each(DEPLOYMENTS)("%s: typed, documented, defaults from the contract", (_, module) => {
    const { variable } = declarations(module);
    expect(unwrap(variable("cloudtrail_lookup").type)).toBe("bool");
    expect(variable("cloudtrail_lookup").default).toBe(true);
    expect(unwrap(variable("cloudtrail_regions").type)).toBe("list(string)");
    expect(variable("cloudtrail_regions").default).toEqual([]);
    expect(unwrap(variable("count_centralized_root_sessions").type)).toBe("bool");
    expect(variable("count_centralized_root_sessions").default).toBe(false);
    for (const name of CLOUDTRAIL_VARIABLES) {
      expect(String(variable(name).description).length, name).toBeGreaterThan(80);
    }
    // The descriptions say which parameter each one is and what the lookup grants.
    expect(String(variable("cloudtrail_lookup").description)).toMatch(
      /cloudTrailLookup.*LookupEvents.*ListAccountAliases.*ListRegions/,
    );
    expect(String(variable("cloudtrail_regions").description)).toContain("cloudTrailRegions");
    expect(String(variable("count_centralized_root_sessions").description)).toMatch(
      /countCentralizedRootSessions.*AssumeRoot/,
    );
  });

  it("are the same in both deployments (types, defaults, validations)", () => {
    for (const name of CLOUDTRAIL_VARIABLES) {
      const here = declarations(root).variable(name);
      const there = declarations(organization).variable(name);
      expect(there.type, name).toBe(here.type);
      expect(there.default, name).toEqual(here.default);
      const validated = nestedAll(here, "validation").length > 0;
      expect(validated, name).toBe(nestedAll(there, "validation").length > 0);
      if (validated)
        expect(validationGaps(organization, name, root, name, sampleValues(name), true), name).toEqual([]);
    }
  });
});

describe("rule parameters", () => {
  it.each(DEPLOYMENTS)(
    "%s: by default the lookup is on, sessions are not counted, regions are discovered",
    (_, module, others) => {
      expect(ruleParameters(module.locals.rule_parameters, defaultsOf(module))).toEqual({
        ...others,
        cloudTrailLookup: "true",
        countCentralizedRootSessions: "false",
      });
    },
  );

  it.each(DEPLOYMENTS)("%s: each variable becomes its parameter, as a string", (_, module) => {
    const defaults = defaultsOf(module);
    const sent = ruleParameters(module.locals.rule_parameters, {
      ...defaults,
      cloudtrail_lookup: false,
      count_centralized_root_sessions: true,
      cloudtrail_regions: ["us-east-1", "eu-west-1"],
    });
    expect(sent).toMatchObject({
      cloudTrailLookup: "false",
      countCentralizedRootSessions: "true",
      cloudTrailRegions: "us-east-1,eu-west-1",
    });
    // One region is sent as it is; an empty list sends no cloudTrailRegions at all (absent means: discover them).
    expect(
      ruleParameters(module.locals.rule_parameters, { ...defaults, cloudtrail_regions: ["us-east-1"] }),
    ).toMatchObject({ cloudTrailRegions: "us-east-1" });
    expect(
      ruleParameters(module.locals.rule_parameters, { ...defaults, cloudtrail_regions: [] }),
    ).not.toHaveProperty("cloudTrailRegions");
  });

  it.each(DEPLOYMENTS)(
    "%s: every name sent is the rule's or the contract's, and the rule parses those it knows",
    (_, module) => {
      const sent = ruleParameters(module.locals.rule_parameters, {
        ...defaultsOf(module),
        cloudtrail_regions: ["us-east-1"],
      });
      for (const name of Object.keys(sent)) {
        expect(name in DEFAULT_PARAMETERS || CONTRACT_PARAMETERS.includes(name), name).toBe(true);
      }
      const known = Object.fromEntries(Object.entries(sent).filter(([name]) => name in DEFAULT_PARAMETERS));
      expect(() => parseRuleParameters(JSON.stringify(known))).not.toThrow();
    },
  );

  it.each(DEPLOYMENTS)(
    "%s: the most regions the validation allows still fit Config's limit",
    (_, module, _others, limit) => {
      const sent = ruleParameters(module.locals.rule_parameters, {
        ...defaultsOf(module),
        member_role_name: "r".repeat(64),
        cloudtrail_regions: LONGEST_REGIONS,
      });
      expect(JSON.stringify(sent).length).toBeLessThanOrEqual(limit);
    },
  );
});

const CLOUDTRAIL_ACTIONS = ["cloudtrail:LookupEvents", "iam:ListAccountAliases", "account:ListRegions"];

/** The statements of the evaluation document the CloudTrail lookup adds, as Terraform renders them. */
function cloudTrailStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  return statements.filter((statement) =>
    statement.actions?.some((action) => CLOUDTRAIL_ACTIONS.includes(action)),
  );
}

describe("permissions: single-account function role", () => {
  const call = declarations(root).call("evaluator");

  it("the evaluator gets grant_cloudtrail_lookup = var.cloudtrail_lookup", () => {
    for (const lookup of [true, false]) {
      expect(
        evaluateExpression(call.grant_cloudtrail_lookup, moduleScope(root, { cloudtrail_lookup: lookup })),
      ).toBe(lookup);
    }
    // A single account does not know its organization: account:ListRegions uses wildcards there.
    expect(call).not.toHaveProperty("organization");
  });

  it("with the lookup on: exactly LookupEvents and ListAccountAliases on * and ListRegions on the account's own ARNs", () => {
    const statements = evaluatorRoleStatements(evaluator, root, call, { cloudtrail_lookup: true });
    expect(onlyAllowsProblems(statements)).toEqual([]);
    // The evaluator without an organization, as this module calls it.
    const granted = inEvaluator(cloudTrailStatements(statements), { organization: null });
    expect(granted).toEqual([
      {
        sid: "LookupCloudTrailEvents",
        effect: "Allow",
        actions: ["cloudtrail:LookupEvents"],
        resources: ["*"],
      },
      {
        sid: "ListAccountAlias",
        effect: "Allow",
        actions: ["iam:ListAccountAliases"],
        resources: ["*"],
      },
      {
        sid: "ListOwnRegions",
        effect: "Allow",
        actions: ["account:ListRegions"],
        resources: [
          `arn:${PARTITION}:account::${PRINCIPAL_ACCOUNT}:account`,
          `arn:${PARTITION}:account::*:account/o-*/${PRINCIPAL_ACCOUNT}`,
        ],
      },
    ]);
    // Nothing else changes: the evaluation actions, and logs on the function's log group.
    expect(new Set(statements.flatMap((statement) => statement.actions ?? []))).toEqual(
      new Set([
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
        "config:PutEvaluations",
        ...CLOUDTRAIL_ACTIONS,
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]),
    );
  });

  it("with the lookup off: none of the three", () => {
    const statements = evaluatorRoleStatements(evaluator, root, call, { cloudtrail_lookup: false });
    expect(cloudTrailStatements(statements)).toEqual([]);
  });

  it("account:ListRegions: the caller's account in both ARN forms, wildcards only for what a single account cannot know", () => {
    const listRegions = cloudTrailStatements(
      renderedStatements(declarations(evaluator).data("aws_iam_policy_document", "evaluation"), {
        grant_cloudtrail_lookup: true,
      }),
    ).find((statement) => statement.actions?.includes("account:ListRegions"));
    const resources = (organization: Value): Value => inEvaluator(listRegions?.resources, { organization });
    // With an organization, its ID and management account; without one, only those two are wildcards.
    expect(resources({ id: "o-abcdefghij", management_account_id: "111122223333" })).toEqual([
      `arn:${PARTITION}:account::${PRINCIPAL_ACCOUNT}:account`,
      `arn:${PARTITION}:account::111122223333:account/o-abcdefghij/${PRINCIPAL_ACCOUNT}`,
    ]);
    expect(resources(null)).toEqual([
      `arn:${PARTITION}:account::${PRINCIPAL_ACCOUNT}:account`,
      `arn:${PARTITION}:account::*:account/o-*/${PRINCIPAL_ACCOUNT}`,
    ]);
    expect(declarations(evaluator).variable("organization").default).toBeNull();
  });

  it("only LookupEvents and ListAccountAliases join the actions on *: neither has a resource type", () => {
    const statements = evaluatorRoleStatements(evaluator, root, call, { cloudtrail_lookup: true });
    const onStar = statements.filter((statement) => statement.resources?.includes("*"));
    expect(onStar.flatMap((statement) => statement.actions).sort()).toEqual(
      [
        "cloudtrail:LookupEvents",
        "config:PutEvaluations",
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
        "iam:ListAccountAliases",
      ].sort(),
    );
  });
});

describe("permissions: organization", () => {
  const call = declarations(organization).call("evaluator");
  const template = organization.locals.member_role_template as {
    Resources: Record<string, { Properties: Block }>;
  };
  const memberPolicies = template.Resources.MemberRole?.Properties.Policies as { PolicyDocument: unknown }[];

  it("the evaluator gets the lookup switch and the organization, for the member roles' document", () => {
    for (const lookup of [true, false]) {
      expect(
        evaluateExpression(
          call.grant_cloudtrail_lookup,
          moduleScope(organization, { cloudtrail_lookup: lookup }),
        ),
      ).toBe(lookup);
    }
    expect(evaluateExpression(call.organization, moduleScope(organization, {}))).toEqual({
      id: "<data.aws_organizations_organization.current.id>",
      management_account_id: "<data.aws_organizations_organization.current.master_account_id>",
    });
    // What the evaluator accepts as an organization is in test/terraform-validations.test.ts.
  });

  it.each([true, false])(
    "the function's own role never gets LookupEvents, ListAccountAliases or ListRegions (lookup %s): it only assumes the member role",
    (lookup) => {
      const statements = evaluatorRoleStatements(evaluator, organization, call, {
        cloudtrail_lookup: lookup,
      });
      expect(cloudTrailStatements(statements)).toEqual([]);
      expect(call.grant_evaluation_actions).toBe(false);
    },
  );

  it("the member role (StackSet and this account) gets them exactly when the lookup is on", () => {
    // Both member roles use the evaluator's evaluation document.
    expect(references(memberPolicies[0]?.PolicyDocument)).toEqual([
      "module.evaluator.evaluation_policy_json",
    ]);
    expect(references(declarations(organization).resource("aws_iam_role_policy", "member").policy)).toEqual([
      "module.evaluator.evaluation_policy_json",
    ]);
    expect(references(evaluator.outputs.evaluation_policy_json?.value)).toEqual([
      "data.aws_iam_policy_document.evaluation.json",
    ]);
    const document = policyDocumentOf(organization, memberPolicies[0]?.PolicyDocument, { evaluator });
    const on = cloudTrailStatements(renderedStatements(document, { grant_cloudtrail_lookup: true }));
    // The evaluator with this organization, as this module calls it: its ID and management account.
    const withOrganization = evaluateExpression(call.organization, moduleScope(organization, {}));
    expect(
      on.map((statement) => [
        statement.actions,
        inEvaluator(statement.resources, { organization: withOrganization }),
      ]),
    ).toEqual([
      [["cloudtrail:LookupEvents"], ["*"]],
      [["iam:ListAccountAliases"], ["*"]],
      [
        ["account:ListRegions"],
        [
          `arn:${PARTITION}:account::${PRINCIPAL_ACCOUNT}:account`,
          `arn:${PARTITION}:account::<data.aws_organizations_organization.current.master_account_id>:account/<data.aws_organizations_organization.current.id>/${PRINCIPAL_ACCOUNT}`,
        ],
      ],
    ]);
    expect(cloudTrailStatements(renderedStatements(document, { grant_cloudtrail_lookup: false }))).toEqual(
      [],
    );
    // The document the member roles get is the one the call renders.
    expect(cloudTrailStatements(evaluationStatements(evaluator, call, { cloudtrail_lookup: true }))).toEqual(
      on,
    );
  });
});

describe("documentation", () => {
  it.each([
    [
      "README.md",
      ["cloudtrail_lookup", "cloudtrail:LookupEvents", "iam:ListAccountAliases", "account:ListRegions"],
    ],
    [
      "terraform/README.md",
      [
        "cloudtrail_lookup",
        "cloudtrail_regions",
        "cloudtrail:LookupEvents",
        "iam:ListAccountAliases",
        "account:ListRegions",
        "accountInOrganization",
      ],
    ],
    [
      "terraform/modules/organization/README.md",
      [
        "cloudtrail_lookup",
        "cloudtrail:LookupEvents",
        "iam:ListAccountAliases",
        "account:ListRegions",
        "accountInOrganization",
        "member role",
      ],
    ],
  ])("%s explains the CloudTrail permissions", async (path, texts) => {
    const readme = await readFile(path, "utf8");
    for (const text of texts) expect(readme, text).toContain(text);
  });
});

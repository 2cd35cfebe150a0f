// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are Terraform expressions, "${...}" is meant literally.
/**
 * The Terraform checkers of test/support/hcl.ts, each against a fixture module it must fault: a checker only ever
 * seen returning [] on the real modules could be one that finds nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  hardCodedArnProblems,
  loadModule,
  readmeReferenceProblems,
  type TerraformModule,
  undocumentedOutputs,
  undocumentedVariables,
  unusedDeclarations,
  unwrap,
} from "./support/hcl.ts";
import {
  accepts,
  callScope,
  evaluateExpression,
  moduleScope,
  referencedObjects,
  references,
  TerraformError,
  UnsupportedExpression,
  type Value,
} from "./support/hcl-expression.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A module made of `files` (name -> HCL), loaded as the real ones are. */
async function fixture(files: Record<string, string>): Promise<TerraformModule> {
  const dir = mkdtempSync(join(tmpdir(), "hcl-fixture-"));
  dirs.push(dir);
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), source);
  }
  return loadModule(dir);
}

describe("loadModule()", () => {
  it("gives the same module parsed or from the cache, and rejects a file that does not parse every time", async () => {
    // Prepare
    const files = { "main.tf": `variable "days" {\n  type    = number\n  default = 30\n}\n` };
    // Act
    const first = await fixture(files);
    const second = await fixture(files);
    // Assess
    expect(second.variables).toEqual(first.variables);
    expect(first.variables.days).toEqual({ type: "${number}", default: 30 });
    for (let attempt = 0; attempt < 2; attempt += 1)
      await expect(fixture({ "main.tf": 'variable "days" {\n' })).rejects.toThrow();
  });
});

describe("unusedDeclarations", () => {
  it("names a variable, a local and a data source nothing refers to, and counts a comment or a text as no use", async () => {
    // Prepare
    const module = await fixture({
      "variables.tf": `
variable "used" {
  type        = string
  description = "Used by main.tf."
}
variable "commented" {
  type        = string
  description = "Only a comment mentions var.commented."
}
variable "unused" {
  type        = string
  description = "Nothing refers to it."
}`,
      "main.tf": `
locals {
  name  = var.used
  spare = "x"
}
# var.commented is named here, and local.spare, and data.aws_caller_identity.unused
// var.commented again
/* and data.aws_caller_identity.unused in a block comment */
data "aws_caller_identity" "unused" {}
resource "aws_sns_topic" "this" {
  name = local.name
  # A description that names it is no use either.
  tags = { note = "see var.commented and local.spare" }
}`,
    });
    // Act
    const unused = unusedDeclarations(module);
    // Assess
    expect(unused.sort()).toEqual(
      ["data.aws_caller_identity.unused", "local.spare", "var.commented", "var.unused"].sort(),
    );
  });
});

describe("hardCodedArnProblems", () => {
  it("names a file with a hard-coded partition and one with a hard-coded account ID", async () => {
    // Prepare
    const module = await fixture({
      "variables.tf": `variable "x" {\n  type = string\n  description = "arn:aws:iam::123456789012:root is fine here"\n}`,
      "arn.tf": `resource "aws_sns_topic" "a" {\n  policy = "arn:aws:iam::\${data.aws_caller_identity.me.account_id}:root"\n}`,
      "account.tf": `resource "aws_sns_topic" "b" {\n  name = "topic-123456789012"\n}`,
    });
    // Act, Assess
    expect(hardCodedArnProblems(module)).toEqual([
      "account.tf: hard-coded account ID",
      "arn.tf: hard-coded partition in an ARN",
    ]);
  });
});

describe("undocumentedVariables and undocumentedOutputs", () => {
  it("name a variable without a type, one with a short description, and an output without a description", async () => {
    // Prepare
    const module = await fixture({
      "variables.tf": `
variable "good" {
  type        = string
  description = "A documented variable."
}
variable "untyped" {
  description = "A variable with no type."
}
variable "terse" {
  type        = number
  description = "Short."
}`,
      "outputs.tf": `
output "good" {
  value       = var.good
  description = "A documented output."
}
output "bare" {
  value = var.terse
}`,
    });
    // Act, Assess
    expect(undocumentedVariables(module).sort()).toEqual(["terse", "untyped"]);
    expect(undocumentedOutputs(module)).toEqual(["bare"]);
  });
});

describe("readmeReferenceProblems", () => {
  it("names an output, a module output and a module resource the README mentions but nothing declares", async () => {
    // Prepare
    const callee = await fixture({
      "main.tf": `resource "aws_sns_topic" "this" {\n  name = "x"\n}`,
      "outputs.tf": `output "topic_arn" {\n  value = aws_sns_topic.this.arn\n  description = "The topic."\n}`,
    });
    const readme = [
      "Run `terraform output -raw topic_arn`, then `terraform output gone`.",
      "The `vanished` output names it; so do module.alerts.topic_arn and module.alerts.missing_output.",
      "Import module.alerts.aws_sns_topic.this and module.alerts.aws_sns_topic.other.",
    ].join("\n");
    // Act
    const problems = readmeReferenceProblems(readme, { outputs: ["topic_arn"], callees: { alerts: callee } });
    // Assess
    expect(problems).toEqual([
      "output gone",
      "output vanished",
      "module.alerts.missing_output",
      "module.alerts.aws_sns_topic.other",
    ]);
  });
});

describe("what expressions refer to and which values validations accept", () => {
  it("references() lists the addresses an expression refers to as Terraform writes them, once each; referencedObjects() what they name", () => {
    // Prepare
    const expression =
      '${var.a == null ? local.b : data.aws_iam_policy_document.c.json}-${module.d.e}${var.a}${one(aws_sns_topic.t[*].arn)}${aws_iam_role.r[0].arn}${[for k, v in var.m : "${k}=${v.x}" if v.on]}${{ (local.key) = aws_s3_bucket.b["x"].id, n = -1 * length(var.l) }}${aws_cloudwatch_event_rule.alert[key].arn}';
    // Act, Assess
    expect(references(expression)).toEqual([
      "var.a",
      "local.b",
      "data.aws_iam_policy_document.c.json",
      "module.d.e",
      "aws_sns_topic.t[*].arn",
      "aws_iam_role.r[0].arn",
      "var.m",
      "local.key",
      'aws_s3_bucket.b["x"].id',
      "var.l",
      "aws_cloudwatch_event_rule.alert[*].arn",
      "key",
    ]);
    expect(referencedObjects(expression)).toEqual([
      "var.a",
      "local.b",
      "data.aws_iam_policy_document.c",
      "module.d",
      "aws_sns_topic.t",
      "aws_iam_role.r",
      "var.m",
      "local.key",
      "aws_s3_bucket.b",
      "var.l",
      "aws_cloudwatch_event_rule.alert",
      "key",
    ]);
    expect(references(["${aws_iam_role_policy.p}", { a: "${var.x}", b: 1 }, null])).toEqual([
      "aws_iam_role_policy.p",
      "var.x",
    ]);
    expect(references("plain text, $${not.a_reference}")).toEqual([]);
  });

  it("unwrap() gives the expression of one whole interpolation only: two interpolations, or text around one, stay as written", () => {
    // Act, Assess
    expect(unwrap("${var.x}")).toBe("var.x");
    expect(unwrap('${merge({ a = "}" }, { b = "${var.y}" })}')).toBe(
      'merge({ a = "}" }, { b = "${var.y}" })',
    );
    expect(unwrap("${var.a}-${var.b}")).toBe("${var.a}-${var.b}");
    expect(unwrap("arn:${local.partition}:sns")).toBe("arn:${local.partition}:sns");
    expect(unwrap("${var.a}}")).toBe("${var.a}}");
    expect(unwrap(30)).toBe("30");
  });
});

describe("moduleScope(): what a module's expressions are for given variables", () => {
  it("evaluates locals, names resources, data sources and module outputs, and counts instances", async () => {
    // Prepare
    const module = await fixture({
      "main.tf": `
locals {
  topic_arn = var.create ? one(aws_sns_topic.this[*].arn) : var.topic_arn
  name      = "\${var.name}-x"
  loop      = local.loop
}
resource "aws_sns_topic" "this" {
  count = var.create ? 1 : 0
  name  = local.name
}
resource "aws_iam_role" "r" {
  name = local.name
}
module "m" {
  source = "./m"
}
module "counted" {
  source = "./m"
  count  = var.create ? 1 : 0
}
resource "aws_cloudwatch_event_rule" "per_region" {
  for_each = toset(var.regions)
  name     = each.key
}
`,
    });
    const value = (expression: string, vars: Record<string, Value>): Value =>
      evaluateExpression(expression, moduleScope(module, vars));
    // Act, Assess
    expect(value("${local.topic_arn}", { create: true, topic_arn: null })).toBe(
      "<aws_sns_topic.this[0].arn>",
    );
    expect(value("${local.topic_arn}", { create: false, topic_arn: "given" })).toBe("given");
    expect(value("${aws_sns_topic.this[*].arn}", { create: false })).toEqual([]);
    expect(value("${aws_iam_role.r.arn}:*", {})).toBe("<aws_iam_role.r.arn>:*");
    expect(value("${data.aws_partition.current.partition}/${module.m.out}", {})).toBe(
      "<data.aws_partition.current.partition>/<module.m.out>",
    );
    expect(value("${local.name}", { name: "n" })).toBe("n-x");
    expect(value('${aws_cloudwatch_event_rule.per_region["b"].arn}', { regions: ["b", "a", "b"] })).toBe(
      '<aws_cloudwatch_event_rule.per_region["b"].arn>',
    );
    expect(value("${keys(aws_cloudwatch_event_rule.per_region)}", { regions: ["b", "a", "b"] })).toEqual([
      "a",
      "b",
    ]);
    expect(value("${module.counted[*].out}", { create: true })).toEqual(["<module.counted[0].out>"]);
    expect(value("${module.counted[*].out}", { create: false })).toEqual([]);
    expect(() => value("${module.undeclared.out}", {})).toThrow(UnsupportedExpression);
    expect(() => value("${local.loop}", {})).toThrow(/refers to itself/);
    expect(() => value("${local.name}", {})).toThrow(UnsupportedExpression);
    expect(() => value("${local.missing}", {})).toThrow(UnsupportedExpression);
  });
});

describe("moduleScope() with the modules the calls run and data sources' attributes", () => {
  it("evaluates a call's outputs for its arguments, gives data sources' attributes, and keeps what only Terraform knows unknown", async () => {
    // Prepare
    const child = await fixture({
      "main.tf": `
variable "names" {}
variable "suffix" {
  default = "-x"
}
resource "aws_cloudwatch_event_rule" "each" {
  for_each = var.names
  name     = "\${each.key}\${var.suffix}"
}
output "arns" {
  value = { for key in keys(var.names) : key => aws_cloudwatch_event_rule.each[key].arn }
}
output "pattern" {
  value = jsonencode({ b = ["<&>"], a = 1 })
}
`,
    });
    const parent = await fixture({
      "main.tf": `
data "aws_iam_policy_document" "counted" {
  count = var.on ? 1 : 0
}
data "aws_organizations_organization" "current" {}
locals {
  domain = lookup({ aws = "console.aws.amazon.com" }, data.aws_partition.current.partition, "other")
  roots  = data.aws_organizations_organization.current.roots[*].id
}
module "child" {
  source = "./child"
  count  = var.on ? 1 : 0
  names  = { a = 1, b = 2 }
}
module "wrong" {
  source  = "./child"
  names   = {}
  unknown = 1
}
`,
    });
    const scope = (vars: Record<string, Value>, data: Record<string, Value> = {}) =>
      moduleScope(parent, vars, { modules: { child, wrong: child }, data });
    const value = (expression: string, vars: Record<string, Value>, data?: Record<string, Value>): Value =>
      evaluateExpression(expression, scope(vars, data));
    // Act, Assess
    expect(value("${one(module.child[*].arns)}", { on: true })).toEqual({
      a: '<aws_cloudwatch_event_rule.each["a"].arn>',
      b: '<aws_cloudwatch_event_rule.each["b"].arn>',
    });
    expect(value("${one(module.child[*].arns)}", { on: false })).toBeNull();
    // Terraform's jsonencode: keys sorted, HTML characters escaped.
    expect(value("${module.child[0].pattern}", { on: true })).toBe('{"a":1,"b":["\\u003c\\u0026\\u003e"]}');
    expect(() => value("${module.wrong.arns}", {})).toThrow(/does not declare/);
    // The child's variables: the call's arguments, the defaults for the rest.
    const inChild = callScope(parent, { on: true }, "child", child, { modules: { child } });
    expect(evaluateExpression("${keys(var.names)}", inChild)).toEqual(["a", "b"]);
    expect(evaluateExpression("${var.suffix}", inChild)).toBe("-x");
    // A declared data source is counted; one the options give is its attributes.
    expect(value("${data.aws_iam_policy_document.counted[*].json}", { on: true })).toEqual([
      "<data.aws_iam_policy_document.counted[0].json>",
    ]);
    expect(value("${local.domain}", {}, { "aws_partition.current": { partition: "aws" } })).toBe(
      "console.aws.amazon.com",
    );
    expect(value("${local.domain}", {}, { "aws_partition.current": { partition: "aws-cn" } })).toBe("other");
    expect(
      value("${local.roots}", {}, { "aws_organizations_organization.current": { roots: [{ id: "r-1" }] } }),
    ).toEqual(["r-1"]);
    // Unknown: an index, an attribute or a splat of a placeholder is one; what needs its value is not known here.
    expect(value("${local.roots}", {})).toBe("<data.aws_organizations_organization.current.roots[*].id>");
    expect(value('${data.x.y.map["k"].arn}', {})).toBe('<data.x.y.map["k"].arn>');
    // Of any type: a branch of a conditional whatever the other's.
    expect(value('${true ? ["r-0"] : local.roots}', {})).toEqual(["r-0"]);
    expect(() => value("${local.domain}", {})).toThrow(UnsupportedExpression);
    expect(() => value("${length(local.roots)}", {})).toThrow(UnsupportedExpression);
    expect(() => value("${[for id in local.roots : id]}", {})).toThrow(UnsupportedExpression);
    expect(value("${jsondecode(data.x.y.json)}", {})).toBe("<jsondecode(data.x.y.json)>");
  });
});

describe("accepts() and evaluateExpression(): which values a validation accepts", () => {
  const variables = fixture({
    "variables.tf": `
variable "days" {
  type = number
  validation {
    condition     = var.days >= 1 && var.days <= 3650 && var.days == floor(var.days)
    error_message = "1 to 3650."
  }
}
variable "optional_arn" {
  type = string
  validation {
    condition     = var.optional_arn == null ? true : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.optional_arn))
    error_message = "An SNS topic ARN."
  }
}
variable "regions" {
  type = list(string)
  validation {
    condition     = alltrue([for region in var.regions : contains(["us-east-1", "eu-west-1"], region)])
    error_message = "Known regions."
  }
  validation {
    condition     = length(distinct(var.regions)) == length(var.regions) && length(var.regions) <= 2
    error_message = "Each once, at most two."
  }
}
variable "suffix" {
  type = string
  validation {
    condition     = length(var.suffix) <= 3 && !strcontains(var.suffix, "\\"") && !strcontains(var.suffix, "\\\\")
    error_message = "Short, no quote, no backslash."
  }
}
variable "org" {
  type = object({ id = string })
  validation {
    condition     = var.org == null ? true : can(regex("^o-[a-z0-9]{10,32}$", var.org.id))
    error_message = "An organization ID."
  }
}
variable "rules" {
  type = map(object({ state = string }))
  validation {
    condition     = alltrue([for key in keys(var.rules) : can(regex("^[a-z]{1,3}$", key))])
    error_message = "Short keys."
  }
  validation {
    condition     = alltrue([for rule in values(var.rules) : contains(["ENABLED"], rule.state)])
    error_message = "Enabled."
  }
}
variable "policy" {
  type = string
  validation {
    condition     = var.policy == null ? true : can(jsondecode(var.policy).Statement)
    error_message = "A policy."
  }
}
variable "email" {
  type = string
  validation {
    condition     = can(regex("^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$", var.email))
    error_message = "An address."
  }
}`,
  }).then((module) => module.variables);

  it("evaluates comparisons, floor(), a null guard, regex(), for, contains(), distinct(), length(), strcontains(), attributes, keys(), values() and jsondecode()", async () => {
    // Prepare
    const declared = await variables;
    const check = (name: string, values: unknown[]): boolean[] =>
      values.map((value) => accepts(declared, name, value as never));
    // Act, Assess
    expect(check("days", [0, 1, 1.5, 3650, 3651])).toEqual([false, true, false, true, false]);
    expect(
      check("optional_arn", [
        null,
        "arn:aws:sns:eu-west-1:123456789012:alerts",
        "arn:aws:sns:eu-west-1:123456789012:alerts.fifo",
        "arn:aws:sns:eu-west-1:12345678901:alerts",
      ]),
    ).toEqual([true, true, false, false]);
    expect(
      check("regions", [[], ["us-east-1", "eu-west-1"], ["us-east-1", "us-east-1"], ["us-west-2"]]),
    ).toEqual([true, true, false, false]);
    expect(check("suffix", ["", "abc", "abcd", 'a"', "a\\", "e\u0301e\u0301e\u0301"])).toEqual([
      true,
      true,
      false,
      false,
      false,
      true,
    ]);
    expect(check("org", [null, { id: "o-abcdefghij" }, { id: "o-abc" }])).toEqual([true, true, false]);
    expect(
      check("rules", [
        {},
        { ab: { state: "ENABLED" } },
        { abcd: { state: "ENABLED" } },
        { ab: { state: "DISABLED" } },
      ]),
    ).toEqual([true, true, false, false]);
    expect(check("policy", [null, '{"Statement":[]}', '{"Version":"2012-10-17"}', "[1]", "{"])).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    // RE2's \s is ASCII white space only, and its dot matches \r.
    expect(check("email", ["a@b.c", "a b@c.d", "a\u00a0b@c.d", "a@b.c@d"])).toEqual([
      true,
      false,
      true,
      false,
    ]);
    // \xHH names a byte's character, as in RE2; \x{...} is RE2's alone.
    expect(
      evaluateExpression('${[for c in ["\\n", "\\u001f", " "] : can(regex("[\\\\x00-\\\\x1f]", c))]}', {}),
    ).toEqual([true, true, false]);
    expect(() => evaluateExpression('${can(regex("\\\\x{1f}", "a"))}', {})).toThrow(UnsupportedExpression);
  });

  it("faults a validation whose bound is off by one", async () => {
    // Prepare
    const module = await fixture({
      "variables.tf": `
variable "days" {
  type = number
  validation {
    condition     = var.days >= 1 && var.days < 3650
    error_message = "1 to 3650."
  }
}`,
    });
    // Act, Assess
    expect([1, 3650].map((value) => accepts(module.variables, "days", value))).toEqual([true, false]);
  });

  it("evaluates as Terraform 1.5 does: && and || take both operands, a conditional only the branch it takes", () => {
    // Act, Assess
    const scope = { var: { x: null } };
    expect(() => evaluateExpression("${var.x == null || var.x >= 1}", scope)).toThrow(TerraformError);
    expect(evaluateExpression("${var.x == null ? true : var.x >= 1}", scope)).toBe(true);
    expect(evaluateExpression('${1 == "1"}', {})).toBe(false);
    expect(evaluateExpression("${[for n in [1, 2] : n >= 2]}", {})).toEqual([false, true]);
  });

  it("evaluates indexes, splats, object constructors, for expressions with keys and conditions, and arithmetic", () => {
    // Prepare
    const scope = {
      var: { list: ["a", "b"], map: { x: { on: true, n: 2 }, y: { on: false, n: 3 } }, none: null },
      aws_sns_topic: { this: [{ arn: "arn:1" }, { arn: "arn:2" }] },
    };
    // Act, Assess
    expect(evaluateExpression("${var.list[1]}", scope)).toBe("b");
    expect(evaluateExpression('${var.map["y"].n}', scope)).toBe(3);
    expect(evaluateExpression("${aws_sns_topic.this[*].arn}", scope)).toEqual(["arn:1", "arn:2"]);
    expect(evaluateExpression("${var.none[*].arn}", scope)).toEqual([]);
    expect(evaluateExpression("${{ for k, v in var.map : k => v.n * 60 if v.on }}", scope)).toEqual({
      x: 120,
    });
    expect(evaluateExpression('${[for i, v in var.list : "${i}:${v}"]}', scope)).toEqual(["0:a", "1:b"]);
    expect(evaluateExpression('${{ a = 1, "b-c" = -2 + 10 % 4, (var.list[1]) = var.list }}', scope)).toEqual({
      a: 1,
      "b-c": 0,
      b: ["a", "b"],
    });
    expect(() => evaluateExpression("${var.list[2]}", scope)).toThrow(TerraformError);
    expect(
      evaluateExpression('${[upper("ab"), tostring(30), tostring(false), join(",", sort(["b", "a"]))]}', {}),
    ).toEqual(["AB", "30", "false", "a,b"]);
    expect(evaluateExpression("${merge({ a = 1 }, length([1]) > 0 ? { b = 2 } : {})}", {})).toEqual({
      a: 1,
      b: 2,
    });
    expect(evaluateExpression('${flatten([["a"], [["b"]], []])}', {})).toEqual(["a", "b"]);
    expect(evaluateExpression('${setsubtract(toset(["b", "a", "b", "c"]), ["c"])}', {})).toEqual(["a", "b"]);
    expect(evaluateExpression("${one([])}", {})).toBeNull();
    expect(() => evaluateExpression('${one(["a", "b"])}', {})).toThrow(TerraformError);
  });

  it("evaluates a string as the template hcl2json gives: literal text, interpolations, $${ and the string functions", () => {
    // Prepare
    const scope = { var: { name: "Root_Ab", n: 5, bucket: null, none: null } };
    const derived = '${coalesce(var.bucket, "${substr(lower(replace(var.name, "_", "-")), 0, 6)}-config")}';
    // Act, Assess
    expect(evaluateExpression("${var.name}-lambda", scope)).toBe("Root_Ab-lambda");
    expect(evaluateExpression("${var.n}", scope)).toBe(5);
    expect(evaluateExpression("n=${var.n}", scope)).toBe("n=5");
    expect(evaluateExpression("$${var.n}", scope)).toBe("${var.n}");
    expect(evaluateExpression("plain", scope)).toBe("plain");
    expect(evaluateExpression(derived, scope)).toBe("root-a-config");
    expect(evaluateExpression(derived, { var: { ...scope.var, bucket: "given" } })).toBe("given");
    expect(evaluateExpression('${substr("e\u0301abc", 0, 2)}', {})).toBe("e\u0301a");
    expect(() => evaluateExpression("x${var.none}", scope)).toThrow(TerraformError);
  });

  it("refuses what it does not know, through can() too, and never reads it as true or false", async () => {
    // Prepare
    const module = await fixture({
      "variables.tf": `
variable "name" {
  type = string
  validation {
    condition     = startswith(var.name, "root")
    error_message = "Starts with root."
  }
}`,
    });
    const scope = { var: { x: "a", m: { k: 1 } } };
    // Act, Assess
    expect(() => accepts(module.variables, "name", "root-x")).toThrow(UnsupportedExpression);
    for (const expression of [
      "can(title(var.x))",
      'can(regex("(?i)A", var.x))',
      'can(regex("\\\\bA", var.x))',
      "var.x + 1",
      '"%{if true}a%{endif}"',
      "{ for k, v in var.m : k => v... }",
      "var.m[*][*]",
      "{ (1) = 2 }",
      'var.x >= "1"',
      "var.y",
      "local.y",
      'true ? 1 : "a"',
      'replace(var.x, "/a/", "b")',
    ]) {
      expect(() => evaluateExpression(`\${${expression}}`, scope), expression).toThrow(UnsupportedExpression);
    }
    expect(() => accepts(module.variables, "other", "x")).toThrow(/not declared/);
  });
});

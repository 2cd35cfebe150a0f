// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are Terraform expressions, "${...}" is meant literally.
/**
 * The plan renderer (test/support/plan.ts) the Terraform tests assert on: if it rendered a policy otherwise than
 * the provider, expanded count or for_each otherwise than Terraform, or let through a value Terraform refuses, every
 * check built on it would check something AWS never receives. Each case here is one the renderer must get right,
 * on a fixture module or on the provider's own acceptance-test documents.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Value } from "./support/hcl-expression.ts";
import { type Plan, PlanError, renderPlan, WORLD } from "./support/plan.ts";
import { renderPolicyDocument } from "./support/policy-document.ts";
import { convert, parseType } from "./support/terraform-types.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A configuration made of `files` (path -> HCL) in a directory of its own. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-fixture-"));
  dirs.push(dir);
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), source);
  }
  return dir;
}

describe("renderPolicyDocument(): the JSON of aws_iam_policy_document, as the provider writes it", () => {
  // hashicorp/terraform-provider-aws internal/service/iam/policy_document_data_source_test.go
  // (testAccPolicyDocumentConfig and its expected JSON), with the provider's current policy_model.go, whose
  // iamPolicyStatement has `Sid string json:",omitempty"`: a statement without a sid has no "Sid" key.
  it('writes one action, resource or principal as a string and several sorted in reverse, condition values in their order, and Principal "*" only for type "*"', () => {
    // Act
    const { json } = renderPolicyDocument({
      policy_id: "policy_id",
      statement: [
        { sid: "1", actions: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], resources: ["arn:aws:s3:::*"] },
        {
          actions: ["s3:ListBucket"],
          resources: ["arn:aws:s3:::foo"],
          condition: [
            { test: "StringLike", variable: "s3:prefix", values: ["home/", "", "home/${aws:username}/"] },
          ],
          not_principals: [{ type: "AWS", identifiers: ["arn:blahblah:example"] }],
        },
        {
          actions: ["s3:*"],
          resources: ["arn:aws:s3:::foo/home/${aws:username}", "arn:aws:s3:::foo/home/${aws:username}/*"],
          principals: [{ type: "AWS", identifiers: ["arn:blahblah:example", "arn:blahblahblah:example"] }],
        },
        { effect: "Deny", not_actions: ["s3:*"], not_resources: ["arn:aws:s3:::*"] },
        { actions: ["kinesis:*"], principals: [{ type: "AWS", identifiers: ["*"] }] },
        { actions: ["firehose:*"], principals: [{ type: "*", identifiers: ["*"] }] },
      ],
    });
    // Assess
    expect(json).toBe(`{
  "Version": "2012-10-17",
  "Id": "policy_id",
  "Statement": [
    {
      "Sid": "1",
      "Effect": "Allow",
      "Action": [
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation"
      ],
      "Resource": "arn:aws:s3:::*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::foo",
      "NotPrincipal": {
        "AWS": "arn:blahblah:example"
      },
      "Condition": {
        "StringLike": {
          "s3:prefix": [
            "home/",
            "",
            "home/\${aws:username}/"
          ]
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::foo/home/\${aws:username}/*",
        "arn:aws:s3:::foo/home/\${aws:username}"
      ],
      "Principal": {
        "AWS": [
          "arn:blahblahblah:example",
          "arn:blahblah:example"
        ]
      }
    },
    {
      "Effect": "Deny",
      "NotAction": "s3:*",
      "NotResource": "arn:aws:s3:::*"
    },
    {
      "Effect": "Allow",
      "Action": "kinesis:*",
      "Principal": {
        "AWS": "*"
      }
    },
    {
      "Effect": "Allow",
      "Action": "firehose:*",
      "Principal": "*"
    }
  ]
}`);
  });

  it("merges source documents first, then its own statements and the override documents, each replacing the statement with its Sid; a Sid twice among the sources is an error", () => {
    // Prepare: testAccPolicyDocumentSourceListConfig, testAccPolicyDocumentOverrideListConfig and
    // testAccPolicyDocumentSourceListConflictingConfig of the provider's acceptance tests.
    const document = (...statement: Record<string, Value>[]) => renderPolicyDocument({ statement }).json;
    const a = document(
      { sid: "", actions: ["foo:ActionOne"] },
      { sid: "validSidOne", actions: ["bar:ActionOne"] },
    );
    const b = document({ sid: "validSidTwo", effect: "Deny", actions: ["foo:ActionTwo"] });
    const c = document({ sid: "", actions: ["bar:ActionTwo"] });
    const sids = (json: string) =>
      (JSON.parse(json) as { Statement: { Sid?: string; Action: string }[] }).Statement.map(
        (statement) => `${statement.Sid ?? ""}:${statement.Action}`,
      );
    // Act, Assess
    expect(sids(renderPolicyDocument({ source_policy_documents: [a, b, c] }).json)).toEqual([
      ":foo:ActionOne",
      "validSidOne:bar:ActionOne",
      "validSidTwo:foo:ActionTwo",
      ":bar:ActionTwo",
    ]);
    const overriding = document({ sid: "validSidOne", effect: "Deny", actions: ["bar:ActionOne"] });
    expect(sids(renderPolicyDocument({ override_policy_documents: [a, b, overriding] }).json)).toEqual([
      ":foo:ActionOne",
      "validSidOne:bar:ActionOne",
      "validSidTwo:foo:ActionTwo",
    ]);
    expect(
      JSON.parse(renderPolicyDocument({ override_policy_documents: [a, b, overriding] }).json).Statement[1]
        .Effect,
    ).toBe("Deny");
    expect(
      sids(
        renderPolicyDocument({
          source_policy_documents: [a],
          statement: [{ sid: "validSidOne", actions: ["baz:Own"] }],
        }).json,
      ),
    ).toEqual([":foo:ActionOne", "validSidOne:baz:Own"]);
    expect(() => renderPolicyDocument({ source_policy_documents: [a, a] })).toThrow(/duplicate Sid/);
  });

  it("writes several principal blocks of one type as one list, each block's identifiers sorted in reverse after the previous block's", () => {
    // testAccPolicyDocumentStatementPrincipalIdentifiersStringAndSliceConfig and its expected JSON.
    const { document } = renderPolicyDocument({
      statement: [
        {
          actions: ["*"],
          resources: ["*"],
          principals: [
            { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] },
            {
              type: "AWS",
              identifiers: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"],
            },
          ],
        },
      ],
    });
    expect(document.Statement[0]?.Principal).toEqual({
      AWS: [
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::333333333333:root",
        "arn:aws:iam::222222222222:root",
      ],
    });
  });

  it("escapes <, > and & as Go's encoding/json does, so sizes count what the provider sends", () => {
    const { json, minified } = renderPolicyDocument({
      statement: [{ actions: ["a:B"], resources: ["<&>"] }],
    });
    expect(minified).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:B","Resource":"\\u003c\\u0026\\u003e"}]}',
    );
    expect(JSON.parse(json)).toEqual(JSON.parse(minified));
  });
});

describe("convert(): a variable's value as Terraform converts it to the variable's type", () => {
  it("dedupes and sorts a set of strings, fills optional attributes' defaults, converts primitives and refuses what does not convert", () => {
    // Act, Assess
    expect(convert(["b", "a", "b"], parseType("${set(string)}"), "var.regions")).toEqual(["a", "b"]);
    expect(convert([1, 2], parseType("${list(string)}"), "var.ids")).toEqual(["1", "2"]);
    const timeouts = parseType('${object({ create = optional(string, "60m"), delete = optional(string) })}');
    expect(convert({}, timeouts, "var.timeouts")).toEqual({ create: "60m", delete: null });
    expect(convert({ create: null, delete: "5m" }, timeouts, "var.timeouts")).toEqual({
      create: "60m",
      delete: "5m",
    });
    expect(convert("30", parseType("number"), "var.days")).toBe(30);
    expect(convert("true", parseType("bool"), "var.on")).toBe(true);
    expect(() => convert({ a: 1 }, parseType("string"), "var.name")).toThrow(/var.name/);
    expect(() => convert("x", parseType("number"), "var.days")).toThrow(/var.days/);
    expect(() => convert({}, parseType("${object({ id = string })}"), "var.o")).toThrow(/id is required/);
  });
});

describe("renderPlan(): the resource instances of a configuration for given variables", () => {
  const child = `
variable "label" {
  type = string
  validation {
    condition     = length(var.label) <= 6
    error_message = "label: 6 characters at most."
  }
}
resource "aws_iam_role" "this" {
  name               = "role-\${var.label}"
  assume_role_policy = "{}"
}
output "role_arn" {
  value = aws_iam_role.this.arn
}
`;
  const root = `
variable "name" {
  type    = string
  default = "demo"
  validation {
    condition     = can(regex("^[a-z]+$", var.name))
    error_message = "name: lowercase letters only."
  }
}
variable "regions" {
  type    = set(string)
  default = ["eu-west-1"]
}
variable "settings" {
  type     = object({ days = optional(number, 30), scoped = optional(bool, false) })
  default  = {}
  nullable = false
}
variable "alarm" {
  type    = bool
  default = false
}
data "aws_caller_identity" "current" {}
resource "aws_sns_topic" "this" {
  count = var.alarm ? 1 : 0
  name  = "\${var.name}-alerts"
}
resource "aws_cloudwatch_event_rule" "per_region" {
  for_each = var.regions
  region   = each.value
  name     = "\${var.name}-\${each.key}"
}
data "aws_iam_policy_document" "topic" {
  count = var.alarm ? 1 : 0
  statement {
    sid       = "Events"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[0].arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    dynamic "condition" {
      for_each = var.settings.scoped ? [1] : []
      content {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = [for rule in aws_cloudwatch_event_rule.per_region : rule.arn]
      }
    }
  }
}
resource "aws_sns_topic_policy" "this" {
  count  = var.alarm ? 1 : 0
  arn    = aws_sns_topic.this[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
  lifecycle {
    precondition {
      condition     = var.settings.days <= 90
      error_message = "days: at most 90."
    }
  }
}
module "child" {
  source = "./child"
  label  = var.name
}
output "topic_arn" {
  value = one(aws_sns_topic.this[*].arn)
}
output "role_arn" {
  value = module.child.role_arn
}
`;
  const dir = fixture({ "main.tf": root, "child/main.tf": child });
  const policy = (planned: Plan) =>
    JSON.parse(String(planned.resources.find((r) => r.type === "aws_sns_topic_policy")?.values.policy));

  it("expands count, for_each and dynamic blocks, runs module calls and gives ARNs in the world's account, partition and each instance's region", async () => {
    // Act
    const planned = await renderPlan(dir, {
      alarm: true,
      regions: ["us-east-1", "eu-west-1", "us-east-1"],
      settings: { scoped: true },
    });
    // Assess
    expect(Object.fromEntries(planned.resources.map((r) => [r.address, r.region]))).toEqual({
      "aws_sns_topic.this[0]": "eu-west-1",
      'aws_cloudwatch_event_rule.per_region["eu-west-1"]': "eu-west-1",
      'aws_cloudwatch_event_rule.per_region["us-east-1"]': "us-east-1",
      "aws_sns_topic_policy.this[0]": "eu-west-1",
      "module.child.aws_iam_role.this": "eu-west-1",
    });
    expect(policy(planned).Statement).toEqual([
      {
        Sid: "Events",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: `arn:aws:sns:eu-west-1:${WORLD.accountId}:demo-alerts`,
        Principal: { Service: "events.amazonaws.com" },
        Condition: {
          ArnLike: {
            "aws:SourceArn": [
              `arn:aws:events:eu-west-1:${WORLD.accountId}:rule/demo-eu-west-1`,
              `arn:aws:events:us-east-1:${WORLD.accountId}:rule/demo-us-east-1`,
            ],
          },
        },
      },
    ]);
    expect(planned.outputs).toEqual({
      topic_arn: `arn:aws:sns:eu-west-1:${WORLD.accountId}:demo-alerts`,
      role_arn: `arn:aws:iam::${WORLD.accountId}:role/role-demo`,
    });
    const china = await renderPlan(dir, {}, { ...WORLD, partition: "aws-cn", region: "cn-north-1" });
    expect(china.outputs.role_arn).toBe(`arn:aws-cn:iam::${WORLD.accountId}:role/role-demo`);
    expect(china.outputs.topic_arn).toBeNull();
    expect(china.resources.map((r) => r.address).sort()).toEqual([
      'aws_cloudwatch_event_rule.per_region["eu-west-1"]',
      "module.child.aws_iam_role.this",
    ]);
  });

  it("leaves a dynamic block out for an empty collection and gives a null non-nullable variable its default", async () => {
    // Act
    const planned = await renderPlan(dir, { alarm: true, settings: null });
    // Assess
    expect(policy(planned).Statement[0].Condition).toBeUndefined();
  });

  it("refuses, with every address, what terraform plan refuses: a failed validation, in the root or a called module, a failed precondition, an unknown variable", async () => {
    // Act
    const refused = await renderPlan(dir, {
      name: "Demo",
      alarm: true,
      settings: { days: 91 },
      color: "blue",
    }).catch((error: unknown) => error);
    // Assess
    expect(refused).toBeInstanceOf(PlanError);
    expect((refused as PlanError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^var\.color: no such variable/),
        "var.name: name: lowercase letters only.",
        "aws_sns_topic_policy.this[0]: precondition failed: days: at most 90.",
      ]),
    );
    const long = await renderPlan(dir, { name: "toolong" }).catch((error: unknown) => error);
    expect((long as PlanError).problems).toEqual([
      expect.stringMatching(/^module\.child.*var\.label: label: 6 characters at most\.$/),
    ]);
  });
});

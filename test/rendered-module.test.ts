// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are Terraform, "${...}" is meant literally.
/**
 * renderModule() (test/support/rendered-module.ts) renders what a plan would hold: the instances of every resource
 * for the variables given, nested and dynamic blocks expanded, module calls followed, and aws_iam_policy_document
 * data sources as the AWS provider writes them (internal/service/iam/policy_document_data_source.go and
 * iam_policy_model.go: one value a string, several sorted in reverse, principals and conditions grouped, statements
 * of source_policy_documents replaced by a statement of the same Sid, `&{` for a literal `${`). Each rule on a small
 * module written for it.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderModule, resourcesOfType } from "./support/rendered-module.ts";

let dir: string;

const ROOT = `
variable "on" {
  type    = bool
  default = true
}
variable "names" {
  type    = list(string)
  default = ["b", "a"]
}

locals {
  body = file("\${path.module}/body.txt")
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Shared"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Kept"
    actions   = ["sqs:SendMessage", "sns:Publish", "kms:Decrypt"]
    resources = ["arn:aws:sns:eu-west-1:\${data.aws_caller_identity.current.account_id}:t"]
  }
}

data "aws_iam_policy_document" "this" {
  count                   = var.on ? 1 : 0
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {
    sid       = "Shared"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::b/&{aws:username}/*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceOrgID"
      values   = ["o-1", "o-2"]
    }
  }

  dynamic "statement" {
    for_each = var.names
    content {
      sid       = "Dynamic\${statement.key}"
      actions   = ["logs:PutLogEvents"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "counted" {
  count  = length(var.names)
  name   = "policy-\${count.index}"
  role   = "r"
  policy = data.aws_iam_policy_document.this[0].json
}

resource "aws_sns_topic" "each" {
  for_each = { x = "one", y = "two" }
  name     = "\${each.key}-\${each.value}-\${module.child.suffix}"
}

resource "aws_cloudwatch_metric_alarm" "dynamic" {
  alarm_name = "a"

  dynamic "metric_query" {
    for_each = var.names
    iterator = query
    content {
      id = "m\${query.key}"
      metric {
        metric_name = query.value
      }
    }
  }

  metric_query {
    id = "sum"
  }
}

resource "aws_s3_object" "file" {
  count   = var.on ? 1 : 0
  content = local.body
}

module "child" {
  source = "./child"
  prefix = var.on ? "on" : "off"
}
`;

const CHILD = `
variable "prefix" {
  type = string
}

data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::*:role/\${var.prefix}"]
  }
}

resource "aws_iam_policy" "this" {
  name   = "\${var.prefix}-policy"
  policy = data.aws_iam_policy_document.doc.json
}

output "suffix" {
  value = "\${var.prefix}-\${length(jsondecode(data.aws_iam_policy_document.doc.json).Statement)}"
}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rendered-module-"));
  await mkdir(join(dir, "child"));
  await writeFile(join(dir, "main.tf"), ROOT);
  await writeFile(join(dir, "body.txt"), 'a "${literal}" line\nand %{another}\n');
  await writeFile(join(dir, "child", "main.tf"), CHILD);
});

describe("renderModule", () => {
  it("a policy document is the provider's JSON: one value a string, several reverse-sorted, principals and conditions grouped, source statements replaced by Sid, &{ a literal ${", async () => {
    const plan = await renderModule(dir);
    const document = JSON.parse(plan.documents["aws_iam_policy_document.this[0]"] ?? "{}");
    expect(document).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Shared",
          Effect: "Deny",
          Action: "s3:*",
          Resource: "arn:aws:s3:::b/${aws:username}/*",
          Principal: { Service: ["events.amazonaws.com", "config.amazonaws.com"] },
          Condition: {
            StringEquals: { "aws:SourceAccount": "111122223333", "aws:SourceOrgID": ["o-1", "o-2"] },
          },
        },
        {
          Sid: "Kept",
          Effect: "Allow",
          Action: ["sqs:SendMessage", "sns:Publish", "kms:Decrypt"],
          Resource: "arn:aws:sns:eu-west-1:111122223333:t",
        },
        { Sid: "Dynamic0", Effect: "Allow", Action: "logs:PutLogEvents", Resource: "b" },
        { Sid: "Dynamic1", Effect: "Allow", Action: "logs:PutLogEvents", Resource: "a" },
      ],
    });
  });

  it("a resource with count is one instance per index, with count.index; one with for_each one per key, with each", async () => {
    const plan = await renderModule(dir);
    expect(
      resourcesOfType(plan, "aws_iam_role_policy").map((resource) => [
        resource.address,
        resource.values.name,
      ]),
    ).toEqual([
      ["aws_iam_role_policy.counted[0]", "policy-0"],
      ["aws_iam_role_policy.counted[1]", "policy-1"],
    ]);
    expect(
      resourcesOfType(plan, "aws_sns_topic").map((resource) => [resource.address, resource.values.name]),
    ).toEqual([
      ['aws_sns_topic.each["x"]', "x-one-on-1"],
      ['aws_sns_topic.each["y"]', "y-two-on-1"],
    ]);
    // The document a counted data source renders is what the resource receives.
    expect(resourcesOfType(plan, "aws_iam_role_policy")[0]?.values.policy).toBe(
      plan.documents["aws_iam_policy_document.this[0]"],
    );
    const off = await renderModule(dir, { on: false, names: [] });
    expect(resourcesOfType(off, "aws_iam_role_policy")).toEqual([]);
    expect(resourcesOfType(off, "aws_s3_object")).toEqual([]);
    expect(off.documents).not.toHaveProperty("aws_iam_policy_document.this[0]");
  });

  it("static blocks come first, then a dynamic block's once per element, with its iterator", async () => {
    const plan = await renderModule(dir);
    const [alarm] = resourcesOfType(plan, "aws_cloudwatch_metric_alarm");
    expect(alarm?.values.metric_query).toEqual([
      { id: "sum" },
      { id: "m0", metric: [{ metric_name: "b" }] },
      { id: "m1", metric: [{ metric_name: "a" }] },
    ]);
  });

  it("a called module's resources are rendered at its address, for the arguments the call passes, its outputs known to the caller", async () => {
    const plan = await renderModule(dir, { on: false });
    const [policy] = resourcesOfType(plan, "aws_iam_policy");
    expect(policy?.address).toBe("module.child.aws_iam_policy.this");
    expect(JSON.parse(String(policy?.values.policy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/off" },
      ],
    });
    expect(plan.evaluate("${module.child.suffix}")).toBe("off-1");
  });

  it("file() gives the file's text, ${ and %{ in it literal", async () => {
    const plan = await renderModule(dir);
    expect(resourcesOfType(plan, "aws_s3_object")[0]?.values.content).toBe(
      'a "${literal}" line\nand %{another}\n',
    );
  });

  it("a variable the module does not declare is refused", async () => {
    await expect(renderModule(dir, { nope: 1 })).rejects.toThrow(/declares no variable nope/);
  });
});

/**
 * What `terraform fmt`, `terraform validate`, tflint and a reviewer check on every module and example, without a
 * terraform binary: each file parses with HashiCorp's HCL parser (@cdktf/hcl2json) and is formatted as
 * `terraform fmt` writes it (@cdktf/hcl-tools); every module asks for the Terraform and provider versions whose
 * features it uses; variables are typed and described, outputs described; nothing declared goes unused; no ARN
 * has a hard-coded partition or account; no `moved` block before the first release has state to move.
 */
import { format } from "@cdktf/hcl-tools";
import { describe, expect, it } from "vitest";
import {
  hardCodedArnProblems,
  loadModule,
  loadTerraformFiles,
  nested,
  type TerraformModule,
  undocumentedOutputs,
  undocumentedVariables,
  unusedDeclarations,
} from "./support/hcl.ts";

const DIRS = [
  "terraform",
  "terraform/modules/evaluator",
  "terraform/modules/notifications",
  "terraform/modules/organization",
  "terraform/modules/root-activity-events",
  "terraform/modules/root-activity-forwarding",
  "terraform/examples/single-account",
  "terraform/examples/organization",
];
const modules = await Promise.all(DIRS.map(async (dir) => [dir, await loadModule(dir)] as const));
const files = await loadTerraformFiles("terraform");

describe("every file parses and is formatted as terraform fmt writes it", () => {
  it.each(files.map((file) => [file.path, file] as const))("%s", async (_, file) => {
    expect(await format(file.source), "run: npx tsx scripts/check-terraform-format.ts --write").toBe(
      file.source,
    );
  });
});

describe.each(modules)("%s", (dir, module: TerraformModule) => {
  it("asks for Terraform 1.5 (strcontains, validations of one variable) and, if it creates anything, hashicorp/aws 6.20", () => {
    expect(module.terraform).toHaveLength(1);
    expect(module.terraform[0]?.required_version).toBe(">= 1.5");
    const creates = Object.keys(module.resources).length + Object.keys(module.modules).length > 0;
    if (!creates) return;
    // 6.0: data.aws_region.region and the per-resource region argument; 6.20: the nodejs24.x runtime;
    // aws_cloudformation_stack_instances is from 5.67.
    const aws = nested(module.terraform[0] ?? {}, "required_providers").aws as {
      source?: string;
      version?: string;
    };
    expect(aws.source).toBe("hashicorp/aws");
    const [, major = 0, minor = 0] = (/^>=\s*(\d+)\.(\d+)/.exec(aws.version ?? "") ?? []).map(Number);
    expect(major > 6 || (major === 6 && minor >= 20), aws.version).toBe(true);
  });

  it("every variable is typed and described, every output described", () => {
    expect(undocumentedVariables(module)).toEqual([]);
    expect(undocumentedOutputs(module)).toEqual([]);
  });

  it("every variable, local and data source is used (tflint terraform_unused_declarations)", () => {
    expect(unusedDeclarations(module)).toEqual([]);
  });

  it("builds ARNs from the partition, account and region data sources, never hard-coded", () => {
    if (dir.includes("examples")) return;
    expect(hardCodedArnProblems(module)).toEqual([]);
  });

  it("declares no moved block: version 0.1.0 is the first release, no state has older addresses", () => {
    expect(module.moved).toEqual([]);
  });
});

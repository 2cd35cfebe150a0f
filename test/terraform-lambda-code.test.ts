/**
 * Where the function's code comes from (issue 19, "Consumable without Node"): by default the zip committed beside the
 * evaluator module (terraform/modules/evaluator/lambda.zip, which the release build writes), so a `git::` source or a
 * checkout of a tag needs no Node and no build; a local zip for development; an S3 object for organizations that
 * host their own artifacts. Combinations that conflict are refused at plan. The zip's presence and its agreement
 * with a fresh build are the release build's tests; here, what Terraform sends Lambda.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Value } from "./support/hcl-expression.ts";
import { type Instance, loadConfiguration, type Plan, plan } from "./support/plan.ts";

const COMMITTED_ZIP = "terraform/modules/evaluator/lambda.zip";
const CONFIGURATIONS = [
  ["terraform", await loadConfiguration("terraform")],
  ["terraform/modules/organization", await loadConfiguration("terraform/modules/organization")],
  ["terraform/examples/single-account", await loadConfiguration("terraform/examples/single-account")],
  ["terraform/examples/organization", await loadConfiguration("terraform/examples/organization")],
] as const;
const [[, root], [, organization]] = CONFIGURATIONS;

/** The function of a plan. */
const lambda = (planned: Plan): Instance => {
  const [found, ...more] = planned.resources.filter((resource) => resource.type === "aws_lambda_function");
  if (found === undefined || more.length > 0) throw new Error("expected one function");
  return found;
};

/** What the function's code arguments are. */
const code = (planned: Plan): Record<string, Value> => {
  const { filename, source_code_hash, s3_bucket, s3_key, s3_object_version } = lambda(planned).values;
  return {
    filename: filename ?? null,
    source_code_hash: source_code_hash ?? null,
    s3_bucket: s3_bucket ?? null,
    s3_key: s3_key ?? null,
    s3_object_version: s3_object_version ?? null,
  };
};

/** A zip-named file with `content`, and its base64 SHA-256 as filebase64sha256() gives it. */
function zipFile(content: string): { path: string; hash: string } {
  const path = join(mkdtempSync(join(tmpdir(), "root-activity-")), "code.zip");
  writeFileSync(path, content);
  return { path, hash: createHash("sha256").update(content).digest("base64") };
}

describe("the function's code", () => {
  it.each(CONFIGURATIONS)(
    "%s: by default the zip committed in the evaluator module, no build step",
    (_, config) => {
      const planned = plan(config, {});
      expect(code(planned)).toMatchObject({ filename: COMMITTED_ZIP, s3_bucket: null, s3_key: null });
      // The only file a plan may find missing is that artifact (on a branch before the release build commits it).
      expect(planned.missingFiles.filter((path) => path !== COMMITTED_ZIP)).toEqual([]);
      // Redeployed whenever the committed zip changes: its hash is the file's.
      const expected = existsSync(COMMITTED_ZIP)
        ? createHash("sha256").update(readFileSync(COMMITTED_ZIP)).digest("base64")
        : `<missing file ${COMMITTED_ZIP}>`;
      expect(code(planned).source_code_hash).toBe(expected);
    },
  );

  it.each([
    ["terraform", root],
    ["terraform/modules/organization", organization],
  ] as const)("%s: a local zip for development, redeployed whenever its content changes", (_, config) => {
    const first = zipFile("first build");
    const second = zipFile("second build");
    const planned = plan(config, { lambda_zip_path: first.path });
    expect(code(planned)).toEqual({
      filename: first.path,
      source_code_hash: first.hash,
      s3_bucket: null,
      s3_key: null,
      s3_object_version: null,
    });
    expect(code(plan(config, { lambda_zip_path: second.path })).source_code_hash).toBe(second.hash);
  });

  it.each([
    ["terraform", root],
    ["terraform/modules/organization", organization],
  ] as const)("%s: an S3 object, redeployed when its key or version changes", (_, config) => {
    const s3 = { lambda_s3_bucket: "artifacts.example-org", lambda_s3_key: "root-activity/0.1.0/lambda.zip" };
    expect(code(plan(config, s3))).toEqual({
      filename: null,
      source_code_hash: null,
      s3_bucket: "artifacts.example-org",
      s3_key: "root-activity/0.1.0/lambda.zip",
      s3_object_version: null,
    });
    expect(
      code(plan(config, { ...s3, lambda_s3_object_version: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" })),
    ).toMatchObject({
      s3_object_version: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
    });
  });

  it.each([
    [
      "a local zip and an S3 object",
      { lambda_zip_path: "dist/lambda.zip", lambda_s3_bucket: "b-1", lambda_s3_key: "k" },
      /either as a local zip .* or as an S3 object/,
    ],
    ["a bucket without a key", { lambda_s3_bucket: "b-1" }, /lambda_s3_bucket and lambda_s3_key go together/],
    ["a key without a bucket", { lambda_s3_key: "k" }, /lambda_s3_bucket and lambda_s3_key go together/],
    [
      "a version without bucket and key",
      { lambda_s3_object_version: "v1" },
      /lambda_s3_object_version needs lambda_s3_bucket and lambda_s3_key/,
    ],
    [
      "a bucket that is no bucket name",
      { lambda_s3_bucket: "Artifacts", lambda_s3_key: "k" },
      /lambda_s3_bucket must be an S3 bucket name/,
    ],
  ] as const)("refuses %s at plan, naming the variables", (_, vars, message) => {
    for (const [, config] of CONFIGURATIONS.slice(0, 2))
      expect(() => plan(config, vars), config.dir).toThrow(message);
  });
});

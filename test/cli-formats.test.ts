/**
 * Every way the AWS CLI prints the credential report is read by the CLI (rule: json, text, yaml and yaml-stream are
 * evaluated, a UTF-8 BOM is accepted before JSON, and the verdict is the one of the raw CSV), and output that is
 * recognisably the AWS CLI's but cannot be read (table, damaged) is a usage error naming `--output json`: never a
 * "Cannot verify" verdict, which would be a statement about the account.
 */
import { describe, expect, it } from "vitest";
import { awsCliOutput, READABLE_FORMATS } from "./support/aws-cli-output.ts";
import { type CliRun, pipeInto, runCli, useTempFiles } from "./support/cli.ts";
import { NOW_UTC as NOW } from "./support/evaluation.ts";
import { buildReport, rootRow, userRow } from "./support/report-builder.ts";

const { file } = useTempFiles("root-activity-cli-formats-");
const GENERATED = "2026-11-29T10:00:00+00:00";

const reports = {
  used: buildReport({
    rows: [
      userRow("alice"),
      rootRow({ access_key_1_active: "true", access_key_1_last_used_date: "2026-11-27T08:00:00+00:00" }),
    ],
  }),
  quiet: buildReport({
    rows: [rootRow({ password_last_used: "2026-01-05T10:00:00+00:00" }), userRow("bob,ops")],
  }),
};

/** The verdict's fields that must not depend on the input format. */
function verdictOf(run: CliRun) {
  const json = JSON.parse(run.stdout);
  return {
    status: run.status,
    complianceType: json.complianceType,
    reason: json.reason,
    annotation: json.annotation,
    resourceId: json.resourceId,
    lastUse: json.lastUse,
    lastUsed: json.lastUsed,
    activeAccessKeys: json.activeAccessKeys,
  };
}

function expectUsageErrorNamingJson(result: CliRun): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(/^root-activity: /);
  expect(result.stderr).toContain("--output json");
  expect(result.stderr).not.toMatch(/Cannot verify/);
}

describe("each AWS CLI output format gives the raw CSV's verdict", () => {
  for (const [name, csv] of Object.entries(reports)) {
    for (const format of READABLE_FORMATS) {
      it(`reads --output ${format} (${name} root) from a file and from a pipe, with its GeneratedTime`, async () => {
        // Prepare
        const raw = file(`${name}.csv`, csv);
        const path = file(`${name}.${format}`, awsCliOutput(csv, format, GENERATED));
        const args = ["--now", NOW, "--json"];
        // Act
        const fromCsv = await runCli(["evaluate", "--report", raw, ...args]);
        const fromFile = await runCli(["evaluate", "--report", path, ...args]);
        const fromPipe = await pipeInto(path, ["evaluate", "--report", "-", ...args], {
          chunkBytes: 100,
          pauseMs: 5,
        });
        // Assess
        expect(verdictOf(fromFile)).toEqual(verdictOf(fromCsv));
        expect(verdictOf(fromPipe)).toEqual(verdictOf(fromCsv));
        for (const run of [fromFile, fromPipe]) {
          expect(JSON.parse(run.stdout).report).toMatchObject({
            format: `aws-cli-${format}`,
            generatedTime: "2026-11-29T10:00:00.000Z",
            ageSeconds: 7200,
            inFuture: false,
          });
        }
        expect(JSON.parse(fromCsv.stdout).report).toMatchObject({
          format: "csv",
          generatedTime: null,
          ageSeconds: null,
        });
      });
    }
  }

  it("accepts a UTF-8 BOM before the JSON, as before a CSV", async () => {
    // Prepare
    const csv = reports.used;
    const json = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(awsCliOutput(csv, "json", GENERATED)),
    ]);
    // Act
    const fromBom = await runCli(["evaluate", "--report", file("bom.json", json), "--now", NOW, "--json"]);
    const fromCsv = await runCli(["evaluate", "--report", file("bom.csv", csv), "--now", NOW, "--json"]);
    // Assess
    expect(verdictOf(fromBom)).toEqual(verdictOf(fromCsv));
  });

  it("reads the base64 Content alone (--query Content --output text), without a generation time", async () => {
    // Prepare
    const path = file("content.txt", `${Buffer.from(reports.used).toString("base64")}\n`);
    // Act
    const result = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    const fromCsv = await runCli([
      "evaluate",
      "--report",
      file("c.csv", reports.used),
      "--now",
      NOW,
      "--json",
    ]);
    // Assess
    expect(verdictOf(result)).toEqual(verdictOf(fromCsv));
    expect(JSON.parse(result.stdout).report).toMatchObject({
      format: "aws-cli-content",
      generatedTime: null,
    });
  });
});

describe("AWS CLI output that cannot be read is a usage error naming --output json", () => {
  const json = awsCliOutput(reports.used, "json", GENERATED);
  const yaml = awsCliOutput(reports.used, "yaml", GENERATED);
  const text = awsCliOutput(reports.used, "text", GENERATED);
  const cases: Array<[string, string]> = [
    ["--output table", awsCliOutput(reports.used, "table", GENERATED)],
    ["JSON cut short", json.slice(0, json.length / 2)],
    ["YAML without Content", "GeneratedTime: '2026-11-29T10:00:00+00:00'\nReportFormat: text/csv\n"],
    ["YAML that is not valid YAML", `Content: [unclosed\n${yaml}`],
    [
      "a YAML stream of two answers",
      `${awsCliOutput(reports.used, "yaml-stream", GENERATED)}${awsCliOutput(reports.quiet, "yaml-stream", GENERATED)}`,
    ],
    ["text output without its GeneratedTime", text.replace(`\t${GENERATED}`, "")],
    ["text output on two lines", `${text}${text}`],
    [
      "the answer of generate-credential-report",
      '{\n    "State": "COMPLETE",\n    "Description": "Report generation is complete"\n}\n',
    ],
  ];
  for (const [name, content] of cases) {
    it(`exits 2 for ${name}`, async () => {
      // Prepare
      const path = file(`bad-${name.replace(/\W+/g, "-")}.out`, content);
      // Act
      const fromFile = await runCli(["evaluate", "--report", path]);
      const fromPipe = await pipeInto(path, ["evaluate", "--report", "-"]);
      // Assess
      for (const result of [fromFile, fromPipe]) expectUsageErrorNamingJson(result);
    });
  }

  it("says which format is wrong: the table cannot be read back", async () => {
    // Act
    const result = await runCli([
      "evaluate",
      "--report",
      file("t.out", awsCliOutput(reports.used, "table", GENERATED)),
    ]);
    // Assess
    expect(result.stderr).toMatch(/is the AWS CLI's --output table, which cannot be read back/);
  });

  it("says when the input is generate-credential-report's answer instead of the report", async () => {
    // Act
    const result = await runCli([
      "evaluate",
      "--report",
      file("g.json", '{"State":"STARTED","Description":"x"}'),
    ]);
    // Assess
    expect(result.stderr).toMatch(/answer of aws iam generate-credential-report/);
  });
});

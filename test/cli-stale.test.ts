/**
 * A stale report cannot vouch for the present, as the CLI shows it. Rules: a report generated more than
 * `--max-report-age` (default 4 h) before the evaluation time is NON_COMPLIANT "Cannot verify", and the text says how
 * to get a current one or accept an older one; a use found in it still counts; a raw CSV carries no generation
 * time, which the text and `--json` say; times after the evaluation time read "in the future", never "0 min ago",
 * and `--json` never holds a negative age without saying so.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../scripts/local-aws/server.ts";
import { awsCliOutput } from "./support/aws-cli-output.ts";
import { runCli, useTempFiles } from "./support/cli.ts";
import { NOW_UTC as NOW } from "./support/evaluation.ts";
import { buildReport, rootRow, userRow } from "./support/report-builder.ts";

const { file } = useTempFiles("root-activity-cli-stale-");
const quiet = buildReport({
  rows: [rootRow({ password_last_used: "2026-01-05T10:00:00+00:00" }), userRow("bob")],
});
const used = buildReport({ rows: [rootRow({ access_key_1_last_used_date: "2026-11-27T08:00:00+00:00" })] });

/** The AWS CLI's JSON of `csv`, generated at `generated`. */
const answer = (name: string, csv: string, generated: string) =>
  file(`${name}.json`, awsCliOutput(csv, "json", generated));

describe("a report older than --max-report-age", () => {
  it("is NON_COMPLIANT Cannot verify, and the text says how to get a current report or accept this one", async () => {
    // Prepare: generated 30 h before the evaluation time.
    const path = answer("stale", quiet, "2026-11-28T06:00:00+00:00");
    // Act
    const text = await runCli(["evaluate", "--report", path, "--now", NOW]);
    const json = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    // Assess
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /^NON_COMPLIANT {2}account 111122223333\n {2}Cannot verify root user activity: the report was generated 2026-11-28T06:00:00Z, .* before the evaluation time; root use since then is unknown/,
    );
    expect(text.stdout).toMatch(
      /Report {8}generated 2026-11-28T06:00:00Z \(1 day 6 hours ago\), older than --max-report-age 4h/,
    );
    expect(text.stdout).toContain(
      "To get a current report: aws iam generate-credential-report, then download it again",
    );
    expect(text.stdout).toContain("root-activity evaluate --live");
    expect(text.stdout).toContain("To accept this one: --max-report-age 31h.");
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      complianceType: "NON_COMPLIANT",
      reason: "stale-report",
      maxReportAgeSeconds: 14_400,
      report: {
        generatedTime: "2026-11-28T06:00:00.000Z",
        ageSeconds: 108_000,
        inFuture: false,
        tooOld: true,
      },
    });
  });

  it("gives the report's own verdict when --max-report-age accepts it, as the hint says", async () => {
    // Prepare
    const path = answer("accepted", quiet, "2026-11-28T06:00:00+00:00");
    // Act
    const result = await runCli([
      "evaluate",
      "--report",
      path,
      "--now",
      NOW,
      "--max-report-age",
      "31h",
      "--json",
    ]);
    // Assess
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      complianceType: "COMPLIANT",
      reason: "not-used-in-window",
      maxReportAgeSeconds: 111_600,
      report: { tooOld: false },
    });
  });

  it("still counts a use it shows: NON_COMPLIANT as usual", async () => {
    // Prepare
    const path = answer("stale-used", used, "2026-11-28T06:00:00+00:00");
    // Act
    const result = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    // Assess
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      reason: "used-in-window",
      lastUse: { source: "credential report", credential: "access key 1", inFuture: false },
      report: { tooOld: true },
    });
  });

  it("says, when younger than IAM's 4-hour interval, when IAM can make a newer one", async () => {
    // Prepare: 2 hours old, at most 1 hour allowed.
    const path = answer("young", quiet, "2026-11-29T10:00:00+00:00");
    // Act
    const result = await runCli(["evaluate", "--report", path, "--now", NOW, "--max-report-age", "1h"]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "IAM makes at most one credential report every 4 hours: a newer one can be generated from 2026-11-29T14:00:00Z.",
    );
    expect(result.stdout).toContain("To accept this one: --max-report-age 3h.");
    expect(result.stdout).not.toContain("aws iam generate-credential-report, then");
  });
});

describe("a raw CSV carries no generation time", () => {
  it("says so in the text and gives report.generatedTime null in --json, with the verdict of the report", async () => {
    // Prepare
    const path = file("raw.csv", quiet);
    // Act
    const text = await runCli(["evaluate", "--report", path, "--now", NOW]);
    const json = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    // Assess
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /Report {8}raw CSV from .*raw\.csv: it carries no generation time, so its age is unknown \(the AWS CLI's output carries it\)/,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      complianceType: "COMPLIANT",
      report: {
        source: "file",
        format: "csv",
        generatedTime: null,
        ageSeconds: null,
        inFuture: false,
        tooOld: null,
      },
    });
  });
});

describe("times after the evaluation time", () => {
  it("show a report generated after it as 'in the future', and --json says inFuture beside the negative age", async () => {
    // Prepare: generated 90 minutes after --now.
    const path = answer("future", quiet, "2026-11-29T13:30:00+00:00");
    // Act
    const text = await runCli(["evaluate", "--report", path, "--now", NOW]);
    const json = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    // Assess
    expect(text.stdout).toMatch(
      /Report {8}generated 2026-11-29T13:30:00Z, in the future \(1 hour 30 minutes after the evaluation time\)/,
    );
    expect(text.stdout).not.toMatch(/\b0 min|ago\)?, in the future/);
    expect(JSON.parse(json.stdout).report).toEqual({
      source: "file",
      format: "aws-cli-json",
      generatedTime: "2026-11-29T13:30:00.000Z",
      ageSeconds: -5400,
      inFuture: true,
      tooOld: false,
    });
  });

  it("show a use after it as in the future, counted as use now", async () => {
    // Prepare
    const path = file(
      "future-use.csv",
      buildReport({ rows: [rootRow({ password_last_used: "2026-11-29T12:00:30+00:00" })] }),
    );
    // Act
    const text = await runCli(["evaluate", "--report", path, "--now", NOW]);
    const json = await runCli(["evaluate", "--report", path, "--now", NOW, "--json"]);
    // Assess
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/Password {6}2026-11-29T12:00:30Z {2}\(in the future: counts as use now\)/);
    expect(text.stdout).not.toMatch(/\b0 min/);
    expect(JSON.parse(json.stdout)).toMatchObject({
      reason: "used-in-future",
      lastUse: { at: "2026-11-29T12:00:30.000Z", inFuture: true },
    });
  });
});

describe("evaluate --live and a report older than --max-report-age", () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ now: () => new Date(NOW) });
  });
  afterAll(async () => {
    await aws?.close();
  });
  beforeEach(() => aws.reset());

  it("is NON_COMPLIANT Cannot verify with IAM's own report when IAM cannot make a newer one yet", async () => {
    // Prepare: IAM's report is 2 hours old (younger than 4 hours, so IAM serves it as is).
    aws.setReport(quiet, { generatedTime: new Date("2026-11-29T10:00:00Z") });
    // Act
    const result = await runCli(["evaluate", "--live", "--now", NOW, "--max-report-age", "90m"], {
      env: aws.env,
    });
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /Cannot verify root user activity: the report was generated 2026-11-29T10:00:00Z/,
    );
    expect(result.stdout).toMatch(
      /Report {8}generated 2026-11-29T10:00:00Z \(2 hours ago\), older than --max-report-age 90m; fetched from IAM/,
    );
    expect(result.stdout).toContain("a newer one can be generated from 2026-11-29T14:00:00Z");
  });
});

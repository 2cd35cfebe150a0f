// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected values are Terraform expressions, "${...}" is meant literally.
/**
 * The control map docs/controls.yaml: it is well-formed, names the controls issue 15 asks for,
 * agrees with the rule, the template and the Terraform modules, and the evidence section of docs/compliance.md
 * section is exactly what it renders (so the two never disagree).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRuleParameters } from "../rule/params.ts";
import { parseCloudFormation } from "./support/cfn.ts";
import { EVIDENCE_BEGIN, EVIDENCE_END, parseControlMap, renderEvidenceSection } from "./support/controls.ts";
import { loadModule, unwrap } from "./support/hcl.ts";

const map = parseControlMap(await readFile(join("docs", "controls.yaml"), "utf8"));
const compliance = await readFile("docs/compliance.md", "utf8");
const template = parseCloudFormation(
  await readFile(join("terraform", "conformance-packs", "root-activity.yaml"), "utf8"),
);
const root = await loadModule("terraform");
const organization = await loadModule(join("terraform", "modules", "organization"));

const controlsOf = (framework: string, id: string): string[] =>
  map.controls
    .filter((control) => control.framework === framework && control.id === id)
    .flatMap((control) => control.versions);

describe("docs/controls.yaml", () => {
  it("maps the rule to CIS AWS Foundations root-use controls of every version issue 15 names", () => {
    const cis = "CIS AWS Foundations Benchmark";
    expect(controlsOf(cis, "1.1")).toEqual(["1.2.0"]);
    expect(controlsOf(cis, "1.7")).toEqual(["1.3.0", "1.4.0", "1.5.0", "2.0.0", "3.0.0", "4.0.1"]);
    expect(controlsOf(cis, "2.6")).toEqual(["6.0.0"]);
    expect(controlsOf(cis, "2.7")).toEqual(["7.0.0"]);
  });

  it("maps the 'no root access key' controls only with failOnActiveAccessKeys=true, and says what is left out", () => {
    const keyControls = map.controls.filter((control) => /access key/i.test(control.title));
    expect(keyControls.map((control) => control.id).sort()).toEqual(["1.12", "1.4", "2.4", "IAM.4"]);
    for (const control of keyControls) {
      expect(control.requires, control.id).toEqual({ failOnActiveAccessKeys: "true" });
      expect(control.coverage, control.id).toBe("partial");
      expect(control.gap, control.id).toMatch(/inactive/);
    }
    // Controls without `requires` hold with the rule's defaults.
    for (const control of map.controls.filter((c) => Object.keys(c.requires).length === 0)) {
      expect(control.title, control.id).not.toMatch(/access key/i);
    }
  });

  it("maps Well-Architected SEC01-BP02 and Foundational Security Best Practices IAM.4, each with a version", () => {
    expect(controlsOf("AWS Well-Architected Framework, Security Pillar", "SEC01-BP02")).toEqual([
      "2024-06-27",
    ]);
    expect(controlsOf("AWS Foundational Security Best Practices (AWS Security Hub)", "IAM.4")).toEqual([
      "1.0.0",
    ]);
    for (const control of map.controls) expect(control.source.length, control.id).toBeGreaterThan(10);
  });

  it("requires only rule parameters the template passes, with values the evaluator accepts", () => {
    const inputs = Object.keys(
      (template.Resources as Record<string, { Properties: { InputParameters: object } }>).RootActivity
        ?.Properties.InputParameters ?? {},
    );
    for (const control of map.controls) {
      for (const [name, value] of Object.entries(control.requires)) {
        expect(inputs, control.id).toContain(name);
        expect(() => parseRuleParameters({ [name]: value }), `${name}=${value}`).not.toThrow();
      }
    }
  });

  it("describes the rule the template and the modules deploy", () => {
    const resources = template.Resources as Record<string, { Properties: Record<string, unknown> }>;
    expect(map.rule.name).toBe(resources.RootActivity?.Properties.ConfigRuleName);
    expect(map.rule.name).toBe(root.variables.name?.default);
    expect(map.rule.name).toBe(organization.variables.name?.default);
    expect(String(resources.RootActivity?.Properties.Description)).toContain(`(${map.rule.resourceType})`);
  });

  it("gives the Audit Manager keywords the modules output for their default name", () => {
    const name = String(root.variables.name?.default);
    expect(map.auditManager.keywords.map((keyword) => keyword.keywordValue)).toEqual([
      `Custom_${name}`,
      `Custom_OrgConfigRule-${name}`,
      `Custom_${name}-conformance-pack`,
    ]);
    expect(unwrap(root.outputs.audit_manager_keywords?.value)).toContain('"Custom_${local.rule_name}"');
    expect(unwrap(organization.outputs.audit_manager_keywords?.value)).toContain(
      '"Custom_OrgConfigRule-${local.rule_name}"',
    );
  });

  it("keywords fit Audit Manager's keywordValue (1-100 characters of [a-zA-Z_0-9-\\s().]) for the longest module names", () => {
    // botocore's auditmanager model: KeywordValue max 100, pattern ^[a-zA-Z_0-9-\s().]+$.
    const keywordValue = /^[a-zA-Z_0-9-\s().]+$/;
    for (const keyword of [
      `Custom_${"a".repeat(48)}`,
      `Custom_${"a".repeat(48)}-conformance-pack`,
      `Custom_OrgConfigRule-${"a".repeat(46)}`,
      `Custom_${"a".repeat(46)}-conformance-pack`,
      ...map.auditManager.keywords.map((entry) => entry.keywordValue),
    ]) {
      expect(keyword.length, keyword).toBeLessThanOrEqual(100);
      expect(keywordValue.test(keyword), keyword).toBe(true);
    }
  });

  it("refuses a malformed map, naming the entry", () => {
    const valid = {
      rule: { name: "r", resourceType: "AWS::::Account", trigger: "periodic", dataSource: "report" },
      controls: [{ framework: "F", version: "1", id: "1", title: "T", coverage: "partial", source: "S" }],
      notCovered: [],
      auditManager: { keywords: [] },
    };
    expect(() => parseControlMap(JSON.stringify(valid))).toThrow(
      "controls[0]: a partial control needs a gap",
    );
    expect(() =>
      parseControlMap(JSON.stringify({ ...valid, controls: [{ ...valid.controls[0], coverage: "most" }] })),
    ).toThrow("controls[0]: coverage must be full or partial");
  });
});

describe("docs/compliance.md evidence section", () => {
  it("is the section rendered from docs/controls.yaml", () => {
    const expected = renderEvidenceSection(map);
    const start = compliance.indexOf(EVIDENCE_BEGIN);
    const end = compliance.indexOf(EVIDENCE_END);
    expect(start, "docs/compliance.md lacks the BEGIN controls marker").toBeGreaterThanOrEqual(0);
    expect(end, "docs/compliance.md lacks the END controls marker").toBeGreaterThan(start);
    const actual = compliance.slice(start + EVIDENCE_BEGIN.length, end).trim();
    expect(actual, `docs/compliance.md between the markers should be:\n\n${expected}\n`).toBe(expected);
  });
});

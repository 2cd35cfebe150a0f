/**
 * The control map docs/controls.yaml, validated, and the section of docs/compliance.md rendered from it.
 *
 * docs/compliance.md holds the rendered section between BEGIN and END markers; test/controls.test.ts
 * fails when it differs and prints the section to paste.
 *
 * @example
 * ```ts
 * const map = parseControlMap(await readFile("docs/controls.yaml", "utf8"));
 * renderEvidenceSection(map); // "| Framework | Version | Control | ..."
 * ```
 */
import { parse } from "yaml";

export interface Control {
  framework: string;
  versions: string[];
  id: string;
  title: string;
  coverage: "full" | "partial";
  requires: Record<string, string>;
  gap: string | undefined;
  source: string;
}

export interface ControlMap {
  rule: { name: string; resourceType: string; trigger: string; dataSource: string };
  controls: Control[];
  notCovered: { framework: string; id: string; reason: string }[];
  auditManager: { keywords: { deployment: string; keywordValue: string }[] };
}

export const EVIDENCE_BEGIN =
  "<!-- BEGIN controls: generated from docs/controls.yaml (test/support/controls.ts); test/controls.test.ts checks it -->";
export const EVIDENCE_END = "<!-- END controls -->";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function text(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== "string" || value.trim() === "")
    throw new Error(`${where}: ${key} must be a non-empty string`);
  return value;
}

function list(record: Record<string, unknown>, key: string, where: string): Record<string, unknown>[] {
  const value = record[key];
  if (!Array.isArray(value) || !value.every(isRecord))
    throw new Error(`${where}: ${key} must be a list of mappings`);
  return value;
}

/** Parses and validates the control map; anything missing or of the wrong type throws, naming where. */
export function parseControlMap(source: string): ControlMap {
  // YAML 1.2 core schema: 2024-06-27 stays a string, 1.2.0 too.
  const raw: unknown = parse(source, { schema: "core" });
  if (!isRecord(raw) || !isRecord(raw.rule) || !isRecord(raw.auditManager)) {
    throw new Error("controls.yaml: rule, controls, notCovered and auditManager are required");
  }
  const rule = raw.rule;
  const controls = list(raw, "controls", "controls.yaml").map((entry, index): Control => {
    const where = `controls[${index}]`;
    const versions = entry.versions ?? (entry.version === undefined ? undefined : [entry.version]);
    if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => typeof v === "string")) {
      throw new Error(`${where}: version or versions (strings) required`);
    }
    const coverage = entry.coverage;
    if (coverage !== "full" && coverage !== "partial")
      throw new Error(`${where}: coverage must be full or partial`);
    const requires = entry.requires ?? {};
    if (!isRecord(requires) || !Object.values(requires).every((v) => typeof v === "string")) {
      throw new Error(`${where}: requires must map rule parameters to string values`);
    }
    const gap = entry.gap === undefined ? undefined : text(entry, "gap", where);
    if (coverage === "partial" && gap === undefined)
      throw new Error(`${where}: a partial control needs a gap`);
    return {
      framework: text(entry, "framework", where),
      versions: versions as string[],
      id: text(entry, "id", where),
      title: text(entry, "title", where),
      coverage,
      requires: requires as Record<string, string>,
      gap,
      source: text(entry, "source", where),
    };
  });
  const notCovered = list(raw, "notCovered", "controls.yaml").map((entry, index) => ({
    framework: text(entry, "framework", `notCovered[${index}]`),
    id: text(entry, "id", `notCovered[${index}]`),
    reason: text(entry, "reason", `notCovered[${index}]`),
  }));
  const keywords = list(raw.auditManager, "keywords", "auditManager").map((entry, index) => ({
    deployment: text(entry, "deployment", `auditManager.keywords[${index}]`),
    keywordValue: text(entry, "keywordValue", `auditManager.keywords[${index}]`),
  }));
  return {
    rule: {
      name: text(rule, "name", "rule"),
      resourceType: text(rule, "resourceType", "rule"),
      trigger: text(rule, "trigger", "rule"),
      dataSource: text(rule, "dataSource", "rule"),
    },
    controls,
    notCovered,
    auditManager: { keywords },
  };
}

const cell = (value: string): string => value.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The evidence section of docs/compliance.md (without the markers) for a control map. */
export function renderEvidenceSection(map: ControlMap): string {
  const rows = map.controls.map((control) => {
    const requires = Object.entries(control.requires)
      .map(([name, value]) => `\`${name}=${value}\``)
      .join(", ");
    const coverage = [
      control.coverage,
      requires === "" ? "" : ` (with ${requires})`,
      control.gap === undefined ? "" : `: ${control.gap}`,
    ].join("");
    return `| ${cell(control.framework)} | ${control.versions.join(", ")} | ${cell(control.id)} | ${cell(control.title)} | ${cell(coverage)} |`;
  });
  return [
    `Rule \`${map.rule.name}\`, resource type \`${map.rule.resourceType}\`, ${map.rule.trigger}; data: ${map.rule.dataSource}.`,
    "",
    "| Framework | Version | Control | Title | Coverage |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    "Not evidenced by this rule:",
    "",
    ...map.notCovered.map((entry) => `- ${entry.framework} ${entry.id}: ${entry.reason}`),
    "",
    "AWS Audit Manager keywords (data source type AWS Config rule):",
    "",
    "| Deployment | keywordValue |",
    "|---|---|",
    ...map.auditManager.keywords.map((entry) => `| ${cell(entry.deployment)} | \`${entry.keywordValue}\` |`),
  ].join("\n");
}

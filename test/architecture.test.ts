/**
 * The shape of rule/ that keeps it easy to hold in one's head: every import, static, dynamic or type-only, as
 * TypeScript's own pre-processor reads it (`ts.preProcessFile`). Rules: no import circles; the pure decision
 * (`evaluate.ts`) is called from one place, the one evaluation path (`evaluate-account.ts`), which the Lambda
 * handler and every CLI surface go through; `aws/` only builds clients, assumes roles and posts, and imports
 * nothing of the credential report's or CloudTrail's reading but the pacing of CloudTrail's requests.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles } from "./support/source-files.ts";

/** file -> the rule/ files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles("rule")) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    graph.set(
      file,
      importedFiles
        .map((imported) => imported.fileName)
        .filter((name) => name.startsWith("."))
        .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name))),
    );
  }
  return graph;
}

/** Every cycle of the graph, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "visiting") {
      found.push([...path.slice(path.indexOf(file)), file]);
      return;
    }
    state.set(file, "visiting");
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

describe("rule/ imports", () => {
  it("form no circle, type-only and dynamic imports included", () => {
    // Act
    const graph = importGraph();
    // Assess
    expect(graph.size).toBeGreaterThan(30);
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a circle when there is one (the checker itself)", () => {
    // Prepare
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    // Act / Assess
    expect(cycles(graph)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("give the pure decision one caller: the one evaluation path", () => {
    // Act
    const importers = [...importGraph()]
      .filter(([, imports]) => imports.includes("rule/evaluate.ts"))
      .map(([file]) => file);
    // Assess
    expect(importers).toEqual(["rule/evaluate-account.ts"]);
  });

  it("lead every surface (the Lambda, evaluate --report/--live, the organization scan) through that path", () => {
    // Act
    const graph = importGraph();
    // Assess
    for (const surface of ["rule/handler.ts", "rule/cli/run.ts", "rule/cli/organization/scan.ts"]) {
      expect(graph.get(surface), surface).toContain("rule/evaluate-account.ts");
      expect(graph.get(surface), surface).not.toContain("rule/evidence/gather.ts");
    }
  });

  it("keep aws/ to building clients, assuming roles and posting", () => {
    // Act
    const reaching = [...importGraph()]
      .filter(([file]) => file.startsWith("rule/aws/"))
      .flatMap(([file, imports]) => imports.map((target) => [file, target] as const))
      .filter(([, target]) => !target.startsWith("rule/aws/"));
    // Assess
    expect(reaching).toEqual([
      ["rule/aws/put-evaluation.ts", "rule/errors.ts"],
      ["rule/aws/put-evaluation.ts", "rule/event.ts"],
      ["rule/aws/sts.ts", "rule/errors.ts"],
      ["rule/aws/trail-clients.ts", "rule/cloudtrail/pacer.ts"],
    ]);
  });
});

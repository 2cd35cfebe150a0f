/**
 * Loads Terraform configuration with the real HCL parser (@cdktf/hcl2json, HashiCorp's HCL
 * library compiled to WebAssembly) so tests can assert on a module without a terraform binary.
 *
 * hcl2json's JSON follows Terraform's JSON syntax: blocks become arrays of objects keyed by their
 * labels (`resource.<type>.<name>[0]`), expressions become strings wrapped in `${...}`, and
 * literal values stay literal (`default = 30` is `30`, `default = null` is `null`).
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse } from "@cdktf/hcl2json";

export type Block = Record<string, unknown>;

export interface TerraformFile {
  /** Path relative to the folder that was loaded. */
  path: string;
  source: string;
  json: Record<string, unknown>;
}

export interface TerraformModule {
  dir: string;
  files: TerraformFile[];
  terraform: Block[];
  providers: Record<string, Block[]>;
  variables: Record<string, Block>;
  outputs: Record<string, Block>;
  locals: Record<string, unknown>;
  modules: Record<string, Block>;
  /** `resources[type][name]` */
  resources: Record<string, Record<string, Block>>;
  /** `data[type][name]` */
  data: Record<string, Record<string, Block>>;
}

const SKIPPED_FOLDERS = new Set([".terraform", "node_modules", ".git"]);

/** Every `.tf` file under `dir` (recursively unless `recursive` is false), sorted, relative to `dir`. */
export async function findTerraformFiles(dir: string, recursive = true): Promise<string[]> {
  const found: string[] = [];
  async function walk(folder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (recursive && !SKIPPED_FOLDERS.has(entry.name)) await walk(path);
      } else if (entry.name.endsWith(".tf")) {
        found.push(relative(dir, path));
      }
    }
  }
  await walk(dir);
  return found.sort();
}

/** Reads and parses every `.tf` file under `dir`; a file that does not parse rejects. */
export async function loadTerraformFiles(dir: string, recursive = true): Promise<TerraformFile[]> {
  const paths = await findTerraformFiles(dir, recursive);
  return Promise.all(
    paths.map(async (path) => {
      const source = await readFile(join(dir, path), "utf8");
      const json = (await parse(path, source)) as Record<string, unknown>;
      return { path, source, json };
    }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asBlocks(value: unknown, where: string): Block[] {
  if (!Array.isArray(value) || !value.every(isRecord)) throw new Error(`${where}: expected a list of blocks`);
  return value;
}

/** Adds `label -> block` to `into`, refusing duplicates as Terraform does. */
function addUnique(into: Record<string, Block>, label: string, value: unknown, where: string): void {
  const blocks = asBlocks(value, where);
  if (blocks.length !== 1 || label in into) throw new Error(`${where}: declared more than once`);
  into[label] = blocks[0] as Block;
}

/**
 * Loads the module in `dir` the way Terraform does: the `.tf` files of that folder only (not of
 * sub-folders such as examples/), merged into one configuration. Duplicate declarations throw.
 */
export async function loadModule(dir: string): Promise<TerraformModule> {
  const files = await loadTerraformFiles(dir, false);
  const module: TerraformModule = {
    dir,
    files,
    terraform: [],
    providers: {},
    variables: {},
    outputs: {},
    locals: {},
    modules: {},
    resources: {},
    data: {},
  };
  for (const file of files) {
    for (const [kind, content] of Object.entries(file.json)) {
      const where = `${file.path}: ${kind}`;
      switch (kind) {
        case "terraform":
          module.terraform.push(...asBlocks(content, where));
          break;
        case "locals":
          for (const block of asBlocks(content, where)) {
            for (const [name, value] of Object.entries(block)) {
              if (name in module.locals) throw new Error(`${where}.${name}: declared more than once`);
              module.locals[name] = value;
            }
          }
          break;
        case "provider":
          for (const [name, blocks] of Object.entries(content as Record<string, unknown>)) {
            module.providers[name] = [...(module.providers[name] ?? []), ...asBlocks(blocks, where)];
          }
          break;
        case "variable":
        case "output":
        case "module": {
          const into = { variable: module.variables, output: module.outputs, module: module.modules }[kind];
          for (const [name, blocks] of Object.entries(content as Record<string, unknown>)) {
            addUnique(into, name, blocks, `${where}.${name}`);
          }
          break;
        }
        case "resource":
        case "data": {
          const into = kind === "resource" ? module.resources : module.data;
          for (const [type, byName] of Object.entries(content as Record<string, unknown>)) {
            const byType = into[type] ?? {};
            into[type] = byType;
            for (const [name, blocks] of Object.entries(byName as Record<string, unknown>)) {
              addUnique(byType, name, blocks, `${where}.${type}.${name}`);
            }
          }
          break;
        }
        default:
          throw new Error(`${where}: unexpected top-level block`);
      }
    }
  }
  return module;
}

/** `"${var.x}"` -> `"var.x"`; a string that is not one whole interpolation is returned unchanged. */
export function unwrap(expression: unknown): string {
  if (typeof expression !== "string") return JSON.stringify(expression);
  const match = /^\$\{([\s\S]*)\}$/.exec(expression);
  return match?.[1] ?? expression;
}

/** The single nested block `name` of `block` (hcl2json turns every nested block into a list). */
export function nested(block: Block, name: string): Block {
  const blocks = nestedAll(block, name);
  if (blocks.length !== 1) throw new Error(`expected exactly one ${name} block, found ${blocks.length}`);
  return blocks[0] as Block;
}

/** Every nested block `name` of `block`, possibly none. */
export function nestedAll(block: Block, name: string): Block[] {
  const value = block[name];
  if (value === undefined) return [];
  return asBlocks(value, name);
}

/** The validation conditions of a variable, without their `${...}` wrapper. */
export function validationConditions(variable: Block): string[] {
  return nestedAll(variable, "validation").map((validation) => unwrap(validation.condition));
}

/** The list literal of `contains([...], var.<name>)` in a condition, or undefined. */
export function containsList(condition: string, variableName: string): unknown[] | undefined {
  const match = new RegExp(`contains\\((\\[[^\\]]*\\]),\\s*var\\.${variableName}\\)`).exec(condition);
  return match?.[1] === undefined ? undefined : (JSON.parse(match[1]) as unknown[]);
}

/**
 * The pattern of `can(regex("<pattern>", var.<name>))` in a condition, as a JavaScript RegExp.
 * The patterns used here are in the common subset of RE2 (Terraform) and JavaScript.
 */
export function regexPattern(condition: string, variableName: string): RegExp | undefined {
  const match = new RegExp(`regex\\(("(?:[^"\\\\]|\\\\.)*"),\\s*var\\.${variableName}\\)`).exec(condition);
  return match?.[1] === undefined ? undefined : new RegExp(JSON.parse(match[1]) as string);
}

/**
 * Evaluates a numeric validation condition of variable `variableName` for `value`.
 * Supports what these conditions use: comparisons, `&&`, `||`, `!`, `floor()`, `null`, `true`,
 * `false`, number literals and `cond ? a : b`, which mean the same in HCL and JavaScript for
 * numbers. Anything else throws rather than being guessed.
 */
export function evaluateNumericCondition(
  condition: string,
  variableName: string,
  value: number | null,
): boolean {
  const expression = condition.replaceAll(`var.${variableName}`, "x").replace(/\bfloor\(/g, "Math.floor(");
  const leftover = expression.replace(/Math\.floor|\bnull\b|\btrue\b|\bfalse\b|\bx\b/g, "");
  if (!/^[\s\d.<>=!&|()?:+\-*/]*$/.test(leftover)) {
    throw new Error(`cannot evaluate condition: ${condition}`);
  }
  // The expression is made only of the tokens checked above.
  const evaluate = new Function("x", `"use strict"; return (${expression});`) as (
    x: number | null,
  ) => unknown;
  const result = evaluate(value);
  if (typeof result !== "boolean") throw new Error(`condition did not give a bool: ${condition}`);
  return result;
}

/** The references (`aws_iam_role.lambda`, `var.name`, `data.x.y`, `local.z`) in an expression. */
export function references(expression: unknown): string[] {
  const text = typeof expression === "string" ? expression : JSON.stringify(expression ?? null);
  const found = text.match(
    /\b(?:data\.[a-z0-9_]+\.[a-z0-9_]+|(?:var|local|module)\.[a-z0-9_]+|aws_[a-z0-9_]+\.[a-z0-9_]+)/g,
  );
  return [...new Set(found ?? [])];
}

/** A terraform-docs style rendering of a variable's type: `"${list(string)}"` -> `list(string)`. */
export function renderType(variable: Block): string {
  return unwrap(variable.type);
}

/** A terraform-docs style rendering of a variable's default value. */
export function renderDefault(variable: Block): string {
  if (!("default" in variable)) return "n/a";
  const value = variable.default;
  if (Array.isArray(value) && value.length > 0) {
    return `<pre>[<br/>${value.map((item) => `  ${JSON.stringify(item)}`).join(",<br/>")}<br/>]</pre>`;
  }
  return `\`${JSON.stringify(value)}\``;
}

const cell = (text: unknown): string => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const anchor = (kind: string, name: string): string =>
  `<a name="${kind}_${name}"></a> [${name}](#${kind}\\_${name.replaceAll("_", "\\_")})`;
const byName = ([a]: [string, ...unknown[]], [b]: [string, ...unknown[]]): number =>
  a < b ? -1 : a > b ? 1 : 0;

/** The Resources table terraform-docs writes for a module (resources and data sources, sorted). */
export function renderResourcesTable(module: TerraformModule): string {
  const rows: [string, string][] = [];
  for (const [kind, blocks, docs] of [
    ["resource", module.resources, "resources"],
    ["data source", module.data, "data-sources"],
  ] as const) {
    for (const [type, named] of Object.entries(blocks)) {
      const page = `https://registry.terraform.io/providers/hashicorp/aws/latest/docs/${docs}/${type.replace(/^aws_/, "")}`;
      for (const name of Object.keys(named)) {
        rows.push([`${type}.${name}`, `| [${type}.${name}](${page}) | ${kind} |`]);
      }
    }
  }
  return ["| Name | Type |", "|------|------|", ...rows.sort(byName).map(([, row]) => row)].join("\n");
}

/** The Inputs table terraform-docs writes for a module's variables. */
export function renderInputsTable(module: TerraformModule): string {
  const rows = Object.entries(module.variables)
    .sort(byName)
    .map(
      ([name, variable]) =>
        `| ${anchor("input", name)} | ${cell(variable.description)} | \`${renderType(variable)}\` | ${renderDefault(variable)} | ${"default" in variable ? "no" : "yes"} |`,
    );
  return [
    "| Name | Description | Type | Default | Required |",
    "|------|-------------|------|---------|:--------:|",
    ...rows,
  ].join("\n");
}

/** The Outputs table terraform-docs writes for a module's outputs. */
export function renderOutputsTable(module: TerraformModule): string {
  const rows = Object.entries(module.outputs)
    .sort(byName)
    .map(([name, output]) => `| ${anchor("output", name)} | ${cell(output.description)} |`);
  return ["| Name | Description |", "|------|-------------|", ...rows].join("\n");
}

/** One statement of an `aws_iam_policy_document`, as hcl2json gives it. */
export interface PolicyStatement {
  sid?: string;
  effect?: string;
  actions?: string[];
  not_actions?: string[];
  resources?: string[];
  not_resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  not_principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** The statements of a policy document block, including those of `dynamic "statement"` blocks. */
export function policyStatements(document: Block): PolicyStatement[] {
  const direct = nestedAll(document, "statement") as PolicyStatement[];
  const dynamic = nestedAll(document, "dynamic").flatMap((block) =>
    nestedAll(block, "statement").flatMap((statement) => nestedAll(statement, "content")),
  ) as PolicyStatement[];
  return [...direct, ...dynamic];
}

/**
 * The `aws_iam_policy_document` data block an expression such as
 * `"${data.aws_iam_policy_document.x.json}"` or `"${jsondecode(data.aws_iam_policy_document.x[0].json)}"`
 * refers to; anything else throws, because only those documents can be checked.
 */
export function policyDocumentOf(module: TerraformModule, expression: unknown): Block {
  const match = /^(?:jsondecode\()?data\.aws_iam_policy_document\.([a-z0-9_]+)(?:\[0\])?\.json\)?$/.exec(
    unwrap(expression),
  );
  const block = match?.[1] === undefined ? undefined : module.data.aws_iam_policy_document?.[match[1]];
  if (block === undefined) {
    throw new Error(`policy ${String(expression)} is not an aws_iam_policy_document of the module`);
  }
  return block;
}

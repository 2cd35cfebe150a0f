/**
 * Loads Terraform configuration with the real HCL parser (@cdktf/hcl2json, HashiCorp's HCL
 * library compiled to WebAssembly) so tests can assert on a module without a terraform binary.
 *
 * hcl2json's JSON follows Terraform's JSON syntax: blocks become arrays of objects keyed by their
 * labels (`resource.<type>.<name>[0]`), expressions become strings wrapped in `${...}`, and
 * literal values stay literal (`default = 30` is `30`, `default = null` is `null`).
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@cdktf/hcl2json";
import { referencedObjects, wholeInterpolation } from "./hcl-expression.ts";

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
  /** The `moved` blocks, their addresses without the `${...}` wrapper. */
  moved: MovedBlock[];
}

export interface MovedBlock {
  from: string;
  to: string;
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

/** Where parsed files are kept, by the parser's version, the file's path and its text. */
const PARSE_CACHE = fileURLToPath(new URL("../../node_modules/.cache/hcl2json/", import.meta.url));
const PARSER_VERSION = (createRequire(import.meta.url)("@cdktf/hcl2json/package.json") as { version: string })
  .version;

/**
 * hcl2json's JSON of `source`, from the cache when this parser version parsed the same path and text before:
 * starting the WebAssembly parser costs seconds, once per test file's process. A file that does not parse is not
 * cached, so it rejects every time.
 */
async function parseCached(path: string, source: string): Promise<Record<string, unknown>> {
  const key = createHash("sha256").update(`${PARSER_VERSION}\0${path}\0${source}`).digest("hex");
  const cached = join(PARSE_CACHE, `${key}.json`);
  try {
    return JSON.parse(await readFile(cached, "utf8")) as Record<string, unknown>;
  } catch {
    const json = (await parse(path, source)) as Record<string, unknown>;
    // Written aside, then renamed: test files in other processes read a whole file or none. A cache that cannot be
    // written only costs time.
    const written = `${cached}.${process.pid}.tmp`;
    await mkdir(PARSE_CACHE, { recursive: true })
      .then(() => writeFile(written, JSON.stringify(json)))
      .then(() => rename(written, cached))
      .catch(() => undefined);
    return json;
  }
}

/** Reads and parses every `.tf` file under `dir`; a file that does not parse rejects. */
export async function loadTerraformFiles(dir: string, recursive = true): Promise<TerraformFile[]> {
  const paths = await findTerraformFiles(dir, recursive);
  return Promise.all(
    paths.map(async (path) => {
      const source = await readFile(join(dir, path), "utf8");
      return { path, source, json: await parseCached(path, source) };
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
    moved: [],
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
        case "moved":
          for (const block of asBlocks(content, where)) {
            const { from, to } = block;
            if (typeof from !== "string" || typeof to !== "string" || Object.keys(block).length !== 2) {
              throw new Error(`${where}: a moved block has exactly a from and a to address`);
            }
            module.moved.push({ from: unwrap(from), to: unwrap(to) });
          }
          break;
        default:
          throw new Error(`${where}: unexpected top-level block`);
      }
    }
  }
  return module;
}

/**
 * `"${var.x}"` -> `"var.x"`; a string that is not one whole interpolation (`"${a}-${b}"`, `"arn:${x}"`) is
 * returned unchanged, a value that is not a string as JSON.
 */
export function unwrap(expression: unknown): string {
  if (typeof expression !== "string") return JSON.stringify(expression);
  return wholeInterpolation(expression) ?? expression;
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

/** A terraform-docs style rendering of a variable's type: `"${list(string)}"` -> `list(string)`. */
function renderType(variable: Block): string {
  return unwrap(variable.type);
}

/** A terraform-docs style rendering of a variable's default value. */
function renderDefault(variable: Block): string {
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
function renderResourcesTable(module: TerraformModule): string {
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
  if (rows.length === 0) return "No resources.";
  return ["| Name | Type |", "|------|------|", ...rows.sort(byName).map(([, row]) => row)].join("\n");
}

/** The Inputs table terraform-docs writes for a module's variables. */
function renderInputsTable(module: TerraformModule): string {
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
function renderOutputsTable(module: TerraformModule): string {
  const rows = Object.entries(module.outputs)
    .sort(byName)
    .map(([name, output]) => `| ${anchor("output", name)} | ${cell(output.description)} |`);
  return ["| Name | Description |", "|------|-------------|", ...rows].join("\n");
}

/** Lookups into the declarations of `module` that throw when one is missing, so a typo cannot pass as undefined. */
export function declarations(module: TerraformModule): {
  resource(type: string, name: string): Block;
  data(type: string, name: string): Block;
  variable(name: string): Block;
  call(name: string): Block;
} {
  const found = (block: Block | undefined, what: string): Block => {
    if (block === undefined) throw new Error(`${what} is not declared in ${module.dir}`);
    return block;
  };
  return {
    resource: (type, name) => found(module.resources[type]?.[name], `resource ${type}.${name}`),
    data: (type, name) => found(module.data[type]?.[name], `data ${type}.${name}`),
    variable: (name) => found(module.variables[name], `variable ${name}`),
    call: (name) => found(module.modules[name], `module ${name}`),
  };
}

/** The `depends_on` references of a block, unwrapped. */
export function dependsOn(block: Block): string[] {
  const list = block.depends_on;
  return Array.isArray(list) ? list.map(unwrap) : [];
}

// ---------------------------------------------------------------------------------------------
// What tflint and a reviewer check on any module
// ---------------------------------------------------------------------------------------------

/**
 * Variables, locals and data sources nothing outside variables.tf refers to (tflint terraform_unused_declarations).
 * References are those of the parsed expressions (references()), so neither a comment nor a description that names
 * a declaration is a use.
 */
export function unusedDeclarations(module: TerraformModule): string[] {
  const used = new Set(
    module.files
      .filter((file) => file.path !== "variables.tf")
      .flatMap((file) => referencedObjects(file.json)),
  );
  return [
    ...Object.keys(module.variables).map((name) => `var.${name}`),
    ...Object.keys(module.locals).map((name) => `local.${name}`),
    ...Object.entries(module.data).flatMap(([type, named]) =>
      Object.keys(named).map((name) => `data.${type}.${name}`),
    ),
  ].filter((reference) => !used.has(reference));
}

/** Files (other than variables.tf, whose validations show ARN patterns) with a hard-coded partition or account ID. */
export function hardCodedArnProblems(module: TerraformModule): string[] {
  return module.files
    .filter((file) => file.path !== "variables.tf")
    .flatMap((file) => {
      const json = JSON.stringify(file.json);
      return [
        ...(/arn:aws[:-]/.test(json) ? [`${file.path}: hard-coded partition in an ARN`] : []),
        ...(/\b\d{12}\b/.test(json) ? [`${file.path}: hard-coded account ID`] : []),
      ];
    });
}

/** Variables without a description of some length or without a type. */
export function undocumentedVariables(module: TerraformModule): string[] {
  return Object.entries(module.variables)
    .filter(
      ([, block]) =>
        !(typeof block.description === "string" && block.description.length > 10) ||
        typeof block.type !== "string" ||
        !/^\$\{.+\}$/s.test(block.type),
    )
    .map(([name]) => name);
}

/** Outputs without a description of some length. */
export function undocumentedOutputs(module: TerraformModule): string[] {
  return Object.entries(module.outputs)
    .filter(([, block]) => !(typeof block.description === "string" && block.description.length > 10))
    .map(([name]) => name);
}

/**
 * What a README refers to in the modules: outputs (`terraform output [-raw|-json] <name>`, "the
 * `<name>` output") and addresses in a module call (`module.<call>.<output>`,
 * `module.<call>.<type>.<name>`).
 */
function readmeReferences(readme: string): {
  outputs: string[];
  moduleOutputs: { call: string; output: string }[];
  moduleResources: { call: string; address: string }[];
} {
  const outputs = new Set<string>();
  for (const [, name = ""] of readme.matchAll(/terraform output (?:-raw |-json )?([a-z0-9_]+)/g))
    outputs.add(name);
  for (const [, name = ""] of readme.matchAll(/`([a-z0-9_]+)` output\b/g)) outputs.add(name);
  const moduleOutputs: { call: string; output: string }[] = [];
  const moduleResources: { call: string; address: string }[] = [];
  for (const [, call = "", path = ""] of readme.matchAll(
    /(?<![\w./-])module\.([a-z0-9_]+)\.((?:module\.[a-z0-9_]+\.)*(?:aws_[a-z0-9_]+\.[a-z0-9_]+|[a-z0-9_]+))/g,
  )) {
    if (/^(module\.|aws_)/.test(path)) moduleResources.push({ call, address: path });
    else moduleOutputs.push({ call, output: path });
  }
  return { outputs: [...outputs].sort(), moduleOutputs, moduleResources };
}

/**
 * Whether `address` (`<type>.<name>`, or `module.<call>.` in front of one) is a resource of
 * `module`, following `calls` (module call name -> the called module) into child modules.
 */
function declaresResource(
  module: TerraformModule,
  address: string,
  calls: Record<string, TerraformModule> = {},
): boolean {
  const child = /^module\.([a-z0-9_]+)(\[0\])?\.(.+)$/.exec(address);
  if (child !== null) {
    const [, call = "", index, rest = ""] = child;
    const block = module.modules[call];
    const callee = block === undefined ? undefined : calls[call];
    // `module.<call>[0]` only for a call with count, `module.<call>` only for one without.
    const counted = block !== undefined && "count" in block;
    return callee !== undefined && counted === (index !== undefined) && declaresResource(callee, rest, calls);
  }
  const { base, index } = splitInstance(address);
  const [type = "", name = "", ...more] = base.split(".");
  const block = module.resources[type]?.[name];
  if (more.length !== 0 || block === undefined) return false;
  // `<type>.<name>[0]` names the one instance of a resource with count.
  return index === undefined || "count" in block;
}

/** `aws_x.y[0]` -> base `aws_x.y`, index `0`; an address without an instance key has no index. */
function splitInstance(address: string): { base: string; index: string | undefined } {
  const match = /^(.*)\[([^\]]+)\]$/.exec(address);
  return match === null ? { base: address, index: undefined } : { base: match[1] ?? "", index: match[2] };
}

/**
 * References of a README that point nowhere: outputs not in `outputs`, `module.<call>.<output>`
 * and `module.<call>.<address>` not declared by `callees[call]` (following `calls` into its child
 * modules).
 */
export function readmeReferenceProblems(
  readme: string,
  known: {
    outputs: readonly string[];
    callees: Record<string, TerraformModule>;
    calls?: Record<string, TerraformModule>;
  },
): string[] {
  const { outputs, moduleOutputs, moduleResources } = readmeReferences(readme);
  const problems = outputs.filter((name) => !known.outputs.includes(name)).map((name) => `output ${name}`);
  for (const { call, output } of moduleOutputs) {
    if (!(output in (known.callees[call]?.outputs ?? {}))) problems.push(`module.${call}.${output}`);
  }
  for (const { call, address } of moduleResources) {
    const callee = known.callees[call];
    if (callee === undefined || !declaresResource(callee, address, known.calls)) {
      problems.push(`module.${call}.${address}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// terraform-docs tables
// ---------------------------------------------------------------------------------------------

/** The Modules table terraform-docs writes for a module's calls ("No modules." without any). */
function renderModulesTable(module: TerraformModule): string {
  const rows = Object.entries(module.modules)
    .sort(byName)
    .map(
      ([name, call]) =>
        `| ${anchor("module", name)} | ${cell(call.source)} | ${typeof call.version === "string" ? call.version : "n/a"} |`,
    );
  if (rows.length === 0) return "No modules.";
  return ["| Name | Source | Version |", "|------|--------|---------|", ...rows].join("\n");
}

/** The terraform-docs sections the README of a module must contain, as [heading, table]. */
export function docsTables(module: TerraformModule): [string, string][] {
  return [
    ["Modules", renderModulesTable(module)],
    ["Resources", renderResourcesTable(module)],
    ["Inputs", renderInputsTable(module)],
    ["Outputs", renderOutputsTable(module)],
  ];
}

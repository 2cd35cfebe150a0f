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
import {
  evaluateExpression,
  moduleScope,
  referencedObjects,
  references,
  TerraformError,
  UnsupportedExpression,
  type Value,
  wholeInterpolation,
} from "./hcl-expression.ts";

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
  if (rows.length === 0) return "No resources.";
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

/**
 * The `dynamic "<name>"` blocks of `block`. hcl2json writes them as an object keyed by the block
 * name (`dynamic: { statement: [ { for_each, content: [...] } ] }`).
 */
export function dynamicBlocks(block: Block, name: string): Block[] {
  const dynamic = block.dynamic;
  if (dynamic === undefined) return [];
  if (!isRecord(dynamic)) throw new Error(`dynamic: expected an object keyed by block name`);
  return nestedAll(dynamic, name);
}

/** The statements of a policy document block, including those of `dynamic "statement"` blocks. */
export function policyStatements(document: Block): PolicyStatement[] {
  const direct = nestedAll(document, "statement") as PolicyStatement[];
  const dynamic = dynamicBlocks(document, "statement").flatMap((block) =>
    nestedAll(block, "content"),
  ) as PolicyStatement[];
  return [...direct, ...dynamic];
}

/** Whether `expression` gives `probe` for each of `probes` bound by `bind`; an error is a no. */
function givesBack(
  expression: unknown,
  probes: readonly Value[],
  bind: (probe: Value) => Record<string, Value>,
) {
  return probes.every((probe) => {
    try {
      const result = evaluateExpression(expression, bind(probe));
      return JSON.stringify(result) === JSON.stringify(probe);
    } catch (error) {
      if (error instanceof TerraformError || error instanceof UnsupportedExpression) return false;
      throw error;
    }
  });
}

/** A policy document's JSON for the probes of policyDocumentOf: what it renders, and jsondecode() of it. */
const DOCUMENT_PROBE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "probe" }] });

/**
 * The `aws_iam_policy_document` data block an expression such as
 * `"${data.aws_iam_policy_document.x.json}"` or `"${jsondecode(data.aws_iam_policy_document.x[0].json)}"`
 * evaluates to (the document's JSON, or jsondecode() of it), following `module.<call>.<output>` into the called
 * module (`calls`: call name -> module) when that output is such a document; anything else throws, because only
 * those documents can be checked.
 */
export function policyDocumentOf(
  module: TerraformModule,
  expression: unknown,
  calls: Record<string, TerraformModule> = {},
): Block {
  const [reference, ...more] = references(expression);
  const unknown = (): never => {
    throw new Error(`policy ${String(expression)} is not an aws_iam_policy_document of the module`);
  };
  if (reference === undefined || more.length > 0) return unknown();
  /** Whether the expression gives the document `value` stands for at `reference`, as JSON or decoded. */
  const gives = (bind: (value: Value) => Record<string, Value>): boolean =>
    givesBack(expression, [DOCUMENT_PROBE], bind) ||
    givesBack(expression, [JSON.parse(DOCUMENT_PROBE) as Value], (decoded) => bind(JSON.stringify(decoded)));
  const viaModule = /^module\.([a-z0-9_]+)\.([a-z0-9_]+)$/.exec(reference);
  if (viaModule !== null) {
    const [, call = "", output = ""] = viaModule;
    const callee = call in module.modules ? calls[call] : undefined;
    const value = callee?.outputs[output]?.value;
    if (callee === undefined || value === undefined) {
      throw new Error(`policy ${String(expression)}: module.${call} or its output ${output} is unknown`);
    }
    if (!gives((json) => ({ module: { [call]: { [output]: json } } }))) return unknown();
    return policyDocumentOf(callee, value, calls);
  }
  const match = /^data\.aws_iam_policy_document\.([a-z0-9_]+)(\[0\])?\.json$/.exec(reference);
  const name = match?.[1];
  const block = name === undefined ? undefined : module.data.aws_iam_policy_document?.[name];
  if (block === undefined || name === undefined) return unknown();
  // `[0]` only for a document with count.
  if ((match?.[2] !== undefined) !== "count" in block) return unknown();
  const instance = (json: Value): Value => ("count" in block ? [{ json }] : { json });
  if (!gives((json) => ({ data: { aws_iam_policy_document: { [name]: instance(json) } } }))) return unknown();
  return block;
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

/** Inline policies and attachments of `module` whose role is `reference` (`aws_iam_role.x`, `module.y`). */
export function policiesOn(
  module: TerraformModule,
  reference: string,
): { inline: Block[]; attachments: Block[] } {
  const onRole = (block: Block): boolean =>
    referencedObjects(block.role ?? block.roles).some((ref) => ref === reference);
  const attachments = [
    ...Object.values(module.resources.aws_iam_role_policy_attachment ?? {}),
    ...Object.values(module.resources.aws_iam_policy_attachment ?? {}),
    ...Object.values(module.resources.aws_iam_role_policy_attachments_exclusive ?? {}),
  ].filter(onRole);
  const inline = Object.values(module.resources.aws_iam_role_policy ?? {}).filter(onRole);
  return { inline, attachments };
}

/** Inline policies and attachments of the module that give its IAM role `roleName` permissions. */
export function rolePolicies(
  module: TerraformModule,
  roleName: string,
): { inline: Block[]; attachments: Block[]; role: Block } {
  const role = declarations(module).resource("aws_iam_role", roleName);
  return { ...policiesOn(module, `aws_iam_role.${roleName}`), role };
}

/** Problems of statements that should only allow: Deny, NotAction, NotResource, NotPrincipal. */
export function onlyAllowsProblems(statements: PolicyStatement[]): string[] {
  return statements.flatMap((statement) => {
    const what = statement.sid ?? JSON.stringify(statement.actions);
    return [
      ...(statement.effect === "Allow" ? [] : [`${what}: effect ${statement.effect}, not Allow`]),
      ...(statement.not_actions === undefined ? [] : [`${what}: NotAction grants everything else`]),
      ...(statement.not_resources === undefined ? [] : [`${what}: NotResource grants everything else`]),
      ...(statement.not_principals === undefined ? [] : [`${what}: NotPrincipal`]),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Module calls
// ---------------------------------------------------------------------------------------------

const MODULE_META_ARGUMENTS = new Set(["source", "version", "providers", "depends_on", "count", "for_each"]);

/** The input arguments of a module block (its meta-arguments left out). */
export function callArguments(call: Block): string[] {
  return Object.keys(call).filter((key) => !MODULE_META_ARGUMENTS.has(key));
}

/** Arguments a module call passes that the called module does not declare, and required inputs it leaves out. */
export function moduleCallProblems(call: Block, callee: TerraformModule): string[] {
  const args = callArguments(call);
  const undeclared = args.filter((arg) => !(arg in callee.variables)).map((arg) => `${arg}: not declared`);
  const missing = Object.entries(callee.variables)
    .filter(([name, block]) => !("default" in block) && !args.includes(name))
    .map(([name]) => `${name}: required, not passed`);
  return [...undeclared, ...missing];
}

/** Values a variable passed unchanged gives back as they are, whatever their type. */
const PASSED_PROBES: readonly Value[] = [
  "passed-through-probe",
  7919.5,
  true,
  null,
  ["probe"],
  { probe: "p" },
];

/**
 * Each argument of a module call that passes a variable of the caller unchanged (it refers to that variable only
 * and gives back every value of it, null included): the caller's variable and the called module's, to compare their
 * types and validations.
 */
export function passedThrough(
  call: Block,
  caller: TerraformModule,
  callee: TerraformModule,
): { argument: string; callerVariable: Block; calleeVariable: Block; name: string }[] {
  return callArguments(call).flatMap((argument) => {
    const [reference, ...more] = references(call[argument]);
    const variable = more.length === 0 ? /^var\.([a-z0-9_]+)$/.exec(reference ?? "")?.[1] : undefined;
    const name =
      variable !== undefined &&
      givesBack(call[argument], PASSED_PROBES, (probe) => ({ var: { [variable]: probe } }))
        ? variable
        : undefined;
    const callerVariable = name === undefined ? undefined : caller.variables[name];
    const calleeVariable = callee.variables[argument];
    if (name === undefined || callerVariable === undefined || calleeVariable === undefined) return [];
    return [{ argument, callerVariable, calleeVariable, name }];
  });
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

// ---------------------------------------------------------------------------------------------
// Examples: root modules that call a module of this repository
// ---------------------------------------------------------------------------------------------

/** What keeps `example` from being a complete root module: Terraform 1.5, hashicorp/aws, one aws provider. */
function rootModuleProblems(example: TerraformModule): string[] {
  const [terraform] = example.terraform;
  const problems: string[] = [];
  if (example.terraform.length !== 1) problems.push(`${example.terraform.length} terraform blocks`);
  if (terraform?.required_version !== ">= 1.5")
    problems.push(`required_version ${terraform?.required_version}`);
  const providers = terraform === undefined ? [] : nestedAll(terraform, "required_providers");
  const aws = providers[0]?.aws as { source?: string } | undefined;
  if (aws?.source !== "hashicorp/aws") problems.push(`aws provider source ${aws?.source}`);
  if (example.providers.aws?.length !== 1)
    problems.push(`${example.providers.aws?.length ?? 0} aws provider blocks`);
  return problems;
}

/** Example outputs without a description, referring to no module output, or to one the called module lacks. */
function outputReferenceProblems(
  example: TerraformModule,
  callees: Record<string, TerraformModule>,
): string[] {
  return Object.entries(example.outputs).flatMap(([name, output]) => {
    const problems = typeof output.description === "string" ? [] : [`${name}: no description`];
    // The module outputs it refers to (`module.<call>.<output>`, `module.<call>[0].<output>`, a splat).
    const used = references(output.value).flatMap((reference) => {
      const match = /^module\.([a-z0-9_]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)/.exec(reference);
      return match === null ? [] : [match];
    });
    if (used.length === 0) problems.push(`${name}: refers to no module output`);
    for (const [, call = "", attribute = ""] of used) {
      const callee = call in example.modules ? callees[call] : undefined;
      if (callee === undefined) problems.push(`${name}: module.${call} is not called`);
      else if (!(attribute in callee.outputs))
        problems.push(`${name}: module.${call} has no output ${attribute}`);
    }
    return problems;
  });
}

/** Example variables without a description or a type, or that no expression refers to (a comment is no use). */
function exampleVariableProblems(example: TerraformModule): string[] {
  const used = new Set(example.files.flatMap((file) => referencedObjects(file.json)));
  return Object.entries(example.variables).flatMap(([name, block]) => [
    ...(typeof block.description === "string" ? [] : [`${name}: no description`]),
    ...(block.type === undefined ? [`${name}: no type`] : []),
    ...(used.has(`var.${name}`) ? [] : [`${name}: unused`]),
  ]);
}

/**
 * Everything that keeps `example` from being a working root module for the modules it calls
 * (`callees`: call name -> the called module): not a complete root module (Terraform 1.5,
 * hashicorp/aws, one aws provider), a call passing an argument the module does not declare or
 * leaving out a required one, an output that is undocumented or refers to an output the module
 * lacks, a variable that is undocumented, untyped or unused.
 */
export function exampleProblems(
  example: TerraformModule,
  callees: Record<string, TerraformModule>,
): string[] {
  const callProblems = Object.entries(example.modules).flatMap(([name, call]) => {
    const callee = callees[name];
    if (callee === undefined) return [`module.${name}: not expected`];
    return moduleCallProblems(call, callee).map((problem) => `module.${name}.${problem}`);
  });
  return [
    ...rootModuleProblems(example),
    ...callProblems,
    ...outputReferenceProblems(example, callees),
    ...exampleVariableProblems(example),
  ];
}

/**
 * What a README refers to in the modules: outputs (`terraform output [-raw|-json] <name>`, "the
 * `<name>` output") and addresses in a module call (`module.<call>.<output>`,
 * `module.<call>.<type>.<name>`).
 */
export function readmeReferences(readme: string): {
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
export function declaresResource(
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
export function splitInstance(address: string): { base: string; index: string | undefined } {
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
// The evaluator module (terraform/modules/evaluator) as its callers use it
// ---------------------------------------------------------------------------------------------

/** The outputs both deployments give about the function, each the evaluator output it passes on. */
export const FUNCTION_OUTPUTS = {
  lambda_function_name: "function_name",
  lambda_function_arn: "function_arn",
  lambda_role_arn: "role_arn",
  log_group_name: "log_group_name",
} as const;

/**
 * The statements of a policy document as Terraform renders it for `switches` (variable name ->
 * value): every direct statement, and each `dynamic "statement"` once per element its for_each evaluates to
 * (`var.<name> ? [1] : []`: once when the switch is on). Throws on a for_each that is not a list (a content that
 * would read its element is not rendered here) and on a variable that is not given, so a statement cannot be left
 * out by accident.
 *
 * @example
 * ```ts
 * renderedStatements(data("aws_iam_policy_document", "evaluation"), { grant_cloudtrail_lookup: true });
 * ```
 */
export function renderedStatements(
  document: Block,
  switches: Readonly<Record<string, Value>>,
): PolicyStatement[] {
  const dynamic = dynamicBlocks(document, "statement").flatMap((block) => {
    const elements = evaluateExpression(block.for_each, { var: switches });
    if (!Array.isArray(elements)) throw new Error(`for_each ${String(block.for_each)} is not a list`);
    const content = nestedAll(block, "content") as PolicyStatement[];
    if (elements.length > 0 && references(content).some((reference) => reference.startsWith("statement.")))
      throw new Error("a dynamic statement that reads its element");
    return elements.flatMap(() => content);
  });
  return [...(nestedAll(document, "statement") as PolicyStatement[]), ...dynamic];
}

/**
 * The value of a module call's bool argument for the caller's variables `values` (name -> value), evaluated.
 * Throws on a caller variable that `values` does not give, on what else the argument refers to (a local, a
 * resource), and on a value that is not a bool.
 */
export function callBool(call: Block, argument: string, values: Record<string, boolean> = {}): boolean {
  const value = call[argument];
  if (value === undefined) throw new Error(`the call passes no ${argument}`);
  const result = evaluateExpression(value, { var: values });
  if (typeof result !== "boolean")
    throw new Error(`${argument} = ${String(value)} gave ${JSON.stringify(result)}`);
  return result;
}

/**
 * The statements the evaluator's execution role ends up with for one call of it: those of its own
 * policy document, those of its evaluation document when the call sets grant_evaluation_actions
 * (with the CloudTrail statements when grant_cloudtrail_lookup is true), and those of the
 * caller's policy document passed as policy_json. `values` gives the caller's bool variables the
 * call passes (`{ cloudtrail_lookup: true }`). Throws on anything it cannot follow (a grant that
 * is neither a literal nor a given variable, a policy_json that is not an aws_iam_policy_document
 * of the caller, a source_policy_documents that gives other documents than those two).
 */
export function evaluatorRoleStatements(
  evaluator: TerraformModule,
  caller: TerraformModule,
  call: Block,
  values: Record<string, boolean> = {},
): PolicyStatement[] {
  const { data } = declarations(evaluator);
  const own = data("aws_iam_policy_document", "this");
  const grant = callBool(call, "grant_evaluation_actions", values);
  const extra = call.policy_json ?? null;
  // The documents the role's policy is built from, evaluated for this call: each is the evaluation document or the
  // caller's policy_json (the probe stands for it), anything else is not followed.
  const callerDocument = "<the caller's policy_json>";
  const sources = evaluateExpression(
    own.source_policy_documents,
    moduleScope(evaluator, {
      grant_evaluation_actions: grant,
      policy_json: extra === null ? null : callerDocument,
    }),
  );
  if (!Array.isArray(sources)) throw new Error(`source_policy_documents gave ${JSON.stringify(sources)}`);
  return [
    ...sources.flatMap((source) => {
      if (source === "<data.aws_iam_policy_document.evaluation.json>")
        return evaluationStatements(evaluator, call, values);
      if (source === callerDocument && extra !== null)
        return policyStatements(policyDocumentOf(caller, extra));
      throw new Error(`unexpected source policy document ${JSON.stringify(source)}`);
    }),
    ...policyStatements(own),
  ];
}

/**
 * The statements of the evaluator's evaluation document (its evaluation_policy_json) for one call
 * of it: with the CloudTrail statements when the call's grant_cloudtrail_lookup is true (absent:
 * the variable's default).
 */
export function evaluationStatements(
  evaluator: TerraformModule,
  call: Block,
  values: Record<string, boolean> = {},
): PolicyStatement[] {
  const { data, variable } = declarations(evaluator);
  const lookup =
    "grant_cloudtrail_lookup" in call
      ? callBool(call, "grant_cloudtrail_lookup", values)
      : variable("grant_cloudtrail_lookup").default === true;
  return renderedStatements(data("aws_iam_policy_document", "evaluation"), {
    grant_cloudtrail_lookup: lookup,
  });
}

/**
 * The rule parameters a module's `local.rule_parameters` gives for `values` (variable name -> value), evaluated:
 * throws on a variable not given, on what else it refers to, and unless it gives an object of strings (what AWS
 * Config's InputParameters is).
 */
export function ruleParameters(expression: unknown, values: Record<string, unknown>): Record<string, string> {
  const result = evaluateExpression(expression, { var: values as Record<string, Value> });
  if (typeof result !== "object" || result === null || Array.isArray(result))
    throw new Error(`rule parameters ${JSON.stringify(result)} are not an object`);
  for (const [name, value] of Object.entries(result))
    if (typeof value !== "string") throw new Error(`${name}: ${JSON.stringify(value)} is not a string`);
  return result as Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// terraform-docs tables
// ---------------------------------------------------------------------------------------------

/** The Modules table terraform-docs writes for a module's calls ("No modules." without any). */
export function renderModulesTable(module: TerraformModule): string {
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

// ---------------------------------------------------------------------------------------------
// Root activity events (terraform/modules/root-activity-events): the alerts as Terraform renders them
// ---------------------------------------------------------------------------------------------

/** The inputs of terraform/modules/root-activity-events. */
export interface RootActivityEventsInputs {
  readonly read_only: boolean;
  readonly console_domain: string;
  readonly forwarding_alarm_name: string;
  readonly forwarding_rule_name: string;
  readonly message_suffix: string;
}

/** One alert as the module's `alerts` output gives it, its pattern parsed. */
export interface RenderedAlert {
  readonly description: string;
  readonly eventPattern: Record<string, unknown>;
  readonly inputPaths: Record<string, string>;
  readonly inputTemplate: string;
  readonly state: string;
}

/**
 * What terraform/modules/root-activity-events gives for `inputs`, its outputs evaluated (moduleScope): the root
 * event pattern, the forwarding alarm pattern and every alert (its JSON pattern parsed), and the keys of the alerts
 * on root events. Anything the evaluator does not know throws.
 */
export function renderRootActivityEvents(
  module: TerraformModule,
  inputs: RootActivityEventsInputs,
): {
  rootEventPattern: Record<string, unknown>;
  forwardingAlarmSourcePattern: Record<string, unknown>;
  alerts: Record<string, RenderedAlert>;
  rootEventAlertKeys: string[];
} {
  const scope = moduleScope(module, { ...inputs });
  const output = (name: string): Value => {
    const declared = module.outputs[name];
    if (declared === undefined) throw new Error(`the module has no output ${name}`);
    return evaluateExpression(declared.value, scope);
  };
  type Alert = {
    description: string;
    event_pattern: string;
    input_paths: Record<string, string>;
    input_template: string;
    state: string;
  };
  const alerts = Object.fromEntries(
    Object.entries(output("alerts") as Record<string, Alert>).map(([key, alert]) => [
      key,
      {
        description: alert.description,
        eventPattern: JSON.parse(alert.event_pattern) as Record<string, unknown>,
        inputPaths: alert.input_paths,
        inputTemplate: alert.input_template,
        state: alert.state,
      },
    ]),
  );
  return {
    rootEventPattern: output("root_event_pattern_object") as Record<string, unknown>,
    forwardingAlarmSourcePattern: output("forwarding_alarm_event_pattern_object") as Record<string, unknown>,
    alerts,
    rootEventAlertKeys: output("root_event_alert_keys") as string[],
  };
}

/**
 * The scope of `values` (`{ "var.a": true, "local.x": false }`): the variables and locals it names, nothing else.
 */
function referenceScope(values: Readonly<Record<string, Value>>): Record<string, Value> {
  const scope: Record<string, Record<string, Value>> = { var: {}, local: {} };
  for (const [reference, value] of Object.entries(values)) {
    const [root = "", name = "", ...rest] = reference.split(".");
    const names = scope[root];
    if (names === undefined || rest.length > 0) throw new Error(`not a variable or a local: ${reference}`);
    names[name] = value;
  }
  return scope;
}

/** The value of an expression (hcl2json's `"${...}"`, or the bare expression text) for `values`. */
function valueFor(expression: unknown, values: Readonly<Record<string, Value>>): Value {
  const text =
    typeof expression === "string" && wholeInterpolation(expression) === undefined
      ? `\${${expression}}`
      : expression;
  return evaluateExpression(text, referenceScope(values));
}

/**
 * Evaluates a bool expression over variables and locals (`!var.a || var.b`, `local.x && var.y`)
 * for `values` (`{ "var.a": true, "local.x": false }`), as hcl-expression.ts evaluates Terraform's expressions:
 * a reference not given, a construct it does not know, or a result that is not a bool throws.
 *
 * @example
 * ```ts
 * evaluateBoolCondition("!var.a || var.b", { "var.a": true, "var.b": false }); // false
 * ```
 */
export function evaluateBoolCondition(expression: string, values: Record<string, boolean | string>): boolean {
  const result = valueFor(expression, values);
  if (typeof result !== "boolean") throw new Error(`${expression} did not give a bool`);
  return result;
}

/**
 * How many instances a block's count gives for `values` (as evaluateBoolCondition takes them): what its count does,
 * not how it is spelled. Throws for a block without count and for a count that is not a whole number.
 *
 * @example
 * ```ts
 * instanceCount(alarm, { "var.alarm_on_failures": false }); // 0
 * ```
 */
export function instanceCount(block: Block, values: Record<string, boolean | string>): number {
  if (!("count" in block)) throw new Error("the block has no count");
  const count = valueFor(block.count, values);
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
    throw new Error(`count ${String(block.count)} gave ${JSON.stringify(count)}`);
  return count;
}

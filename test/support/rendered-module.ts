/**
 * Renders what `terraform plan` would create for a module and given variables: every resource instance of the
 * module and of the modules it calls (count, for_each and dynamic blocks expanded), each argument evaluated with the
 * expression evaluator (test/support/hcl-expression.ts). What Terraform alone knows (an ARN AWS assigns) stays the
 * evaluator's placeholder, `<aws_sns_topic.this[0].arn>`.
 *
 * Two things the evaluator leaves to Terraform are done here, because the checks need them:
 * - `aws_iam_policy_document` data sources are rendered to the JSON the AWS provider gives (statements,
 *   `source_policy_documents` merged by Sid, one value as a string, several reverse-sorted; provider source
 *   internal/service/iam/policy_document_data_source.go and iam_policy_model.go), so
 *   `jsondecode(data.aws_iam_policy_document.x.json)` and a module output such as `evaluation_policy_json` are real
 *   documents, and a StackSet template built from them is the template CloudFormation receives.
 * - `file(<path>)` is read (its path evaluated, `path.module` the module's folder) and put in the expression as a
 *   string literal, as Terraform's file() would return it.
 *
 * Documents, module outputs and the expressions that use them depend on each other (a document names a resource, a
 * module's output is an argument of another call): they are evaluated again until nothing changes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Block, loadModule, nestedAll, type TerraformModule, unwrap } from "./hcl.ts";
import {
  callScope,
  evaluateExpression,
  moduleScope,
  type ScopeOptions,
  TerraformError,
  UnsupportedExpression,
  type Value,
} from "./hcl-expression.ts";

/** One resource instance as the plan shows it. */
export interface RenderedResource {
  /** `module.notifications[0].aws_kms_key.this[0]` */
  readonly address: string;
  /** `aws_kms_key` */
  readonly type: string;
  /** The arguments and nested blocks (a list of objects per block name), evaluated. */
  readonly values: Readonly<Record<string, Value>>;
  /** The arguments that could not be evaluated here (a function the evaluator does not know), with the reason. */
  readonly unknown: Readonly<Record<string, string>>;
}

/** A rendered module instance: its resources (and its calls' resources), outputs and an evaluator for its expressions. */
export interface RenderedModule {
  readonly resources: readonly RenderedResource[];
  /** The outputs that could be evaluated. */
  readonly outputs: Readonly<Record<string, Value>>;
  /** The policy documents of `aws_iam_policy_document` data sources, by address, as JSON. */
  readonly documents: Readonly<Record<string, string>>;
  /** The value of an expression of this module (`"${local.stack_set_template}"`) for these variables. */
  evaluate(expression: unknown): Value;
}

/** The data sources only AWS answers, as the modules read them: one account of an organization in one region. */
export interface Identity {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
}

/** An account, region and organization in the documentation's example ranges. */
export const EXAMPLE_IDENTITY: Identity = {
  accountId: "111122223333",
  region: "eu-west-1",
  partition: "aws",
  organizationId: "o-a1b2c3d4e5",
  managementAccountId: "111122223333",
  rootId: "r-a1b2",
};

/** A module and the modules its calls run, loaded from disk. */
interface ModuleTree {
  readonly module: TerraformModule;
  readonly calls: Readonly<Record<string, ModuleTree>>;
}

/** Loads `dir` and, recursively, every module its calls run from a local path. */
async function loadTree(dir: string): Promise<ModuleTree> {
  const module = await loadModule(dir);
  const calls: Record<string, ModuleTree> = {};
  for (const [name, call] of Object.entries(module.modules)) {
    const source = call.source;
    if (typeof source !== "string" || !source.startsWith("."))
      throw new Error(`${dir}: module ${name} has no local source`);
    calls[name] = await loadTree(join(dir, source));
  }
  return { module, calls };
}

/** Meta-arguments of a resource, which are not sent to AWS. */
const META_ARGUMENTS = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner"]);

/** How many times documents and outputs are evaluated again before giving up (each pass resolves one more level). */
const MAX_PASSES = 12;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether the evaluator could not evaluate an expression (as opposed to a bug in the caller). */
const isEvaluationError = (error: unknown): error is Error =>
  error instanceof UnsupportedExpression || error instanceof TerraformError;

/** `text` as template text: `${` and `%{` escaped as `$${` and `%%{` (a function, since "$$" means "$" in a replacement). */
const escapeTemplate = (text: string): string =>
  text.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);

/** A value as an hcl2json literal: a string with `${` or `%{` would be read as a template. */
function literal(value: Value): unknown {
  if (typeof value === "string") return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(literal);
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literal(item)]));
  return value;
}

/** The index after the `)` that closes the call whose arguments start at `at`, quoted strings skipped. */
function callEnd(source: string, at: number): number {
  let depth = 0;
  for (let index = at; index < source.length; index++) {
    const char = source[index];
    if (char === '"') {
      for (index += 1; index < source.length && source[index] !== '"'; index++)
        if (source[index] === "\\") index += 1;
    } else if (char === "(") depth += 1;
    else if (char === ")") {
      if (depth === 0) return index + 1;
      depth -= 1;
    }
  }
  throw new UnsupportedExpression(`an unterminated call in: ${source}`);
}

/**
 * `expression` with every `file(<path>)` replaced by the file's content as a quoted HCL string, the path evaluated in
 * `scope` with `<path.module>` standing for `dir`.
 */
function withFiles(expression: unknown, scope: Readonly<Record<string, Value>>, dir: string): unknown {
  if (Array.isArray(expression)) return expression.map((item) => withFiles(item, scope, dir));
  if (isRecord(expression))
    return Object.fromEntries(
      Object.entries(expression).map(([key, item]) => [key, withFiles(item, scope, dir)]),
    );
  if (typeof expression !== "string") return expression;
  let text = expression;
  for (let match = /(?<![\w.])file\(/.exec(text); match !== null; match = /(?<![\w.])file\(/.exec(text)) {
    const start = match.index + match[0].length;
    const end = callEnd(text, start);
    const path = evaluateExpression(`\${${text.slice(start, end - 1)}}`, scope);
    if (typeof path !== "string")
      throw new UnsupportedExpression(`file(): ${JSON.stringify(path)} is not a path`);
    const content = readFileSync(path.replace("<path.module>", dir), "utf8");
    const quoted = escapeTemplate(JSON.stringify(content));
    text = `${text.slice(0, match.index)}${quoted}${text.slice(end)}`;
  }
  return text;
}

/** The module with its file() calls read for `vars` (the paths evaluated without the documents and outputs). */
function readFiles(module: TerraformModule, vars: Readonly<Record<string, Value>>): TerraformModule {
  if (!module.files.some((file) => /(?<![\w.])file\(/.test(file.source))) return module;
  const scope = moduleScope(module, vars);
  const inline = <T>(value: T): T => withFiles(value, scope, module.dir) as T;
  return {
    ...module,
    locals: inline(module.locals),
    outputs: inline(module.outputs),
    resources: inline(module.resources),
    data: inline(module.data),
    modules: inline(module.modules),
  };
}

/** Provider semantics of a list in a policy: one element is a string, several are sorted in reverse. */
function policyList(values: readonly string[]): string | string[] | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return [...values].sort().reverse();
}

const strings = (value: Value | undefined, what: string): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw new UnsupportedExpression(`${what}: ${JSON.stringify(value)} is not a list of strings`);
  return [...new Set(value as string[])];
};

/** One statement as the provider writes it (keys in its struct's order; Sid always, empty when not set). */
function policyStatement(statement: Record<string, Value>): Record<string, unknown> {
  const principals = (blocks: Value | undefined): Record<string, unknown> | string | undefined => {
    const list = (blocks ?? []) as readonly Record<string, Value>[];
    if (list.length === 0) return undefined;
    const byType: Record<string, string[]> = {};
    for (const block of list) {
      const type = String(block.type);
      byType[type] = [...(byType[type] ?? []), ...strings(block.identifiers, "identifiers").sort().reverse()];
    }
    if (list.length === 1 && byType["*"]?.length === 1 && byType["*"][0] === "*") return "*";
    return Object.fromEntries(
      Object.entries(byType).map(([type, ids]) => [type, ids.length === 1 ? ids[0] : ids]),
    );
  };
  const conditions = (blocks: Value | undefined): Record<string, Record<string, unknown>> | undefined => {
    const list = (blocks ?? []) as readonly Record<string, Value>[];
    if (list.length === 0) return undefined;
    const byTest: Record<string, Record<string, unknown>> = {};
    for (const block of list) {
      const values = (block.values ?? []) as string[];
      const test = byTest[String(block.test)] ?? {};
      test[String(block.variable)] = values.length === 1 ? values[0] : values;
      byTest[String(block.test)] = test;
    }
    return byTest;
  };
  const entries: [string, unknown][] = [
    ["Sid", statement.sid ?? ""],
    ["Effect", statement.effect ?? "Allow"],
    ["Action", policyList(strings(statement.actions, "actions"))],
    ["NotAction", policyList(strings(statement.not_actions, "not_actions"))],
    ["Resource", policyList(strings(statement.resources, "resources"))],
    ["NotResource", policyList(strings(statement.not_resources, "not_resources"))],
    ["Principal", principals(statement.principals)],
    ["NotPrincipal", principals(statement.not_principals)],
    ["Condition", conditions(statement.condition)],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/** Merges statements by Sid as the provider's IAMPolicyDoc.Merge does: a statement replaces one of the same Sid. */
function merge(into: Record<string, unknown>[], statements: readonly Record<string, unknown>[]): void {
  for (const statement of statements) {
    const at = statement.Sid ? into.findIndex((existing) => existing.Sid === statement.Sid) : -1;
    if (at >= 0) into[at] = statement;
    else into.push(statement);
  }
}

/** The JSON an `aws_iam_policy_document` gives, or undefined while a source document is not known yet. */
function renderDocument(block: Block, scope: Readonly<Record<string, Value>>): string | undefined {
  const body = renderBody(block, scope);
  if (Object.keys(body.unknown).length > 0) return undefined;
  const { values } = body;
  const merged: Record<string, unknown>[] = [];
  const documents = (key: string): Record<string, unknown>[] | undefined => {
    const sources = values[key];
    if (sources === undefined || sources === null) return [];
    if (!Array.isArray(sources)) throw new UnsupportedExpression(`${key} is not a list`);
    const parsed: Record<string, unknown>[] = [];
    for (const source of sources) {
      if (source === null) continue;
      try {
        parsed.push(JSON.parse(String(source)) as Record<string, unknown>);
      } catch {
        return undefined; // a placeholder: not known in this pass
      }
    }
    return parsed;
  };
  const sources = documents("source_policy_documents");
  const overrides = documents("override_policy_documents");
  if (sources === undefined || overrides === undefined) return undefined;
  for (const source of sources) merge(merged, (source.Statement ?? []) as Record<string, unknown>[]);
  merge(
    merged,
    ((values.statement ?? []) as Record<string, Value>[]).map((statement) => policyStatement(statement)),
  );
  for (const override of overrides) merge(merged, (override.Statement ?? []) as Record<string, unknown>[]);
  // The provider turns &{ into ${ (a literal policy variable in HCL); $${ already gave ${.
  const document = { Version: values.version ?? "2012-10-17", Statement: merged };
  return JSON.stringify(document).replaceAll("&{", "${");
}

/** A block's arguments evaluated and its nested and dynamic blocks expanded, in `scope`. */
function renderBody(
  block: Block,
  scope: Readonly<Record<string, Value>>,
): { values: Record<string, Value>; unknown: Record<string, string> } {
  const values: Record<string, Value> = {};
  const unknown: Record<string, string> = {};
  const addBlocks = (name: string, blocks: readonly Block[], inScope: Readonly<Record<string, Value>>) => {
    const rendered = blocks.map((inner) => renderBody(inner, inScope));
    values[name] = [
      ...((values[name] as Value[] | undefined) ?? []),
      ...rendered.map((inner) => inner.values),
    ];
    rendered.forEach((inner, index) => {
      for (const [key, why] of Object.entries(inner.unknown)) unknown[`${name}[${index}].${key}`] = why;
    });
  };
  // Dynamic blocks last: the modules write them after the static blocks of the same type, where Terraform puts them.
  const entries = Object.entries(block).sort(([a], [b]) => Number(a === "dynamic") - Number(b === "dynamic"));
  for (const [key, raw] of entries) {
    if (META_ARGUMENTS.has(key)) continue;
    if (key === "dynamic") {
      for (const [name, dynamics] of Object.entries(raw as Record<string, unknown>)) {
        for (const dynamic of nestedAll({ [name]: dynamics }, name)) {
          // hcl2json writes the iterator's name as an expression, `${query}`.
          const iterator = typeof dynamic.iterator === "string" ? unwrap(dynamic.iterator) : name;
          try {
            const forEach = evaluateExpression(dynamic.for_each, scope);
            const elements: [Value, Value][] = Array.isArray(forEach)
              ? forEach.map((value, index) => [index, value])
              : Object.entries(forEach as Record<string, Value>);
            for (const [elementKey, value] of elements)
              addBlocks(name, nestedAll(dynamic, "content"), {
                ...scope,
                [iterator]: { key: elementKey, value },
              });
          } catch (error) {
            if (!isEvaluationError(error)) throw error;
            unknown[`dynamic ${name}`] = error.message;
          }
        }
      }
    } else if (Array.isArray(raw) && raw.length > 0 && raw.every(isRecord)) {
      addBlocks(key, raw as Block[], scope);
    } else {
      try {
        values[key] = evaluateExpression(raw, scope);
      } catch (error) {
        if (!isEvaluationError(error)) throw error;
        unknown[key] = error.message;
      }
    }
  }
  return { values, unknown };
}

/** The instances of a counted or for_each block: their address suffix and what `count`/`each` are in them. */
function instancesOf(
  block: Block,
  scope: Readonly<Record<string, Value>>,
): [string, Record<string, Value>][] {
  if ("for_each" in block) {
    const forEach = evaluateExpression(block.for_each, scope);
    const entries: [string, Value][] = Array.isArray(forEach)
      ? forEach.map((key) => [String(key), key])
      : Object.entries(forEach as Record<string, Value>);
    return entries.map(([key, value]) => [`[${JSON.stringify(key)}]`, { each: { key, value } }]);
  }
  if ("count" in block) {
    const count = evaluateExpression(block.count, scope);
    if (typeof count !== "number") throw new TerraformError(`count ${JSON.stringify(count)}`);
    return Array.from({ length: count }, (_, index) => [`[${index}]`, { count: { index } }]);
  }
  return [["", {}]];
}

/** The data sources only AWS answers, as moduleScope's `data` option. */
function identityData(identity: Identity): Record<string, Value> {
  return {
    "aws_caller_identity.current": {
      account_id: identity.accountId,
      arn: `arn:${identity.partition}:iam::${identity.accountId}:role/terraform`,
    },
    "aws_partition.current": { partition: identity.partition, dns_suffix: "amazonaws.com" },
    "aws_region.current": { region: identity.region, name: identity.region },
    "aws_organizations_organization.current": {
      id: identity.organizationId,
      arn: `arn:${identity.partition}:organizations::${identity.managementAccountId}:organization/${identity.organizationId}`,
      master_account_id: identity.managementAccountId,
      roots: [{ id: identity.rootId }],
      feature_set: "ALL",
    },
  };
}

/** Renders one instance of `tree` for `vars` at `prefix` (`module.notifications[0].`). */
function renderInstance(
  tree: ModuleTree,
  vars: Readonly<Record<string, Value>>,
  prefix: string,
  identity: Identity,
): RenderedModule {
  const module = readFiles(tree.module, vars);
  let documents: Record<string, string> = {};
  let calls: Record<string, RenderedModule | undefined> = {};
  let scope: Readonly<Record<string, Value>> = {};
  const optionsFor = (): ScopeOptions => ({
    data: {
      ...identityData(identity),
      ...Object.fromEntries(
        // Given values are taken as they are (not evaluated), so no escaping here.
        Object.entries(documents).map(([address, json]) => [address.replace(/\[\d+\]$/, ""), { json }]),
      ),
    },
    // A call already rendered gives its outputs as literals; one not rendered yet is evaluated as moduleScope does.
    modules: Object.fromEntries(
      Object.entries(tree.calls).map(([name, child]) => {
        const rendered = calls[name];
        if (rendered === undefined) return [name, child.module];
        const outputs = Object.fromEntries(
          Object.entries(child.module.outputs).map(([output, block]) => [
            output,
            output in rendered.outputs
              ? { ...block, value: literal(rendered.outputs[output] ?? null) }
              : block,
          ]),
        );
        return [name, { ...child.module, outputs }];
      }),
    ),
  });
  let previous = "";
  for (let pass = 0; ; pass++) {
    if (pass === MAX_PASSES) throw new Error(`${module.dir}: documents and outputs did not settle`);
    const options = optionsFor();
    scope = moduleScope(module, vars, options);
    const nextDocuments: Record<string, string> = {};
    for (const [name, block] of Object.entries(module.data.aws_iam_policy_document ?? {})) {
      for (const [suffix, bindings] of instancesOf(block, scope)) {
        const json = renderDocument(block, { ...scope, ...bindings });
        if (json !== undefined) nextDocuments[`aws_iam_policy_document.${name}${suffix}`] = json;
      }
    }
    const nextCalls: Record<string, RenderedModule | undefined> = {};
    for (const [name, child] of Object.entries(tree.calls)) {
      const block = module.modules[name] ?? {};
      const instances = instancesOf(block, scope);
      if (instances.length > 1) throw new UnsupportedExpression(`module ${name}: more than one instance`);
      const [instance] = instances;
      if (instance === undefined) continue;
      const childVars = callScope(module, vars, name, child.module, options).var as Record<string, Value>;
      nextCalls[name] = renderInstance(child, childVars, `${prefix}module.${name}${instance[0]}.`, identity);
    }
    documents = nextDocuments;
    calls = nextCalls;
    const state = JSON.stringify([
      documents,
      Object.fromEntries(Object.entries(calls).map(([name, call]) => [name, call?.outputs])),
    ]);
    if (state === previous) break;
    previous = state;
  }
  const resources: RenderedResource[] = [];
  for (const [type, byName] of Object.entries(module.resources)) {
    for (const [name, block] of Object.entries(byName)) {
      for (const [suffix, bindings] of instancesOf(block, scope)) {
        const { values, unknown } = renderBody(block, { ...scope, ...bindings });
        resources.push({ address: `${prefix}${type}.${name}${suffix}`, type, values, unknown });
      }
    }
  }
  for (const call of Object.values(calls)) if (call !== undefined) resources.push(...call.resources);
  const outputs: Record<string, Value> = {};
  for (const [name, block] of Object.entries(module.outputs)) {
    try {
      outputs[name] = evaluateExpression(block.value, scope);
    } catch (error) {
      if (!isEvaluationError(error)) throw error;
    }
  }
  const finalScope = scope;
  return {
    resources,
    outputs,
    documents,
    evaluate: (expression) => evaluateExpression(withFiles(expression, finalScope, module.dir), finalScope),
  };
}

/** The variables of `module`: their defaults, then `vars`; one without a default that `vars` does not give throws. */
function variablesOf(module: TerraformModule, vars: Readonly<Record<string, Value>>): Record<string, Value> {
  for (const name of Object.keys(vars))
    if (!(name in module.variables)) throw new Error(`${module.dir} declares no variable ${name}`);
  return Object.fromEntries(
    Object.entries(module.variables).map(([name, block]) => {
      if (name in vars) return [name, vars[name] ?? null];
      if (!("default" in block)) throw new Error(`${module.dir}: variable ${name} has no default; give it`);
      return [name, evaluateExpression(block.default, {})];
    }),
  );
}

const trees = new Map<string, Promise<ModuleTree>>();

/**
 * What Terraform would create for the module in `dir` called with `vars` (the rest at their defaults), in the
 * account, region and organization of `identity`.
 *
 * @example
 * ```ts
 * const plan = await renderModule("terraform", { create_notifications: true });
 * plan.resources.filter((resource) => resource.type === "aws_kms_key"); // [{ values: { enable_key_rotation: true, ... } }]
 * ```
 */
export async function renderModule(
  dir: string,
  vars: Readonly<Record<string, Value>> = {},
  identity: Identity = EXAMPLE_IDENTITY,
): Promise<RenderedModule> {
  const tree = trees.get(dir) ?? loadTree(dir);
  trees.set(dir, tree);
  const loaded = await tree;
  return renderInstance(loaded, variablesOf(loaded.module, vars), "", identity);
}

/** The resources of `plan` of one type. */
export function resourcesOfType(plan: RenderedModule, type: string): RenderedResource[] {
  return plan.resources.filter((resource) => resource.type === type);
}

/**
 * A plan of a Terraform configuration without terraform, like `terraform show -json` of `terraform plan`: the
 * resource instances a module creates for given variables, each with its arguments evaluated. count, for_each and
 * dynamic blocks are expanded, module calls run their modules, `aws_iam_policy_document` renders its JSON as the
 * provider does (policy-document.ts), and what only AWS knows (ARNs, ids) has realistic values built from the
 * instance's arguments (plan-attributes.ts), in a World (account, region, partition, organization). Variables are
 * converted to their types and validated, preconditions evaluated: what terraform plan refuses is a PlanError.
 *
 * Tests assert on what AWS will receive (policies, names, patterns, sizes), not on how the HCL is spelled. It
 * evaluates with hcl-expression.ts, which throws UnsupportedExpression on what it does not know; that error is a
 * gap of the renderer and goes through, never taken as an answer.
 */
import { normalize, join as pathJoin } from "node:path";
import { type Block, loadModule, nestedAll, type TerraformModule } from "./hcl.ts";
import { evaluateExpression, TerraformError, type Value, withMissingFiles } from "./hcl-expression.ts";
import { computedAttributes, WORLD, type World } from "./plan-attributes.ts";
import { renderPolicyDocument } from "./policy-document.ts";
import { convert, parseType } from "./terraform-types.ts";

export { WORLD, type World } from "./plan-attributes.ts";

/** A module and the modules its calls run, by call name. */
export interface Configuration {
  readonly dir: string;
  readonly module: TerraformModule;
  readonly children: Readonly<Record<string, Configuration>>;
}

/** One instance of a resource or data source, with its arguments and computed attributes. */
export interface Instance {
  /** `module.notifications[0].aws_sns_topic.this[0]` */
  readonly address: string;
  /** The module instance it is in (`module.notifications[0]`), "" for the root module. */
  readonly module: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** Its count index or for_each key; undefined without either. */
  readonly key: string | number | undefined;
  /** The region the provider creates it in: its `region` argument, else the provider's. */
  readonly region: string;
  readonly values: Readonly<Record<string, Value>>;
  /** Its depends_on, as written (relative to its module). */
  readonly dependsOn: readonly string[];
}

/** What terraform plan would show. */
export interface Plan {
  readonly resources: readonly Instance[];
  readonly data: readonly Instance[];
  readonly outputs: Readonly<Record<string, Value>>;
  /** Files file() or filebase64sha256() read that do not exist (the plan has a placeholder for them). */
  readonly missingFiles: readonly string[];
}

/** What terraform plan refuses: failed validations and preconditions, Terraform's errors, each with its address. */
export class PlanError extends Error {
  override name = "PlanError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

const CONFIGURATIONS = new Map<string, Promise<Configuration>>();

/**
 * The configuration in `dir` and, recursively, the modules its calls run (local sources only).
 *
 * @example
 * ```ts
 * const organization = await loadConfiguration("terraform/modules/organization");
 * ```
 */
export function loadConfiguration(dir: string): Promise<Configuration> {
  const key = normalize(dir);
  let loading = CONFIGURATIONS.get(key);
  if (loading === undefined) {
    loading = (async () => {
      const module = await loadModule(key);
      const children: Record<string, Configuration> = {};
      for (const [call, block] of Object.entries(module.modules)) {
        const source = String(block.source);
        if (!source.startsWith("./") && !source.startsWith("../"))
          throw new Error(`${key}: module ${call} has the source ${source}; only local sources are planned`);
        children[call] = await loadConfiguration(pathJoin(key, source));
      }
      return { dir: key, module, children };
    })();
    CONFIGURATIONS.set(key, loading);
  }
  return loading;
}

/** Arguments of a resource or data source block that configure Terraform, not the provider. */
const META = new Set([
  "count",
  "for_each",
  "provider",
  "depends_on",
  "lifecycle",
  "dynamic",
  "provisioner",
  "connection",
]);

/** Arguments of a module block that are not the called module's variables. */
const CALL_META = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A list of objects in an hcl2json body is a nested block (an attribute's value would be an expression). */
const isBlockList = (value: unknown): value is Block[] =>
  Array.isArray(value) && value.length > 0 && value.every(isRecord);

/** An object whose properties `names` are computed by `compute` on first use. */
function lazy(names: readonly string[], compute: (name: string) => Value): Value {
  const cache = new Map<string, Value>();
  const known = new Set(names);
  return new Proxy(
    {},
    {
      has: (_, key) => typeof key === "string" && known.has(key),
      get: (_, key) => {
        if (typeof key !== "string" || !known.has(key)) return undefined;
        if (!cache.has(key)) cache.set(key, compute(key));
        return cache.get(key);
      },
      ownKeys: () => [...names],
      getOwnPropertyDescriptor: (_, key) =>
        typeof key === "string" && known.has(key) ? { enumerable: true, configurable: true } : undefined,
    },
  ) as Value;
}

/** A value with every lazy object computed: plain JSON. */
function plain(value: Value): Value {
  if (Array.isArray(value)) return (value as readonly Value[]).map(plain);
  if (isRecord(value))
    return Object.fromEntries(
      Object.keys(value).map((key) => [key, plain((value as Record<string, Value>)[key] ?? null)]),
    );
  return value;
}

/** The instance keys of a block with count or for_each, and each one's `each`/`count` binding. */
type Expansion =
  | { kind: "single" }
  | { kind: "count"; keys: number[] }
  | { kind: "for_each"; keys: string[]; values: Record<string, Value> };

interface Run {
  readonly config: Configuration;
  /** `module.a[0].` or "". */
  readonly prefix: string;
  readonly scope: Record<string, Value>;
  readonly region: string;
}

/** Everything one plan shares: the world, the problems found, the module runs and instances made. */
class Planner {
  readonly problems: string[] = [];
  readonly missingFiles = new Set<string>();
  private readonly instances = new Map<string, Value>();
  private readonly evaluating = new Set<string>();

  constructor(readonly world: World) {}

  /** A module instance at `prefix`, its variables given by `variable` (converted and validated on first use). */
  run(config: Configuration, prefix: string, variable: (name: string) => Value, region: string): Run {
    const { module } = config;
    const scope: Record<string, Value> = {};
    const run: Run = { config, prefix, scope, region };
    scope.var = lazy(Object.keys(module.variables), (name) => {
      const block = module.variables[name] ?? {};
      const where = `${prefix}var.${name}`;
      const given = variable(name);
      // null for a variable that is not nullable is its default.
      const value = convert(
        given === null && block.nullable === false ? evaluateExpression(block.default, {}) : given,
        parseType(block.type),
        where,
      );
      for (const validation of nestedAll(block, "validation")) {
        const passed = evaluateExpression(validation.condition, { var: { [name]: value } });
        if (passed !== true) this.problems.push(`${where}: ${String(validation.error_message)}`);
      }
      return value;
    });
    scope.local = lazy(Object.keys(module.locals), (name) =>
      this.guard(`${prefix}local.${name}`, () => evaluateExpression(module.locals[name], scope)),
    );
    scope.path = { module: config.dir, root: ".", cwd: "." };
    scope.data = lazy(Object.keys(module.data), (type) =>
      lazy(Object.keys(module.data[type] ?? {}), (name) => this.resource(run, "data", type, name)),
    );
    for (const type of Object.keys(module.resources)) {
      scope[type] = lazy(Object.keys(module.resources[type] ?? {}), (name) =>
        this.resource(run, "managed", type, name),
      );
    }
    scope.module = lazy(Object.keys(module.modules), (call) => this.call(run, call));
    return run;
  }

  /** Evaluates `compute` for `address` once at a time: a reference back to itself is a cycle. */
  private guard<T>(address: string, compute: () => T): T {
    if (this.evaluating.has(address)) throw new TerraformError(`cycle: ${address} refers to itself`);
    this.evaluating.add(address);
    try {
      return compute();
    } finally {
      this.evaluating.delete(address);
    }
  }

  expansion(block: Block, scope: Readonly<Record<string, Value>>, address: string): Expansion {
    if ("for_each" in block) {
      const forEach = evaluateExpression(block.for_each, scope);
      if (Array.isArray(forEach)) {
        const keys = (forEach as Value[]).map((key) => {
          if (typeof key !== "string")
            throw new TerraformError(`${address}: for_each over a list of ${typeof key}`);
          return key;
        });
        return { kind: "for_each", keys, values: Object.fromEntries(keys.map((key) => [key, key])) };
      }
      if (!isRecord(forEach)) throw new TerraformError(`${address}: for_each of ${JSON.stringify(forEach)}`);
      const values = forEach as Record<string, Value>;
      return { kind: "for_each", keys: Object.keys(values).sort(), values };
    }
    if ("count" in block) {
      const count = evaluateExpression(block.count, scope);
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
        throw new TerraformError(`${address}: count of ${JSON.stringify(count)}`);
      return { kind: "count", keys: Array.from({ length: count }, (_, index) => index) };
    }
    return { kind: "single" };
  }

  /** The value `make` gives each instance: one, a list by count, an object by for_each. */
  private expand(
    block: Block,
    scope: Readonly<Record<string, Value>>,
    address: string,
    make: (address: string, key: string | number | undefined, binding: Record<string, Value>) => Value,
  ): Value {
    const expansion = this.expansion(block, scope, address);
    if (expansion.kind === "single") return make(address, undefined, {});
    if (expansion.kind === "count")
      return expansion.keys.map((index) => make(`${address}[${index}]`, index, { count: { index } }));
    return Object.fromEntries(
      expansion.keys.map((key) => [
        key,
        make(`${address}[${JSON.stringify(key)}]`, key, {
          each: { key, value: expansion.values[key] ?? null },
        }),
      ]),
    );
  }

  /** `type.name` (or `data.type.name`) of `run`: its instances, each an object of its attributes. */
  resource(run: Run, mode: "managed" | "data", type: string, name: string): Value {
    const { module } = run.config;
    const block = (mode === "managed" ? module.resources : module.data)[type]?.[name] ?? {};
    const base = `${run.prefix}${mode === "data" ? "data." : ""}${type}.${name}`;
    return this.guard(`${base} (expansion)`, () =>
      this.expand(block, run.scope, base, (address, _key, binding) => {
        const cached = this.instances.get(address);
        if (cached !== undefined) return cached;
        const made = this.attributes(run, mode, type, block, { ...run.scope, ...binding }, address);
        this.instances.set(address, made);
        return made;
      }),
    );
  }

  /** The attributes of one instance: its arguments evaluated in `scope`, and the computed ones. */
  private attributes(
    run: Run,
    mode: "managed" | "data",
    type: string,
    block: Block,
    scope: Readonly<Record<string, Value>>,
    address: string,
  ): Value {
    const argumentNames = [
      ...Object.keys(block).filter((key) => !META.has(key)),
      ...Object.keys(isRecord(block.dynamic) ? block.dynamic : {}).filter((key) => !(key in block)),
    ];
    const args = lazy(argumentNames, (name) =>
      this.guard(`${address}.${name}`, () => argument(block, name, scope)),
    ) as Record<string, Value>;
    const region = (): string => {
      const given = "region" in block ? args.region : null;
      return typeof given === "string" ? given : run.region;
    };
    const computed: Record<string, () => Value> = {};
    if (mode === "data" && type === "aws_iam_policy_document") {
      const render = () => renderPolicyDocument(plain(args) as Record<string, Value>);
      computed.json = () => render().json;
      computed.minified_json = () => render().minified;
      computed.id = () => String(render().minified.length);
    } else {
      for (const [name, compute] of Object.entries(computedAttributes(mode, type))) {
        computed[name] = () => compute({ args, world: this.world, region: region(), address });
      }
    }
    const names = [...new Set([...argumentNames, ...Object.keys(computed)])];
    return lazy(names, (name) =>
      name in args && (args[name] !== null || !(name in computed))
        ? (args[name] ?? null)
        : this.guard(`${address}.${name}`, () => computed[name]?.() ?? null),
    );
  }

  /** `module.<call>` of `run`: its instances, each an object of its outputs. */
  private call(run: Run, call: string): Value {
    const block = run.config.module.modules[call] ?? {};
    const child = run.config.children[call];
    if (child === undefined) throw new Error(`${run.config.dir}: module ${call} was not loaded`);
    const base = `${run.prefix}module.${call}`;
    return this.expand(block, run.scope, base, (address, _key, binding) => {
      const cached = this.instances.get(address);
      if (cached !== undefined) return cached;
      const inner = this.callRun(run, block, child, `${address}.`, { ...run.scope, ...binding });
      const outputs = lazy(Object.keys(child.module.outputs), (name) =>
        this.guard(`${address}.${name}`, () =>
          evaluateExpression(child.module.outputs[name]?.value, inner.scope),
        ),
      );
      this.instances.set(address, outputs);
      return outputs;
    });
  }

  private readonly runs = new Map<string, Run>();

  /** The run of `child` as `block` (in `parent`, with `scope`) calls it at `prefix`. */
  callRun(
    parent: Run,
    block: Block,
    child: Configuration,
    prefix: string,
    scope: Readonly<Record<string, Value>>,
  ): Run {
    const existing = this.runs.get(prefix);
    if (existing !== undefined) return existing;
    for (const argument of Object.keys(block))
      if (!CALL_META.has(argument) && !(argument in child.module.variables))
        this.problems.push(
          `${prefix.slice(0, -1)}: the call passes ${argument}, which ${child.dir} does not declare`,
        );
    const made = this.run(
      child,
      prefix,
      (name) => {
        if (name in block) return evaluateExpression(block[name], scope);
        const variable = child.module.variables[name] ?? {};
        if (!("default" in variable))
          throw new TerraformError(`${prefix.slice(0, -1)}: the required variable ${name} is not passed`);
        return evaluateExpression(variable.default, {});
      },
      parent.region,
    );
    this.runs.set(prefix, made);
    return made;
  }

  /** Every instance of `run` and of the modules it calls, materialized, its preconditions checked. */
  collect(run: Run, into: { resources: Instance[]; data: Instance[] }): void {
    const { module } = run.config;
    for (const name of Object.keys(module.variables))
      this.check(`${run.prefix}var.${name}`, () => (run.scope.var as Record<string, Value>)[name]);
    for (const name of Object.keys(module.locals))
      this.check(`${run.prefix}local.${name}`, () =>
        plain((run.scope.local as Record<string, Value>)[name] ?? null),
      );
    for (const mode of ["managed", "data"] as const) {
      const blocks = mode === "managed" ? module.resources : module.data;
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, block] of Object.entries(byName)) {
          const base = `${run.prefix}${mode === "data" ? "data." : ""}${type}.${name}`;
          this.check(base, () => {
            const expansion = this.expansion(block, run.scope, base);
            const value = this.resource(run, mode, type, name);
            const keyed: [string | number | undefined, Value][] =
              expansion.kind === "single"
                ? [[undefined, value]]
                : expansion.kind === "count"
                  ? (value as Value[]).map((item, index) => [index, item])
                  : Object.entries(value as Record<string, Value>);
            for (const [key, instance] of keyed) {
              const address =
                key === undefined ? base : `${base}[${typeof key === "number" ? key : JSON.stringify(key)}]`;
              this.check(address, () => {
                const values = plain(instance) as Record<string, Value>;
                const binding: Record<string, Value> =
                  expansion.kind === "count"
                    ? { count: { index: key as number } }
                    : expansion.kind === "for_each"
                      ? { each: { key: key as string, value: expansion.values[key as string] ?? null } }
                      : {};
                this.preconditions(block, { ...run.scope, ...binding, self: values }, address);
                (mode === "managed" ? into.resources : into.data).push({
                  address,
                  module: run.prefix.slice(0, -1),
                  mode,
                  type,
                  name,
                  key,
                  region: typeof values.region === "string" ? values.region : run.region,
                  values,
                  dependsOn: ((block.depends_on ?? []) as string[]).map((reference) =>
                    reference.replace(/^\$\{([\s\S]*)\}$/, "$1"),
                  ),
                });
              });
            }
          });
        }
      }
    }
    for (const [call, block] of Object.entries(module.modules)) {
      const child = run.config.children[call] as Configuration;
      const base = `${run.prefix}module.${call}`;
      this.check(base, () => {
        const expansion = this.expansion(block, run.scope, base);
        const keys: (string | number | undefined)[] =
          expansion.kind === "single" ? [undefined] : expansion.keys;
        for (const key of keys) {
          const address =
            key === undefined ? base : `${base}[${typeof key === "number" ? key : JSON.stringify(key)}]`;
          const binding: Record<string, Value> =
            expansion.kind === "count"
              ? { count: { index: key as number } }
              : expansion.kind === "for_each"
                ? { each: { key: key as string, value: expansion.values[key as string] ?? null } }
                : {};
          const inner = this.callRun(run, block, child, `${address}.`, { ...run.scope, ...binding });
          this.collect(inner, into);
          for (const [name, output] of Object.entries(child.module.outputs))
            this.preconditions(output, inner.scope, `${address}.output.${name}`);
        }
      });
    }
  }

  /** The lifecycle preconditions of `block` (or an output's), each that fails a problem. */
  preconditions(block: Block, scope: Readonly<Record<string, Value>>, address: string): void {
    const holders = "lifecycle" in block ? nestedAll(block, "lifecycle") : [block];
    for (const holder of holders)
      for (const precondition of nestedAll(holder, "precondition"))
        if (evaluateExpression(precondition.condition, scope) !== true)
          this.problems.push(`${address}: precondition failed: ${String(precondition.error_message)}`);
  }

  /** Runs `step`; Terraform's error in it is a problem of `address`, anything else goes through. */
  check(address: string, step: () => unknown): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof TerraformError)) throw error;
      this.problems.push(`${address}: ${error.message}`);
    }
  }
}

/** The value of argument or nested block `name` of a body: an expression, or its blocks (dynamic ones expanded). */
function argument(body: Block, name: string, scope: Readonly<Record<string, Value>>): Value {
  const given = body[name];
  const dynamic = isRecord(body.dynamic) ? (body.dynamic[name] as Block[] | undefined) : undefined;
  if (!isBlockList(given) && dynamic === undefined) return evaluateExpression(given, scope);
  const blocks: Value[] = isBlockList(given) ? given.map((nestedBody) => blockValue(nestedBody, scope)) : [];
  for (const definition of dynamic ?? []) {
    const iterator = definition.iterator === undefined ? name : String(definition.iterator);
    const collection = evaluateExpression(definition.for_each, scope);
    const entries: [Value, Value][] = Array.isArray(collection)
      ? (collection as Value[]).map((item, index) => [index, item])
      : isRecord(collection)
        ? Object.keys(collection)
            .sort()
            .map((key) => [key, (collection as Record<string, Value>)[key] ?? null])
        : [];
    for (const [key, value] of entries) {
      for (const content of nestedAll(definition, "content"))
        blocks.push(blockValue(content, { ...scope, [iterator]: { key, value } }));
    }
  }
  return blocks;
}

/** A nested block's arguments and blocks, evaluated. */
function blockValue(body: Block, scope: Readonly<Record<string, Value>>): Value {
  const names = [
    ...Object.keys(body).filter((key) => key !== "dynamic"),
    ...Object.keys(isRecord(body.dynamic) ? body.dynamic : {}).filter((key) => !(key in body)),
  ];
  return Object.fromEntries(names.map((name) => [name, argument(body, name, scope)]));
}

/**
 * The plan of `config` for the root variables `vars` in `world`; what terraform plan would refuse throws a
 * PlanError that lists every problem. A file the configuration reads that does not exist gets a placeholder and is
 * listed in `missingFiles` (the function's build artifact may not be in a checkout of the branch yet).
 *
 * @example
 * ```ts
 * const planned = plan(await loadConfiguration("terraform"), { create_notifications: true });
 * planned.resources.filter((r) => r.type === "aws_iam_role").map((r) => r.values.name);
 * ```
 */
export function plan(
  config: Configuration,
  vars: Readonly<Record<string, Value>>,
  world: World = WORLD,
): Plan {
  const planner = new Planner(world);
  const { module } = config;
  for (const name of Object.keys(vars))
    if (!(name in module.variables)) planner.problems.push(`var.${name}: no such variable in ${config.dir}`);
  const provider = (module.providers.aws ?? []).find((block) => block.alias === undefined);
  return withMissingFiles(
    (path) => {
      planner.missingFiles.add(normalize(path));
      return `<missing file ${normalize(path)}>`;
    },
    () => {
      const variable = (name: string): Value => {
        if (name in vars) return vars[name] ?? null;
        const block = module.variables[name] ?? {};
        if (!("default" in block)) throw new TerraformError(`var.${name}: no value given and no default`);
        return evaluateExpression(block.default, {});
      };
      // The provider's region (an example's var.region), else the world's: that of every resource without its own.
      const variables = planner.run(config, "", variable, world.region).scope.var ?? null;
      const given =
        provider?.region === undefined ? null : evaluateExpression(provider.region, { var: variables });
      const rooted = planner.run(config, "", variable, typeof given === "string" ? given : world.region);
      const into = { resources: [] as Instance[], data: [] as Instance[] };
      planner.collect(rooted, into);
      const outputs: Record<string, Value> = {};
      for (const [name, output] of Object.entries(module.outputs)) {
        planner.check(`output.${name}`, () => {
          outputs[name] = plain(evaluateExpression(output.value, rooted.scope));
          planner.preconditions(output, rooted.scope, `output.${name}`);
        });
      }
      if (planner.problems.length > 0) throw new PlanError([...new Set(planner.problems)]);
      return { ...into, outputs, missingFiles: [...planner.missingFiles].sort() };
    },
  );
}

/**
 * The plan of the configuration in `dir` (loadConfiguration, then plan).
 *
 * @example
 * ```ts
 * const planned = await renderPlan("terraform/examples/single-account", { notification_emails: ["a@example.com"] });
 * ```
 */
export async function renderPlan(
  dir: string,
  vars: Readonly<Record<string, Value>> = {},
  world: World = WORLD,
): Promise<Plan> {
  return plan(await loadConfiguration(dir), vars, world);
}

/**
 * Checks a CloudFormation template (JSON, or YAML parsed with cfn.ts into the long form of its intrinsics) against
 * CloudFormation's own resource specification, as the maintained package @aws-cdk/aws-service-spec publishes it (the
 * CloudFormation registry schemas): every resource type exists; every property exists, has the type the
 * specification gives (strings, numbers, booleans, lists, maps and nested types, recursively, and the allowed values
 * where it lists them); required properties are present; `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If`, `DependsOn` and
 * `Condition` name what the template declares (or a pseudo parameter), and a `Fn::GetAtt` an attribute the
 * specification lists for that type. The template's own anatomy follows the CloudFormation User Guide ("Template
 * format" and its section pages: Description at most 1,024 bytes, alphanumeric logical IDs, the attributes a
 * resource, parameter and output may have).
 */
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";
import type { PropertyType, ResourceProperties, SpecDatabase } from "@aws-cdk/service-spec-types";

/** A problem found in a template: where (`Resources.Rule.Properties.Targets[0].RoleArn`) and what. */
export type TemplateProblem = string;

let database: Promise<SpecDatabase> | undefined;

/** CloudFormation's resource specification (loaded once). */
export function cloudFormationSpec(): Promise<SpecDatabase> {
  database ??= loadAwsServiceSpec();
  return database;
}

/** Top-level sections of a template (CloudFormation User Guide, "Template format"). */
const SECTIONS = new Set([
  "AWSTemplateFormatVersion",
  "Description",
  "Metadata",
  "Parameters",
  "Rules",
  "Mappings",
  "Conditions",
  "Transform",
  "Resources",
  "Outputs",
]);

/** Attributes of a resource declaration (User Guide, "Resources" and "Resource attribute reference"). */
const RESOURCE_KEYS = new Set([
  "Type",
  "Properties",
  "DependsOn",
  "Condition",
  "DeletionPolicy",
  "UpdateReplacePolicy",
  "UpdatePolicy",
  "CreationPolicy",
  "Metadata",
]);

/** Properties of a parameter (User Guide, "Parameters"). */
const PARAMETER_KEYS = new Set([
  "Type",
  "Default",
  "AllowedValues",
  "AllowedPattern",
  "ConstraintDescription",
  "Description",
  "MaxLength",
  "MaxValue",
  "MinLength",
  "MinValue",
  "NoEcho",
]);

/** Parameter types that are not AWS-specific (User Guide, "Parameters", Type). */
const PARAMETER_TYPES = new Set(["String", "Number", "List<Number>", "CommaDelimitedList"]);

/** Properties of an output (User Guide, "Outputs"). */
const OUTPUT_KEYS = new Set(["Description", "Value", "Export", "Condition"]);

/** Pseudo parameters (User Guide, "Pseudo parameters reference"). */
const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

/** Intrinsic functions a template may use in resource properties and outputs (User Guide, "Intrinsic function reference"). */
const PROPERTY_INTRINSICS = new Set([
  "Ref",
  "Fn::GetAtt",
  "Fn::Sub",
  "Fn::Join",
  "Fn::If",
  "Fn::Select",
  "Fn::Split",
  "Fn::Base64",
  "Fn::GetAZs",
  "Fn::ImportValue",
  "Fn::FindInMap",
  "Fn::Cidr",
]);

/** Condition functions, allowed in the Conditions section (and as Fn::If's first argument's definition). */
const CONDITION_INTRINSICS = new Set(["Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition"]);

/** Logical IDs (resources, parameters, outputs): alphanumeric (User Guide, "Resources", Logical ID). */
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/** The most bytes of a template's Description (User Guide, "Description"). */
export const TEMPLATE_DESCRIPTION_MAX_BYTES = 1024;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The intrinsic function a value is (`{ "Fn::Sub": ... }` -> "Fn::Sub"), if it is one. */
function intrinsicOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) return undefined;
  return key === "Ref" || key === "Condition" || key.startsWith("Fn::") ? key : undefined;
}

/** What a template declares, for resolving references. */
interface Declared {
  readonly parameters: ReadonlySet<string>;
  readonly resources: Readonly<Record<string, string>>; // logical ID -> type
  readonly conditions: ReadonlySet<string>;
  readonly mappings: ReadonlySet<string>;
}

/** What an intrinsic gives: a string, a list of strings, or a value of a property type (a GetAtt). */
type Result = { kind: "string" } | { kind: "list" } | { kind: "typed"; type: PropertyType } | { kind: "any" };

/** Checks templates against one specification database. */
class Checker {
  readonly problems: TemplateProblem[] = [];
  /** Every property key path the specification typed (not inside a `json` value), for mutation tests. */
  readonly typedPaths: string[][] = [];

  constructor(
    private readonly db: SpecDatabase,
    private readonly declared: Declared,
  ) {}

  private report(where: string, what: string): void {
    this.problems.push(`${where}: ${what}`);
  }

  private referable(name: string): boolean {
    return (
      PSEUDO_PARAMETERS.has(name) || this.declared.parameters.has(name) || name in this.declared.resources
    );
  }

  /** Checks `Fn::GetAtt` of `logicalId`.`attribute` and gives the attribute's type. */
  private getAtt(where: string, logicalId: string, attribute: string): Result {
    const type = this.declared.resources[logicalId];
    if (type === undefined) {
      this.report(where, `Fn::GetAtt of ${logicalId}, which is not a resource of the template`);
      return { kind: "any" };
    }
    const [resource] = this.db.lookup("resource", "cloudFormationType", "equals", type);
    const found = resource?.attributes[attribute];
    if (resource !== undefined && found === undefined) {
      const known = Object.keys(resource.attributes).join(", ");
      this.report(
        where,
        `Fn::GetAtt ${logicalId}.${attribute}: ${type} has no attribute ${attribute} (it has ${known})`,
      );
      return { kind: "any" };
    }
    return found === undefined ? { kind: "any" } : { kind: "typed", type: found.type };
  }

  /** The variables of a `Fn::Sub` string: `${Name}`, `${Res.Attr}`; `${!Literal}` is literal text. */
  private subVariables(text: string): string[] {
    return [...text.matchAll(/\$\{([^}]*)\}/g)]
      .map(([, name = ""]) => name)
      .filter((name) => !name.startsWith("!"))
      .map((name) => name.trim());
  }

  /** Checks an intrinsic function (`name` with `argument`) and what it gives. */
  intrinsic(where: string, name: string, argument: unknown, inConditions = false): Result {
    const at = `${where}.${name}`;
    const allowed = inConditions
      ? CONDITION_INTRINSICS.has(name) || name === "Ref"
      : PROPERTY_INTRINSICS.has(name);
    if (!allowed) {
      this.report(where, `${name} is not an intrinsic function CloudFormation takes here`);
      return { kind: "any" };
    }
    const list = (count: number): unknown[] => {
      if (Array.isArray(argument) && argument.length === count) return argument;
      this.report(at, `takes a list of ${count} arguments, not ${JSON.stringify(argument)}`);
      return [];
    };
    switch (name) {
      case "Ref":
        if (typeof argument !== "string") this.report(at, "takes a logical ID or parameter name");
        else if (!this.referable(argument))
          this.report(at, `${argument} is neither a parameter, a resource nor a pseudo parameter`);
        return { kind: "string" };
      case "Fn::GetAtt": {
        const parts = typeof argument === "string" ? argument.split(/\.(.*)/s, 2) : argument;
        if (!Array.isArray(parts) || parts.length !== 2 || parts.some((part) => typeof part !== "string")) {
          this.report(at, `takes [logicalId, attribute], not ${JSON.stringify(argument)}`);
          return { kind: "any" };
        }
        return this.getAtt(at, String(parts[0]), String(parts[1]));
      }
      case "Fn::Sub": {
        const [text, variables] = typeof argument === "string" ? [argument, {}] : list(2);
        if (typeof text !== "string" || !isObject(variables)) {
          this.report(at, "takes a string, or [string, { variables }]");
          return { kind: "string" };
        }
        for (const [variable, value] of Object.entries(variables)) this.value(`${at}.${variable}`, value);
        for (const variable of this.subVariables(text)) {
          if (variable in variables || this.referable(variable)) continue;
          const [logicalId = "", attribute] = variable.split(/\.(.*)/s, 2);
          if (attribute !== undefined && logicalId in this.declared.resources)
            this.getAtt(at, logicalId, attribute);
          else this.report(at, `\${${variable}} names no parameter, resource, attribute or variable`);
        }
        return { kind: "string" };
      }
      case "Fn::Join": {
        const [delimiter, items] = list(2);
        if (typeof delimiter !== "string") this.report(at, "the delimiter must be a string");
        if (intrinsicOf(items) === undefined && !Array.isArray(items)) this.report(at, "joins a list");
        this.value(`${at}[1]`, items);
        return { kind: "string" };
      }
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = list(3);
        if (typeof condition !== "string" || !this.declared.conditions.has(condition))
          this.report(at, `${JSON.stringify(condition)} is not a condition of the template`);
        this.value(`${at}[1]`, whenTrue);
        this.value(`${at}[2]`, whenFalse);
        return { kind: "any" };
      }
      case "Fn::FindInMap": {
        const [map, ...keys] = list(3);
        if (typeof map !== "string" || !this.declared.mappings.has(map))
          this.report(at, `${JSON.stringify(map)} is not a mapping`);
        for (const key of keys) this.value(at, key);
        return { kind: "string" };
      }
      case "Fn::Split":
      case "Fn::GetAZs":
      case "Fn::Cidr":
        this.value(at, argument);
        return { kind: "list" };
      case "Condition":
        if (typeof argument !== "string" || !this.declared.conditions.has(argument))
          this.report(at, `${JSON.stringify(argument)} is not a condition of the template`);
        return { kind: "any" };
      default:
        this.value(at, argument, inConditions);
        return name === "Fn::Select" ? { kind: "any" } : { kind: "string" };
    }
  }

  /** Checks every intrinsic anywhere in an untyped value (a `json` property, an output, a condition). */
  value(where: string, value: unknown, inConditions = false): void {
    const name = intrinsicOf(value);
    if (name !== undefined) {
      this.intrinsic(where, name, (value as Record<string, unknown>)[name], inConditions);
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) this.value(`${where}[${index}]`, item, inConditions);
    } else if (isObject(value))
      for (const [key, item] of Object.entries(value)) this.value(`${where}.${key}`, item, inConditions);
  }

  /** Whether a checked value `value` fits a property of type `type` (problems reported under `where`). */
  typed(where: string, path: string[], value: unknown, type: PropertyType): void {
    const name = intrinsicOf(value);
    if (name !== undefined) {
      const result = this.intrinsic(where, name, (value as Record<string, unknown>)[name]);
      if (name === "Fn::If") {
        const [, whenTrue, whenFalse] = (value as Record<string, unknown[]>)[name] ?? [];
        for (const branch of [whenTrue, whenFalse])
          if (intrinsicOf(branch) !== "Ref" || (branch as Record<string, unknown>).Ref !== "AWS::NoValue")
            this.typed(where, path, branch, type);
        return;
      }
      this.fits(where, result, type);
      return;
    }
    switch (type.type) {
      case "string":
      case "date-time":
        if (typeof value !== "string") this.report(where, `${JSON.stringify(value)} is not a string`);
        else if (
          type.type === "string" &&
          type.allowedValues !== undefined &&
          !type.allowedValues.includes(value)
        )
          this.report(where, `${JSON.stringify(value)} is not one of ${type.allowedValues.join(", ")}`);
        return;
      case "integer":
        if (!Number.isInteger(value)) this.report(where, `${JSON.stringify(value)} is not an integer`);
        else if (type.allowedValues !== undefined && !type.allowedValues.includes(value as number))
          this.report(where, `${JSON.stringify(value)} is not one of ${type.allowedValues.join(", ")}`);
        return;
      case "number":
        if (typeof value !== "number") this.report(where, `${JSON.stringify(value)} is not a number`);
        return;
      case "boolean":
        if (typeof value !== "boolean") this.report(where, `${JSON.stringify(value)} is not a boolean`);
        return;
      case "null":
        if (value !== null) this.report(where, `${JSON.stringify(value)} is not null`);
        return;
      case "json":
        if (!isObject(value) && !Array.isArray(value))
          this.report(where, `${JSON.stringify(value)} is not a JSON object`);
        this.value(where, value);
        return;
      case "tag":
        this.properties(where, path, value, {
          Key: { type: { type: "string" }, required: true },
          Value: { type: { type: "string" }, required: true },
        });
        return;
      case "array":
        if (!Array.isArray(value)) {
          this.report(where, `${JSON.stringify(value)} is not a list`);
          return;
        }
        for (const [index, item] of value.entries())
          this.typed(`${where}[${index}]`, [...path, String(index)], item, type.element);
        return;
      case "map":
        if (!isObject(value)) {
          this.report(where, `${JSON.stringify(value)} is not a map`);
          return;
        }
        for (const [key, item] of Object.entries(value))
          this.typed(`${where}.${key}`, [...path, key], item, type.element);
        return;
      case "ref":
        this.properties(where, path, value, this.db.get("typeDefinition", type.reference.$ref).properties);
        return;
      case "union": {
        // One of the types must fit: the first without problems wins, else every member's problems are reported.
        const before = this.problems.length;
        const paths = this.typedPaths.length;
        const attempts = type.types.map((member) => {
          this.typed(where, path, value, member);
          return this.problems.splice(before);
        });
        if (attempts.some((problems) => problems.length === 0)) {
          this.typedPaths.splice(paths);
          return;
        }
        this.problems.push(...attempts.flat());
        return;
      }
      default:
        this.report(where, `type ${JSON.stringify(type)} is not known to this checker`);
    }
  }

  /** Whether what an intrinsic gives can be a value of `type` (CloudFormation converts a string to a number or boolean). */
  private fits(where: string, result: Result, type: PropertyType): void {
    if (result.kind === "any" || type.type === "json" || type.type === "union") return;
    const scalar = ["string", "integer", "number", "boolean", "date-time"].includes(type.type);
    if (result.kind === "string" && !scalar)
      this.report(where, `an intrinsic that gives a string, where ${type.type} is expected`);
    if (result.kind === "list" && type.type !== "array")
      this.report(where, `an intrinsic that gives a list, where ${type.type} is expected`);
    if (result.kind === "typed" && (result.type.type === "array") !== (type.type === "array"))
      this.report(where, `an attribute of type ${result.type.type}, where ${type.type} is expected`);
  }

  /** Checks an object of properties against their specification: names, required ones, types. */
  properties(where: string, path: string[], value: unknown, spec: ResourceProperties): void {
    if (!isObject(value)) {
      this.report(where, `${JSON.stringify(value)} is not an object of properties`);
      return;
    }
    for (const [name, property] of Object.entries(spec))
      if (property.required === true && !(name in value))
        this.report(where, `required property ${name} is missing`);
    for (const [name, item] of Object.entries(value)) {
      const property = spec[name];
      if (property === undefined) {
        this.report(
          `${where}.${name}`,
          `no such property (the specification has ${Object.keys(spec).join(", ")})`,
        );
        continue;
      }
      this.typedPaths.push([...path, name]);
      this.typed(`${where}.${name}`, [...path, name], item, property.type);
    }
  }
}

/**
 * The problems of a CloudFormation template, checked against the resource specification `db`. An empty list means
 * every resource type, property, type, reference and section is what CloudFormation documents.
 *
 * @example
 * ```ts
 * templateProblems({ Resources: { R: { Type: "AWS::SNS::Topic", Properties: { TopicNme: "x" } } } }, await cloudFormationSpec());
 * // ["Resources.R.Properties.TopicNme: no such property (the specification has ...)"]
 * ```
 */
export function templateProblems(template: unknown, db: SpecDatabase): TemplateProblem[] {
  return check(template, db).problems;
}

/**
 * Where a path of typedPropertyPaths() is reported: `["Rule", "Properties", "Targets", "0", "Id"]` ->
 * `Resources.Rule.Properties.Targets[0].Id`.
 */
export function propertyPathName(path: readonly string[]): string {
  return path.reduce((name, key) => (/^\d+$/.test(key) ? `${name}[${key}]` : `${name}.${key}`), "Resources");
}

/** Every property key path of a template's resources that the specification types, as [logicalId, "Properties", ...]. */
export function typedPropertyPaths(template: unknown, db: SpecDatabase): string[][] {
  return check(template, db).typedPaths;
}

function check(template: unknown, db: SpecDatabase): Checker {
  const section = (name: string): Record<string, unknown> => {
    const value = isObject(template) ? template[name] : undefined;
    return isObject(value) ? value : {};
  };
  const resources = section("Resources");
  const declared: Declared = {
    parameters: new Set(Object.keys(section("Parameters"))),
    resources: Object.fromEntries(
      Object.entries(resources).map(([id, resource]) => [
        id,
        isObject(resource) ? String(resource.Type) : "",
      ]),
    ),
    conditions: new Set(Object.keys(section("Conditions"))),
    mappings: new Set(Object.keys(section("Mappings"))),
  };
  const checker = new Checker(db, declared);
  const report = (where: string, what: string) => checker.problems.push(`${where}: ${what}`);
  if (!isObject(template)) {
    report("template", "is not an object");
    return checker;
  }
  for (const key of Object.keys(template))
    if (!SECTIONS.has(key)) report(key, "is not a section of a template");
  if ("AWSTemplateFormatVersion" in template && template.AWSTemplateFormatVersion !== "2010-09-09")
    report("AWSTemplateFormatVersion", "the only version is 2010-09-09");
  if ("Description" in template) {
    const description = template.Description;
    if (typeof description !== "string") report("Description", "must be a literal string");
    else if (Buffer.byteLength(description) > TEMPLATE_DESCRIPTION_MAX_BYTES)
      report(
        "Description",
        `${Buffer.byteLength(description)} bytes, more than ${TEMPLATE_DESCRIPTION_MAX_BYTES}`,
      );
  }
  for (const [name, parameter] of Object.entries(section("Parameters"))) {
    const where = `Parameters.${name}`;
    if (!LOGICAL_ID.test(name)) report(where, "a parameter name is alphanumeric");
    if (!isObject(parameter)) {
      report(where, "is not an object");
      continue;
    }
    for (const key of Object.keys(parameter))
      if (!PARAMETER_KEYS.has(key)) report(`${where}.${key}`, "is not a parameter property");
    const type = String(parameter.Type);
    if (!PARAMETER_TYPES.has(type) && !type.startsWith("AWS::") && !type.startsWith("List<AWS::"))
      report(`${where}.Type`, `${type} is not a parameter type`);
    const fallback = parameter.Default;
    if (fallback !== undefined) {
      if (Array.isArray(parameter.AllowedValues) && !parameter.AllowedValues.includes(fallback))
        report(`${where}.Default`, "is not one of AllowedValues");
      if (
        typeof parameter.AllowedPattern === "string" &&
        !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(String(fallback))
      )
        report(`${where}.Default`, "does not match AllowedPattern");
    }
  }
  for (const [name, condition] of Object.entries(section("Conditions")))
    checker.value(`Conditions.${name}`, condition, true);
  if (Object.keys(resources).length === 0) report("Resources", "a template declares at least one resource");
  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}`;
    if (!LOGICAL_ID.test(id)) report(where, "a logical ID is alphanumeric");
    if (!isObject(resource)) {
      report(where, "is not an object");
      continue;
    }
    for (const key of Object.keys(resource))
      if (!RESOURCE_KEYS.has(key)) report(`${where}.${key}`, "is not a resource attribute");
    const dependsOn = resource.DependsOn;
    for (const name of typeof dependsOn === "string"
      ? [dependsOn]
      : Array.isArray(dependsOn)
        ? dependsOn
        : [])
      if (typeof name !== "string" || !(name in resources) || name === id)
        report(`${where}.DependsOn`, `${JSON.stringify(name)} is not another resource of the template`);
    if (dependsOn !== undefined && typeof dependsOn !== "string" && !Array.isArray(dependsOn))
      report(`${where}.DependsOn`, "is a logical ID or a list of them");
    if ("Condition" in resource && !declared.conditions.has(String(resource.Condition)))
      report(
        `${where}.Condition`,
        `${JSON.stringify(resource.Condition)} is not a condition of the template`,
      );
    const [spec] = db.lookup("resource", "cloudFormationType", "equals", String(resource.Type));
    if (spec === undefined) {
      report(
        `${where}.Type`,
        `${JSON.stringify(resource.Type)} is not a resource type of the CloudFormation specification`,
      );
      continue;
    }
    checker.properties(`${where}.Properties`, [id, "Properties"], resource.Properties ?? {}, spec.properties);
  }
  for (const [name, output] of Object.entries(section("Outputs"))) {
    const where = `Outputs.${name}`;
    if (!LOGICAL_ID.test(name)) report(where, "an output's logical ID is alphanumeric");
    if (!isObject(output) || !("Value" in output)) {
      report(where, "an output has a Value");
      continue;
    }
    for (const key of Object.keys(output))
      if (!OUTPUT_KEYS.has(key)) report(`${where}.${key}`, "is not an output property");
    checker.value(`${where}.Value`, output.Value);
  }
  return checker;
}

/** A JSON value parsed from a template body. */
export type TemplateJson = Json;

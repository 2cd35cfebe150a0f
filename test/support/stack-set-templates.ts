/**
 * The CloudFormation templates the organization module's StackSets deploy, as CloudFormation creates their
 * resources in a member account and region: the template bodies a plan gives, and the intrinsic functions the
 * templates use (Ref of a pseudo parameter, Fn::Sub, Fn::GetAtt of a role's Arn) resolved for that account and
 * region, so a test can hold the policies and names AWS will receive to its rules.
 */
import type { Value } from "./hcl-expression.ts";
import type { Instance, Plan } from "./plan.ts";

/** A CloudFormation template, as JSON. */
export interface Template {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties: Record<string, Value> }>
  >;
  readonly Outputs?: Readonly<Record<string, Value>>;
}

/** The account and region a stack instance is created in. */
export interface StackContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Every StackSet of `plan`, with its parsed template and the regions its stack instances deploy to.
 *
 * @example
 * ```ts
 * stackSets(planned).map(({ name, regions }) => `${name}: ${regions.join(",")}`);
 * ```
 */
export function stackSets(
  plan: Plan,
): { name: string; stackSet: Instance; template: Template; regions: string[] }[] {
  return plan.resources
    .filter((resource) => resource.type === "aws_cloudformation_stack_set")
    .map((stackSet) => {
      const name = String(stackSet.values.name);
      const regions = plan.resources
        .filter(
          (resource) =>
            (resource.type === "aws_cloudformation_stack_instances" ||
              resource.type === "aws_cloudformation_stack_set_instance") &&
            resource.values.stack_set_name === name,
        )
        .flatMap((instances) =>
          instances.type === "aws_cloudformation_stack_instances"
            ? ((instances.values.regions ?? [instances.region]) as string[])
            : [String(instances.values.stack_set_instance_region ?? instances.region)],
        );
      return {
        name,
        stackSet,
        template: JSON.parse(String(stackSet.values.template_body)) as Template,
        regions,
      };
    });
}

/**
 * `value` with the intrinsic functions of `template` resolved in `context`: Ref of AWS::AccountId, AWS::Partition,
 * AWS::Region and of a resource, Fn::Sub (string form), Fn::GetAtt [resource, "Arn"] of an AWS::IAM::Role. Any
 * other function throws: the templates would have changed beyond what a test here reads.
 *
 * @example
 * ```ts
 * resolve({ "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" }, template, context);
 * ```
 */
export function resolve(value: Value, template: Template, context: StackContext): Value {
  const pseudo: Record<string, string> = {
    "AWS::AccountId": context.accountId,
    "AWS::Partition": context.partition,
    "AWS::Region": context.region,
  };
  const refer = (name: string): string => {
    if (name in pseudo) return pseudo[name] as string;
    const resource = template.Resources[name];
    if (resource?.Type === "AWS::IAM::Role") return String(resource.Properties.RoleName);
    throw new Error(`Ref ${name}: not resolved here`);
  };
  if (Array.isArray(value)) return (value as Value[]).map((item) => resolve(item, template, context));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, Value>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === "Ref") return refer(String(record.Ref));
  if (keys.length === 1 && keys[0] === "Fn::Sub") {
    if (typeof record["Fn::Sub"] !== "string") throw new Error("Fn::Sub with variables: not resolved here");
    return record["Fn::Sub"].replace(/\$\{([^}]+)\}/g, (_, name: string) => refer(name));
  }
  if (keys.length === 1 && keys[0] === "Fn::GetAtt") {
    const [logicalId, attribute] = record["Fn::GetAtt"] as string[];
    const resource = template.Resources[logicalId ?? ""];
    if (resource?.Type !== "AWS::IAM::Role" || attribute !== "Arn")
      throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: not resolved here`);
    return `arn:${context.partition}:iam::${context.accountId}:role/${String(resource.Properties.RoleName)}`;
  }
  if (keys.some((key) => key.startsWith("Fn::"))) throw new Error(`${keys.join()}: not resolved here`);
  return Object.fromEntries(keys.map((key) => [key, resolve(record[key] ?? null, template, context)]));
}

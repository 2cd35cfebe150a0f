/**
 * The attributes AWS (and the provider) give a resource or data source that its arguments do not: ARNs, ids, the
 * key id of a key, the rule id of a Config rule. Each ARN has the format of the resource type's "ARN" in the
 * Service Authorization Reference (arn:<partition>:<service>:<region>:<account>:<resource>), built from the
 * instance's own arguments, so a policy that names a resource holds what AWS will compare. Values AWS draws at
 * random (key ids, rule ids, StackSet ids) are fixed, made-up ones of the right shape.
 */
import { createHash } from "node:crypto";
import type { Value } from "./hcl-expression.ts";

/** The account, region, partition and organization a plan is made in. */
export interface World {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly organization: {
    readonly id: string;
    readonly masterAccountId: string;
    /** The root's ID; "" where it cannot be read (a delegated administrator). */
    readonly rootId: string;
  };
}

/**
 * A management account in eu-west-1, in the commercial partition.
 *
 * @example
 * ```ts
 * const world: World = { ...WORLD, region: "ap-southeast-5" };
 * ```
 */
export const WORLD: World = {
  accountId: "123456789012",
  region: "eu-west-1",
  partition: "aws",
  organization: { id: "o-a1b2c3d4e5", masterAccountId: "123456789012", rootId: "r-ab12" },
};

type Arguments = Readonly<Record<string, Value>>;

/** What an attribute is computed from: the instance's arguments, the world, the instance's region. */
interface Context {
  readonly args: Arguments;
  readonly world: World;
  readonly region: string;
  readonly address: string;
}

/**
 * A made-up identifier of `length` lowercase hex digits, the same for the same resource whatever module instance
 * holds it (an example's module call plans the module's resources under a longer address).
 */
const made = (address: string, length: number): string =>
  createHash("sha256")
    .update(address.replace(/^(module\.[^.]+(\[[^\]]+\])?\.)+/, ""))
    .digest("hex")
    .slice(0, length);

const uuid = (address: string): string => {
  const hex = made(address, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const arn = (c: Context, service: string, resource: string, region = c.region, account = c.world.accountId) =>
  `arn:${c.world.partition}:${service}:${region}:${account}:${resource}`;

const text = (value: Value | undefined): string => (value == null ? "" : String(value));

/** The computed attributes of each resource type the modules create, by attribute. */
const RESOURCES: Record<string, Record<string, (c: Context) => Value>> = {
  aws_iam_role: {
    arn: (c) => arn(c, "iam", `role${text(c.args.path) || "/"}${text(c.args.name)}`, ""),
    id: (c) => text(c.args.name),
    unique_id: (c) => `AROA${made(c.address, 17).toUpperCase()}`,
  },
  aws_iam_role_policy: { id: (c) => `${text(c.args.role)}:${text(c.args.name)}` },
  aws_iam_role_policy_attachment: { id: (c) => `${text(c.args.role)}-${made(c.address, 8)}` },
  aws_cloudwatch_log_group: {
    arn: (c) => arn(c, "logs", `log-group:${text(c.args.name)}`),
    id: (c) => text(c.args.name),
  },
  aws_lambda_function: {
    arn: (c) => arn(c, "lambda", `function:${text(c.args.function_name)}`),
    qualified_arn: (c) => arn(c, "lambda", `function:${text(c.args.function_name)}:$LATEST`),
    version: () => "$LATEST",
    id: (c) => text(c.args.function_name),
  },
  aws_lambda_permission: { id: (c) => text(c.args.statement_id) },
  aws_lambda_function_event_invoke_config: { id: (c) => text(c.args.function_name) },
  aws_config_config_rule: {
    arn: (c) => arn(c, "config", `config-rule/config-rule-${made(c.address, 6)}`),
    rule_id: (c) => `config-rule-${made(c.address, 6)}`,
    id: (c) => text(c.args.name),
  },
  aws_config_organization_custom_rule: {
    arn: (c) => arn(c, "config", `organization-config-rule/${text(c.args.name)}-${made(c.address, 8)}`),
    id: (c) => text(c.args.name),
  },
  aws_config_configuration_recorder: { id: (c) => text(c.args.name) },
  aws_config_configuration_recorder_status: { id: (c) => text(c.args.name) },
  aws_config_delivery_channel: { id: (c) => text(c.args.name) },
  aws_config_conformance_pack: {
    arn: (c) =>
      arn(c, "config", `conformance-pack/${text(c.args.name)}/conformance-pack-${made(c.address, 9)}`),
    id: (c) => text(c.args.name),
  },
  aws_config_organization_conformance_pack: {
    arn: (c) => arn(c, "config", `organization-conformance-pack/${text(c.args.name)}-${made(c.address, 8)}`),
    id: (c) => text(c.args.name),
  },
  aws_config_configuration_aggregator: {
    arn: (c) => arn(c, "config", `config-aggregator/config-aggregator-${made(c.address, 8)}`),
    id: (c) => text(c.args.name),
  },
  aws_s3_bucket: {
    arn: (c) => `arn:${c.world.partition}:s3:::${text(c.args.bucket)}`,
    id: (c) => text(c.args.bucket),
    bucket: (c) => text(c.args.bucket),
  },
  aws_s3_bucket_public_access_block: { id: (c) => text(c.args.bucket) },
  aws_s3_bucket_ownership_controls: { id: (c) => text(c.args.bucket) },
  aws_s3_bucket_server_side_encryption_configuration: { id: (c) => text(c.args.bucket) },
  aws_s3_bucket_versioning: { id: (c) => text(c.args.bucket) },
  aws_s3_bucket_lifecycle_configuration: { id: (c) => text(c.args.bucket) },
  aws_s3_bucket_policy: { id: (c) => text(c.args.bucket) },
  aws_sns_topic: {
    arn: (c) => arn(c, "sns", text(c.args.name)),
    id: (c) => arn(c, "sns", text(c.args.name)),
  },
  aws_sns_topic_policy: { id: (c) => text(c.args.arn) },
  aws_sns_topic_subscription: {
    arn: (c) => `${text(c.args.topic_arn)}:${uuid(c.address)}`,
    id: (c) => `${text(c.args.topic_arn)}:${uuid(c.address)}`,
  },
  aws_kms_key: {
    arn: (c) => arn(c, "kms", `key/${uuid(c.address)}`),
    key_id: (c) => uuid(c.address),
    id: (c) => uuid(c.address),
  },
  aws_kms_alias: {
    arn: (c) => arn(c, "kms", text(c.args.name)),
    id: (c) => text(c.args.name),
  },
  aws_cloudwatch_event_rule: {
    // A rule on a custom bus has the bus's name in its ARN (EventBridge's rule ARN format).
    arn: (c) => {
      const bus = text(c.args.event_bus_name);
      return arn(c, "events", `rule/${bus === "" || bus === "default" ? "" : `${bus}/`}${text(c.args.name)}`);
    },
    id: (c) => text(c.args.name),
  },
  aws_cloudwatch_event_bus: {
    arn: (c) => arn(c, "events", `event-bus/${text(c.args.name)}`),
    id: (c) => text(c.args.name),
  },
  aws_cloudwatch_event_bus_policy: { id: (c) => text(c.args.event_bus_name) },
  aws_cloudwatch_event_target: { id: (c) => `${text(c.args.rule)}-${text(c.args.target_id)}` },
  aws_cloudwatch_metric_alarm: {
    arn: (c) => arn(c, "cloudwatch", `alarm:${text(c.args.alarm_name)}`),
    id: (c) => text(c.args.alarm_name),
  },
  aws_sfn_state_machine: {
    arn: (c) => arn(c, "states", `stateMachine:${text(c.args.name)}`),
    id: (c) => arn(c, "states", `stateMachine:${text(c.args.name)}`),
  },
  aws_cloudformation_stack_set: {
    arn: (c) => arn(c, "cloudformation", `stackset/${text(c.args.name)}:${uuid(c.address)}`),
    stack_set_id: (c) => `${text(c.args.name)}:${uuid(c.address)}`,
    id: (c) => text(c.args.name),
  },
  aws_cloudformation_stack_set_instance: {
    id: (c) => `${text(c.args.stack_set_name)},${text(c.args.stack_set_instance_region) || c.region}`,
  },
  aws_cloudformation_stack_instances: {
    id: (c) => `${text(c.args.stack_set_name)},${text(c.args.call_as) || "SELF"},OU`,
  },
};

/** The computed attributes of each data source the modules read. */
const DATA: Record<string, Record<string, (c: Context) => Value>> = {
  aws_partition: {
    partition: (c) => c.world.partition,
    dns_suffix: (c) => (c.world.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"),
    id: (c) => c.world.partition,
  },
  aws_caller_identity: {
    account_id: (c) => c.world.accountId,
    arn: (c) => `arn:${c.world.partition}:iam::${c.world.accountId}:user/terraform`,
    user_id: () => "AIDAEXAMPLEUSERID",
    id: (c) => c.world.accountId,
  },
  aws_region: {
    region: (c) => c.region,
    name: (c) => c.region,
    id: (c) => c.region,
  },
  aws_organizations_organization: {
    id: (c) => c.world.organization.id,
    master_account_id: (c) => c.world.organization.masterAccountId,
    arn: (c) =>
      `arn:${c.world.partition}:organizations::${c.world.organization.masterAccountId}:organization/${c.world.organization.id}`,
    feature_set: () => "ALL",
    // Only the management account reads the root (rootId ""): a delegated administrator gets none.
    roots: (c) =>
      c.world.organization.rootId === ""
        ? []
        : [
            {
              id: c.world.organization.rootId,
              name: "Root",
              arn: `arn:${c.world.partition}:organizations::${c.world.organization.masterAccountId}:root/${c.world.organization.id}/${c.world.organization.rootId}`,
            },
          ],
  },
};

/**
 * The names of the computed attributes of a resource (`mode` "managed") or data source of `type`, and a function
 * that computes one of them; a type not listed here throws, so a new resource type comes with its attributes.
 *
 * @example
 * ```ts
 * computedAttributes("managed", "aws_iam_role").arn?.({ args: { name: "r" }, world: WORLD, region: "eu-west-1", address: "aws_iam_role.r" });
 * ```
 */
export function computedAttributes(
  mode: "managed" | "data",
  type: string,
): Readonly<Record<string, (c: Context) => Value>> {
  const attributes = (mode === "managed" ? RESOURCES : DATA)[type];
  if (attributes === undefined)
    throw new Error(
      `${mode === "data" ? "data source" : "resource"} type ${type}: no computed attributes known`,
    );
  return attributes;
}

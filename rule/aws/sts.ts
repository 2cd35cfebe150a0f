import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AssumeRoleError, CallerIdentityError } from "../errors.ts";
import {
  CLIENT_SETTINGS,
  type ClientSettings,
  type RoleCredentials,
  requestHandlerOptions,
} from "./settings.ts";

/** The shortest session STS grants: an evaluation needs about a minute. */
export const SESSION_DURATION_SECONDS = 900;

/**
 * The role root-activity assumes in the evaluated account of an organization rule.
 *
 * @example
 * ```ts
 * memberRoleArn("aws", "444455556666", "root-activity-member"); // "arn:aws:iam::444455556666:role/root-activity-member"
 * ```
 */
export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * A session name that says who is calling (CloudTrail shows it in the member account): `root-activity` plus the
 * rule name, cut to STS's 64-character limit and charset.
 *
 * @example
 * ```ts
 * sessionName("org-root-activity"); // "root-activity-org-root-activity"
 * ```
 */
export function sessionName(configRuleName: string | undefined): string {
  const suffix = (configRuleName ?? "").replace(/[^\w+=,.@-]/g, "-");
  const name = suffix && suffix !== "root-activity" ? `root-activity-${suffix}` : "root-activity";
  return name.slice(0, 64);
}

/**
 * An STS client of the environment's credentials: the socket timeouts of IAM and Config, `maxAttempts` (3 by
 * default) in standard retry mode. `settings` are {@link CLIENT_SETTINGS} unless a test needs a shorter timeout.
 *
 * @example
 * ```ts
 * const sts = createStsClient();
 * ```
 */
export function createStsClient(settings: ClientSettings = CLIENT_SETTINGS, maxAttempts = 3): STSClient {
  return new STSClient({
    retryMode: "standard",
    maxAttempts,
    requestHandler: requestHandlerOptions(settings),
  });
}

let sts: STSClient | undefined;

function sharedSts(): STSClient {
  sts ??= createStsClient();
  return sts;
}

/**
 * Assumes `roleArn` with the Lambda's own credentials, for {@link SESSION_DURATION_SECONDS}. Throws
 * {@link AssumeRoleError} naming the role, the account and the likely fix.
 *
 * @example
 * ```ts
 * const credentials = await assumeMemberRole({ roleArn, accountId, sessionName: "root-activity" });
 * ```
 */
export async function assumeMemberRole(input: {
  roleArn: string;
  accountId: string;
  sessionName: string;
  abortSignal?: AbortSignal;
  /** Another STS client than the shared one (the organization scan's, with more attempts). */
  client?: STSClient;
}): Promise<RoleCredentials & { expiration: Date; retries?: number }> {
  const client = input.client ?? sharedSts();
  try {
    const output = await client.send(
      new AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        DurationSeconds: SESSION_DURATION_SECONDS,
      }),
      input.abortSignal ? { abortSignal: input.abortSignal } : {},
    );
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error("STS answered without credentials");
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
      // Throttling and 5xx the SDK retried inside the call.
      retries: Math.max(0, (output.$metadata.attempts ?? 1) - 1),
    };
  } catch (error) {
    throw new AssumeRoleError(input.roleArn, input.accountId, error);
  }
}

/** Who the current credentials are. */
export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  /** From the ARN: `aws`, `aws-us-gov`, `aws-cn`. */
  readonly partition: string;
}

/**
 * The current credentials' account, ARN and partition (`sts:GetCallerIdentity`, which needs no permission).
 * Throws {@link CallerIdentityError}.
 *
 * @example
 * ```ts
 * const me = await callerIdentity({}); // { accountId: "111122223333", partition: "aws", arn: "arn:aws:sts::…" }
 * ```
 */
export async function callerIdentity(input: {
  readonly abortSignal?: AbortSignal;
  /** Another STS client than a new one of the environment's credentials (closed by its owner). */
  readonly client?: STSClient;
}): Promise<CallerIdentity> {
  const sts = input.client ?? createStsClient();
  try {
    const output = await sts.send(
      new GetCallerIdentityCommand({}),
      input.abortSignal ? { abortSignal: input.abortSignal } : {},
    );
    const partition = /^arn:([\w-]+):/.exec(output.Arn ?? "")?.[1];
    if (!output.Account || !output.Arn || !partition)
      throw new Error("STS answered without an account or ARN");
    return { accountId: output.Account, arn: output.Arn, partition };
  } catch (error) {
    throw new CallerIdentityError(error);
  } finally {
    if (!input.client) sts.destroy();
  }
}

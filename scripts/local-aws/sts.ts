/**
 * STS: accounts, assumable roles, `AssumeRole` and `GetCallerIdentity`.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { CredentialStore } from "./auth.ts";
import type { Caller, WireResponse } from "./types.ts";
import { element, isoSeconds, queryError, queryResult } from "./xml.ts";

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The parts of an IAM role ARN.
 *
 * @example
 * ```ts
 * parseRoleArn("arn:aws:iam::444455556666:role/audit/root-activity");
 * // { partition: "aws", accountId: "444455556666", roleName: "root-activity" }
 * ```
 */
export function parseRoleArn(
  roleArn: string,
): { partition: string; accountId: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) return undefined;
  const [, partition = "", accountId = "", roleName = ""] = match;
  return { partition, accountId, roleName };
}

interface Role {
  arn: string;
  partition: string;
  accountId: string;
  name: string;
  roleId: string;
  trustedAccountIds: ReadonlySet<string>;
}

/**
 * Accounts and assumable roles.
 *
 * @example
 * ```ts
 * const directory = new Directory("111122223333");
 * directory.addRole("arn:aws:iam::444455556666:role/root-activity", ["111122223333"]);
 * ```
 */
export class Directory {
  private readonly accounts = new Set<string>();
  private readonly roles = new Map<string, Role>();

  constructor(private readonly homeAccountId: string) {
    this.accounts.add(homeAccountId);
  }

  /**
   * Registers an account.
   *
   * @example
   * ```ts
   * directory.addAccount("444455556666");
   * ```
   */
  addAccount(accountId: string): void {
    if (!ACCOUNT_ID.test(accountId)) throw new RangeError(`not a 12-digit account id: ${accountId}`);
    this.accounts.add(accountId);
  }

  /**
   * Whether an account is registered.
   *
   * @example
   * ```ts
   * directory.hasAccount("111122223333"); // true
   * ```
   */
  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  /**
   * Registers a role (and its account), trusted by the given accounts.
   *
   * @example
   * ```ts
   * directory.addRole("arn:aws:iam::444455556666:role/root-activity", ["111122223333"]);
   * ```
   */
  addRole(roleArn: string, trustedAccountIds: readonly string[]): void {
    const parsed = parseRoleArn(roleArn);
    if (parsed === undefined) throw new RangeError(`not an IAM role ARN: ${roleArn}`);
    this.addAccount(parsed.accountId);
    this.roles.set(roleArn, {
      arn: roleArn,
      partition: parsed.partition,
      accountId: parsed.accountId,
      name: parsed.roleName,
      roleId: `AROA${randomBytes(16).toString("hex").toUpperCase().slice(0, 17)}`,
      trustedAccountIds: new Set(trustedAccountIds),
    });
  }

  /**
   * The role registered under an ARN.
   *
   * @example
   * ```ts
   * directory.role("arn:aws:iam::444455556666:role/root-activity")?.accountId; // "444455556666"
   * ```
   */
  role(roleArn: string): Role | undefined {
    return this.roles.get(roleArn);
  }

  /**
   * Forgets every role and every account but home.
   *
   * @example
   * ```ts
   * directory.reset();
   * ```
   */
  reset(): void {
    this.roles.clear();
    this.accounts.clear();
    this.accounts.add(this.homeAccountId);
  }
}

function validationError(message: string): WireResponse {
  return queryError("sts", 400, "ValidationError", `1 validation error detected: ${message}`);
}

function assumeRole(
  params: Record<string, string>,
  caller: Caller,
  directory: Directory,
  credentials: CredentialStore,
  now: Date,
): WireResponse {
  const roleArn = params.RoleArn;
  const sessionName = params.RoleSessionName;
  const durationText = params.DurationSeconds;
  if (roleArn === undefined)
    return validationError("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (roleArn.length < 20 || roleArn.length > 2048) {
    return validationError(
      `Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048`,
    );
  }
  if (sessionName === undefined) {
    return validationError(
      "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
  }
  if (sessionName.length < 2 || sessionName.length > 64) {
    return validationError(
      `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64`,
    );
  }
  if (!SESSION_NAME.test(sessionName)) {
    return validationError(
      `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = durationText === undefined ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    return validationError(
      `Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const role = directory.role(roleArn);
  if (role === undefined || !role.trustedAccountIds.has(caller.accountId)) {
    return queryError(
      "sts",
      403,
      "AccessDenied",
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  const arn = `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
  const userId = `${role.roleId}:${sessionName}`;
  const expiration = new Date(now.getTime() + duration * 1000);
  const minted = credentials.mint(role.accountId, arn, userId, expiration);
  return queryResult(
    "sts",
    "AssumeRole",
    "<Credentials>" +
      element("AccessKeyId", minted.accessKeyId) +
      element("SecretAccessKey", minted.secretAccessKey) +
      element("SessionToken", minted.sessionToken) +
      element("Expiration", isoSeconds(expiration)) +
      "</Credentials>" +
      `<AssumedRoleUser>${element("Arn", arn)}${element("AssumedRoleId", userId)}</AssumedRoleUser>`,
  );
}

/**
 * Answers an STS action for a known caller.
 *
 * @example
 * ```ts
 * handleSts("GetCallerIdentity", {}, caller, directory, credentials, new Date());
 * ```
 */
export function handleSts(
  action: string,
  params: Record<string, string>,
  caller: Caller,
  directory: Directory,
  credentials: CredentialStore,
  now: Date,
): WireResponse {
  switch (action) {
    case "AssumeRole":
      return assumeRole(params, caller, directory, credentials, now);
    case "GetCallerIdentity":
      return queryResult(
        "sts",
        action,
        element("Arn", caller.arn) + element("UserId", caller.userId) + element("Account", caller.accountId),
      );
  }
  return queryError("sts", 400, "InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
}

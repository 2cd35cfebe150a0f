/**
 * Caller identification: SigV4 `Authorization` parsing and the credentials the server knows.
 * Signatures are not verified.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { Caller } from "./types.ts";

/**
 * What the SigV4 `Authorization` header says.
 *
 * @example
 * ```ts
 * const scope: SigV4Scope = { accessKeyId: "ASIA…", region: "us-east-1", service: "iam" };
 * ```
 */
export interface SigV4Scope {
  accessKeyId: string;
  region: string;
  service: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/\d{8}\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/**
 * Parses `AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/<service>/aws4_request, …`.
 *
 * @example
 * ```ts
 * parseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20240502/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
 * // { accessKeyId: "AKID", region: "us-east-1", service: "iam" }
 * ```
 */
export function parseAuthorization(header: string | undefined): SigV4Scope | undefined {
  const match = header === undefined ? null : AUTHORIZATION.exec(header);
  if (match === null) return undefined;
  const [, accessKeyId = "", region = "", service = ""] = match;
  return { accessKeyId, region, service };
}

/**
 * A set of AWS credentials the server issued.
 *
 * @example
 * ```ts
 * const c: IssuedCredentials = { accessKeyId: "ASIA…", secretAccessKey: "…", sessionToken: "…", accountId: "111122223333", arn: "arn:…", userId: "AROA…:s" };
 * ```
 */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  arn: string;
  userId: string;
  /** Absent: never expires. */
  expiration?: Date;
}

/**
 * Result of identifying a request's caller.
 *
 * @example
 * ```ts
 * const id: Identification = { kind: "unknown", accessKeyId: null };
 * ```
 */
export type Identification =
  | { kind: "known"; caller: Caller }
  | { kind: "expired"; caller: Caller }
  | { kind: "unknown"; accessKeyId: string | null };

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomKeyChars(count: number): string {
  const bytes = randomBytes(count);
  let out = "";
  for (const byte of bytes) out += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return out;
}

/**
 * Credentials known to the server: two identities of the home account (the Lambda function's execution role
 * session, and a person's IAM Identity Center session at a workstation) and those minted by AssumeRole.
 *
 * @example
 * ```ts
 * const store = new CredentialStore("111122223333");
 * store.identify(store.home.accessKeyId, store.home.sessionToken, new Date()); // { kind: "known", … }
 * ```
 */
export class CredentialStore {
  /** The home account's base credentials of the function (its execution role session). */
  readonly home: IssuedCredentials;
  /** A person's credentials in the home account: an IAM Identity Center session with a read-only audit role. */
  readonly workstation: IssuedCredentials;
  private readonly byKey = new Map<string, IssuedCredentials>();

  constructor(homeAccountId: string) {
    this.home = {
      accessKeyId: "ASIALOCALHOME0000001",
      secretAccessKey: "local-aws-home-secret-access-key",
      sessionToken: "local-aws-home-session-token",
      accountId: homeAccountId,
      arn: `arn:aws:sts::${homeAccountId}:assumed-role/root-activity-lambda/root-activity`,
      userId: "AROALOCALHOME00000001:root-activity",
    };
    this.workstation = {
      accessKeyId: "ASIALOCALDEVELOPER01",
      secretAccessKey: "local-aws-developer-secret-access-key",
      sessionToken: "local-aws-developer-session-token",
      accountId: homeAccountId,
      arn: `arn:aws:sts::${homeAccountId}:assumed-role/AWSReservedSSO_SecurityAudit_0123456789abcdef/developer`,
      userId: "AROALOCALDEVELOPER001:developer",
    };
    this.byKey.set(this.home.accessKeyId, this.home);
    this.byKey.set(this.workstation.accessKeyId, this.workstation);
  }

  /**
   * Mints fresh, unique session credentials for an account.
   *
   * @example
   * ```ts
   * store.mint("444455556666", "arn:aws:sts::444455556666:assumed-role/r/s", "AROA…:s", new Date(Date.now() + 3600_000));
   * ```
   */
  mint(accountId: string, arn: string, userId: string, expiration: Date): IssuedCredentials {
    const credentials: IssuedCredentials = {
      accessKeyId: `ASIA${randomKeyChars(16)}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(48).toString("base64")}`,
      accountId,
      arn,
      userId,
      expiration,
    };
    this.byKey.set(credentials.accessKeyId, credentials);
    return credentials;
  }

  /**
   * Identifies a caller from its access key id and session token (`X-Amz-Security-Token`).
   * A wrong or missing session token makes the key unknown, as in AWS.
   *
   * @example
   * ```ts
   * store.identify("AKIDUNKNOWN", undefined, new Date()); // { kind: "unknown", accessKeyId: "AKIDUNKNOWN" }
   * ```
   */
  identify(accessKeyId: string | undefined, sessionToken: string | undefined, now: Date): Identification {
    const credentials = accessKeyId === undefined ? undefined : this.byKey.get(accessKeyId);
    if (credentials === undefined || credentials.sessionToken !== sessionToken) {
      return { kind: "unknown", accessKeyId: accessKeyId ?? null };
    }
    const caller: Caller = {
      accessKeyId: credentials.accessKeyId,
      accountId: credentials.accountId,
      arn: credentials.arn,
      userId: credentials.userId,
    };
    if (credentials.expiration !== undefined && credentials.expiration.getTime() <= now.getTime()) {
      return { kind: "expired", caller };
    }
    return { kind: "known", caller };
  }

  /**
   * Forgets every minted credential; the home account's two identities stay.
   *
   * @example
   * ```ts
   * store.clear();
   * ```
   */
  clear(): void {
    this.byKey.clear();
    this.byKey.set(this.home.accessKeyId, this.home);
    this.byKey.set(this.workstation.accessKeyId, this.workstation);
  }
}

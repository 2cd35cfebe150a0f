/**
 * Public and shared types of the local AWS server (`startLocalAws`).
 *
 * @module
 */
import type { RegionOptStatus } from "./account.ts";
import type { CloudTrailRecord } from "./cloudtrail-records.ts";
import type { OrganizationAccountSpec, OrganizationOptions } from "./organizations.ts";

/**
 * The AWS services the local server speaks.
 *
 * @example
 * ```ts
 * const service: ServiceName = "iam";
 * ```
 */
export type ServiceName = "iam" | "config" | "sts" | "cloudtrail" | "account" | "organizations";

/**
 * Options of `startLocalAws`.
 *
 * @example
 * ```ts
 * const options: StartLocalAwsOptions = { port: 0, now: () => new Date("2024-05-02T08:00:00Z") };
 * ```
 */
export interface StartLocalAwsOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Initial server clock; default the real clock. `reset()` restores it. */
  now?: () => Date;
  /** The account of the base credentials in `env`; default `111122223333`. */
  homeAccountId?: string;
  /** Called with each request once it is answered (or dropped by a fault): the standalone tool logs them. */
  onCall?: (call: RecordedCall) => void;
}

/**
 * One request the server received, recorded in arrival order.
 *
 * `status` is 0 when the server answered nothing (a `reset` or `hang` fault);
 * `fault` names the kind of the injected fault that applied, if any.
 *
 * @example
 * ```ts
 * const call: RecordedCall = {
 *   service: "iam", action: "GetCredentialReport", region: "us-east-1", at: new Date(),
 *   order: { received: 1, answered: 2 }, accountId: "111122223333", accessKeyId: "ASIALOCALHOME0000001", params: {},
 *   status: 200,
 * };
 * ```
 */
export interface RecordedCall {
  service: ServiceName;
  action: string;
  /** The region of the request's SigV4 scope. */
  region: string | null;
  /** When the server received it (its clock). */
  at: Date;
  /**
   * Where its arrival and its answer fall in one sequence shared by every request (`answered` 0 until answered):
   * exact ordering for tests of concurrency, which millisecond clocks cannot give.
   */
  order: { received: number; answered: number };
  accountId: string | null;
  accessKeyId: string | null;
  params: Record<string, unknown>;
  status: number;
  errorCode?: string;
  fault?: Fault["kind"];
}

/**
 * One evaluation of a `PutEvaluations` call, as it travelled on the wire.
 *
 * @example
 * ```ts
 * const e: RecordedEvaluation = {
 *   ComplianceResourceType: "AWS::::Account", ComplianceResourceId: "111122223333",
 *   ComplianceType: "COMPLIANT", OrderingTimestamp: 1714636800,
 * };
 * ```
 */
export interface RecordedEvaluation {
  ComplianceResourceType: string;
  ComplianceResourceId: string;
  ComplianceType: string;
  Annotation?: string;
  /** Epoch seconds as sent (may be fractional). */
  OrderingTimestamp: number;
}

/**
 * A `PutEvaluations` call the server accepted.
 *
 * @example
 * ```ts
 * const record: PutEvaluationsRecord = {
 *   accountId: "111122223333", resultToken: "token", testMode: false, evaluations: [],
 * };
 * ```
 */
export interface PutEvaluationsRecord {
  accountId: string;
  resultToken: string;
  testMode: boolean;
  evaluations: RecordedEvaluation[];
}

/**
 * A fault to inject. Matching fields left undefined match anything; `times` (default 1,
 * `Infinity` allowed) is how many matching requests it applies to. Faults are tried in FIFO order.
 *
 * - `error`: IAM/STS answer an XML `ErrorResponse` (Type `Sender` for 4xx, `Receiver` for 5xx);
 *   Config answers JSON `{"__type": code, "message": ...}`.
 * - `reset`: the socket is destroyed without an answer.
 * - `hang`: the request is never answered (until `reset()` or `close()`).
 * - `raw`: any status and body, e.g. truncated XML.
 * - `delay`: the request is handled normally after `ms` milliseconds.
 * - `failedEvaluations`: Config `PutEvaluations` only; a valid call is answered with
 *   `FailedEvaluations` = the evaluations sent and is not recorded in `evaluations`.
 *
 * @example
 * ```ts
 * const fault: Fault = { service: "iam", action: "GetCredentialReport", kind: "error", status: 400, code: "Throttling", times: 2 };
 * ```
 */
export type Fault = {
  service?: ServiceName;
  action?: string;
  accountId?: string;
  /** The region of the request's SigV4 scope. */
  region?: string;
  times?: number;
} & (
  | { kind: "error"; status: number; code: string; message?: string }
  | { kind: "reset" }
  | { kind: "hang" }
  | { kind: "raw"; status: number; body: string; contentType?: string }
  | { kind: "delay"; ms: number }
  | { kind: "failedEvaluations" }
);

/**
 * Options of `LocalAws.setReport`.
 *
 * @example
 * ```ts
 * const opts: SetReportOptions = { accountId: "444455556666", generatedTime: new Date("2024-05-02T08:00:00Z") };
 * ```
 */
export interface SetReportOptions {
  /** Default: the home account. */
  accountId?: string;
  /** Default: `now()` when `setReport` is called. */
  generatedTime?: Date;
}

/**
 * Options of `LocalAws.onGenerate`.
 *
 * @example
 * ```ts
 * const opts: OnGenerateOptions = { readyAfterPolls: 2, generatedTime: () => new Date("2024-05-02T08:00:00Z") };
 * ```
 */
export interface OnGenerateOptions {
  /** Default: the home account. */
  accountId?: string;
  /** How many `GetCredentialReport` calls answer `ReportInProgress` after a generation starts; default 0. */
  readyAfterPolls?: number;
  /** The report's `GeneratedTime`, asked when the report becomes ready; default `now()` then. */
  generatedTime?: () => Date;
}

/**
 * Options of `LocalAws.addRole`.
 *
 * @example
 * ```ts
 * const opts: AddRoleOptions = { trustedAccountIds: ["111122223333"] };
 * ```
 */
export interface AddRoleOptions {
  /** Accounts whose principals may assume the role; default: the home account. */
  trustedAccountIds?: string[];
}

/**
 * A running local AWS server (IAM credential report, STS AssumeRole, Config PutEvaluations).
 *
 * @example
 * ```ts
 * const aws = await startLocalAws();
 * Object.assign(process.env, aws.env);
 * aws.setReport(minimalRootReport(aws.homeAccountId));
 * // ... drive the real SDK clients ...
 * await aws.close();
 * ```
 */
export interface LocalAws {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * Endpoint URLs, region and the credentials of the Lambda function's execution role session in the home account
   * (`assumed-role/root-activity-lambda/root-activity`), ready for `process.env`.
   */
  readonly env: Record<string, string>;
  /**
   * The same endpoints with a person's credentials in the home account (an IAM Identity Center session,
   * `assumed-role/AWSReservedSSO_SecurityAudit_…/developer`): what `npm run local-aws` prints for a shell.
   */
  readonly workstationEnv: Record<string, string>;
  /** The account whose base credentials are in `env`; default `111122223333`. */
  readonly homeAccountId: string;
  /** Server clock (4-hour rule, STS expirations); settable. */
  now: () => Date;
  /**
   * The clock of CloudTrail's two-lookups-per-second limit in `region`, when not `now` (settable, reset to none):
   * a test that runs each region's pace in its own virtual time gives the limit the same clocks.
   */
  lookupNow: ((region: string) => Date) | undefined;
  /** Every request, in arrival order. */
  readonly calls: RecordedCall[];
  /** Every `PutEvaluations` the server accepted. */
  readonly evaluations: PutEvaluationsRecord[];
  /** Registers a member account. */
  addAccount(accountId: string): void;
  /** Registers an assumable role (and its account). */
  addRole(roleArn: string, opts?: AddRoleOptions): void;
  /** Installs an existing credential report. */
  setReport(csv: string | Uint8Array, opts?: SetReportOptions): void;
  /** Forgets the report: `GetCredentialReport` answers `ReportNotPresent` (410). */
  clearReport(accountId?: string): void;
  /** Marks the report expired: `GetCredentialReport` answers `ReportExpired` (410). */
  expireReport(accountId?: string): void;
  /** Sets what `GenerateCredentialReport` produces. */
  onGenerate(csv: string | Uint8Array, opts?: OnGenerateOptions): void;
  /** Adds CloudTrail records to an account's event history (default the home account), each in its `awsRegion`. */
  addCloudTrailEvents(records: readonly CloudTrailRecord[], opts?: { accountId?: string }): void;
  /** Sets the opt status of regions (`ListRegions`); unset regions keep AWS's defaults (17 enabled). */
  setRegionStatus(statuses: Record<string, RegionOptStatus>, opts?: { accountId?: string }): void;
  /** Sets (or, with null, removes) the account alias `ListAccountAliases` answers. */
  setAccountAlias(alias: string | null, opts?: { accountId?: string }): void;
  /**
   * Makes the home account the management account of an organization of `accounts` (the home account is added
   * first when missing), for Organizations `ListAccounts`.
   */
  setOrganization(accounts: readonly OrganizationAccountSpec[], opts?: OrganizationOptions): void;
  /** Starts a generation now, as if `GenerateCredentialReport` had been called: `GetCredentialReport` answers `ReportInProgress`. */
  startGeneration(csv: string | Uint8Array, opts?: OnGenerateOptions): void;
  /** Queues a fault. */
  inject(fault: Fault): void;
  /** Forgets reports, faults, calls, evaluations, roles, accounts but home, the organization; restores the clock. */
  reset(): void;
  /** Stops the server, destroying hung and open sockets. */
  close(): Promise<void>;
}

/**
 * Who sent a request, as identified from its SigV4 credentials.
 *
 * @example
 * ```ts
 * const caller: Caller = { accessKeyId: "ASIA...", accountId: "111122223333", arn: "arn:aws:sts::111122223333:assumed-role/r/s", userId: "AROA…:s" };
 * ```
 */
export interface Caller {
  accessKeyId: string;
  accountId: string;
  arn: string;
  /** As in `GetCallerIdentity`, e.g. `AROA…:session`. */
  userId: string;
}

/**
 * An answer ready to be written on the wire.
 *
 * @example
 * ```ts
 * const answer: WireResponse = { status: 200, contentType: "text/xml", body: "<x/>" };
 * ```
 */
export interface WireResponse {
  status: number;
  contentType: string;
  body: string;
  /** Extra headers (REST-JSON errors carry `x-amzn-ErrorType`). */
  headers?: Record<string, string>;
  /** The AWS error code, when the answer is an error. */
  errorCode?: string;
}

/**
 * A local HTTP server that speaks AWS's wire protocols for IAM (credential report, account aliases),
 * STS (AssumeRole, GetCallerIdentity), Config (PutEvaluations), CloudTrail (LookupEvents), Account (ListRegions)
 * and Organizations (ListAccounts), with fault injection. Point the real AWS SDK v3
 * clients at it with the variables in `env`.
 *
 * @example
 * ```ts
 * import { startLocalAws } from "./scripts/local-aws/server.ts";
 * const aws = await startLocalAws();
 * Object.assign(process.env, aws.env);
 * aws.setReport(csv);
 * // new IAMClient({}).send(new GetCredentialReportCommand({})) now reaches the server
 * await aws.close();
 * ```
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleAccount, RegionDirectory, type RegionOptStatus, restJsonError } from "./account.ts";
import { CredentialStore, type Identification, type IssuedCredentials, parseAuthorization } from "./auth.ts";
import { EventHistory, handleCloudTrail } from "./cloudtrail.ts";
import type { CloudTrailRecord } from "./cloudtrail-records.ts";
import { handleConfig } from "./config.ts";
import { FaultQueue } from "./faults.ts";
import { handleIam, ReportStore } from "./iam.ts";
import {
  handleOrganizations,
  type OrganizationAccountSpec,
  OrganizationDirectory,
  type OrganizationOptions,
} from "./organizations.ts";
import { type RoutedRequest, routeRequest } from "./routing.ts";
import { Directory, handleSts } from "./sts.ts";
import type {
  AddRoleOptions,
  Fault,
  LocalAws,
  OnGenerateOptions,
  PutEvaluationsRecord,
  RecordedCall,
  ServiceName,
  SetReportOptions,
  StartLocalAwsOptions,
  WireResponse,
} from "./types.ts";
import { jsonError, queryError } from "./xml.ts";

export type {
  AddRoleOptions,
  Fault,
  LocalAws,
  OnGenerateOptions,
  PutEvaluationsRecord,
  RecordedCall,
  RecordedEvaluation,
  ServiceName,
  SetReportOptions,
  StartLocalAwsOptions,
} from "./types.ts";

/** The default home account id. */
export const DEFAULT_HOME_ACCOUNT_ID = "111122223333";

/**
 * The message AWS gives with an error the test injected without one: for an access denial, AWS's sentence naming
 * the identity that signed the request and the action (IAM User Guide, "Troubleshoot access denied error
 * messages"); otherwise the code.
 */
function defaultFaultMessage(
  code: string,
  service: ServiceName,
  action: string,
  identification: Identification,
): string {
  if (code !== "AccessDenied" && code !== "AccessDeniedException") return code;
  const who = identification.kind === "unknown" ? "anonymous" : identification.caller.arn;
  const permission = `${IAM_PREFIX[service]}:${action}`;
  return `User: ${who} is not authorized to perform: ${permission} because no identity-based policy allows the ${permission} action`;
}

/** The IAM service prefix of each service the endpoint speaks (Service Authorization Reference). */
const IAM_PREFIX: Record<ServiceName, string> = {
  iam: "iam",
  sts: "sts",
  config: "config",
  cloudtrail: "cloudtrail",
  account: "account",
  organizations: "organizations",
};

function errorFor(service: ServiceName, status: number, code: string, message: string): WireResponse {
  switch (service) {
    case "config":
    case "cloudtrail":
    case "organizations":
      return jsonError(status, code, message);
    case "account":
      return restJsonError(status, code, message);
    default:
      return queryError(service, status, code, message);
  }
}

function identificationError(
  service: ServiceName,
  identification: Exclude<Identification, { kind: "known" }>,
): WireResponse {
  const query = service === "iam" || service === "sts";
  if (identification.kind === "expired") {
    const message = "The security token included in the request is expired";
    return query
      ? queryError(service, 403, "ExpiredToken", message)
      : errorFor(service, service === "account" ? 403 : 400, "ExpiredTokenException", message);
  }
  const message = "The security token included in the request is invalid.";
  return query
    ? queryError(service, 403, "InvalidClientTokenId", message)
    : errorFor(service, service === "account" ? 403 : 400, "UnrecognizedClientException", message);
}

const CONTENT_TYPES: Record<ServiceName, string> = {
  iam: "text/xml",
  sts: "text/xml",
  config: "application/x-amz-json-1.1",
  cloudtrail: "application/x-amz-json-1.1",
  account: "application/json",
  organizations: "application/x-amz-json-1.1",
};

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The variables that point an AWS SDK at the endpoint at `url` (`AWS_ENDPOINT_URL_<SERVICE>` of every service it
 * speaks) with one identity's credentials.
 */
function environmentOf(url: string, credentials: IssuedCredentials): Record<string, string> {
  return Object.freeze({
    AWS_ENDPOINT_URL_IAM: url,
    AWS_ENDPOINT_URL_CONFIG_SERVICE: url,
    AWS_ENDPOINT_URL_STS: url,
    AWS_ENDPOINT_URL_CLOUDTRAIL: url,
    AWS_ENDPOINT_URL_ACCOUNT: url,
    AWS_ENDPOINT_URL_ORGANIZATIONS: url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  });
}

class LocalAwsServer implements LocalAws {
  readonly url: string;
  readonly env: Record<string, string>;
  readonly workstationEnv: Record<string, string>;
  readonly homeAccountId: string;
  now: () => Date;
  lookupNow: ((region: string) => Date) | undefined = undefined;
  readonly calls: RecordedCall[] = [];
  readonly evaluations: PutEvaluationsRecord[] = [];

  private readonly initialNow: () => Date;
  private readonly credentials: CredentialStore;
  private readonly directory: Directory;
  private readonly reports = new ReportStore(() => this.now());
  private readonly history = new EventHistory((region) =>
    region !== undefined && this.lookupNow ? this.lookupNow(region) : this.now(),
  );
  private readonly regions = new RegionDirectory();
  private readonly aliases = new Map<string, string>();
  private readonly organization: OrganizationDirectory;
  /** One sequence for every arrival and every answer (RecordedCall.order). */
  private sequence = 0;
  private readonly faults = new FaultQueue();
  private readonly held = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    port: number,
    homeAccountId: string,
    now: () => Date,
    private readonly onCall?: (call: RecordedCall) => void,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.homeAccountId = homeAccountId;
    this.now = now;
    this.initialNow = now;
    this.credentials = new CredentialStore(homeAccountId);
    this.directory = new Directory(homeAccountId);
    this.organization = new OrganizationDirectory(homeAccountId, () => this.now());
    this.env = environmentOf(this.url, this.credentials.home);
    this.workstationEnv = environmentOf(this.url, this.credentials.workstation);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch(() => {
        req.socket.destroy();
      });
    });
  }

  addAccount(accountId: string): void {
    this.directory.addAccount(accountId);
  }

  addRole(roleArn: string, opts: AddRoleOptions = {}): void {
    this.directory.addRole(roleArn, opts.trustedAccountIds ?? [this.homeAccountId]);
  }

  setReport(csv: string | Uint8Array, opts: SetReportOptions = {}): void {
    this.reports.set(opts.accountId ?? this.homeAccountId, csv, opts.generatedTime ?? this.now());
  }

  clearReport(accountId?: string): void {
    this.reports.clear(accountId ?? this.homeAccountId);
  }

  expireReport(accountId?: string): void {
    this.reports.expire(accountId ?? this.homeAccountId);
  }

  onGenerate(csv: string | Uint8Array, opts: OnGenerateOptions = {}): void {
    this.reports.onGenerate(opts.accountId ?? this.homeAccountId, csv, opts);
  }

  addCloudTrailEvents(records: readonly CloudTrailRecord[], opts: { accountId?: string } = {}): void {
    this.history.add(opts.accountId ?? this.homeAccountId, records);
  }

  setRegionStatus(statuses: Record<string, RegionOptStatus>, opts: { accountId?: string } = {}): void {
    this.regions.set(opts.accountId ?? this.homeAccountId, statuses);
  }

  setAccountAlias(alias: string | null, opts: { accountId?: string } = {}): void {
    const accountId = opts.accountId ?? this.homeAccountId;
    if (alias === null) this.aliases.delete(accountId);
    else this.aliases.set(accountId, alias);
  }

  setOrganization(accounts: readonly OrganizationAccountSpec[], opts: OrganizationOptions = {}): void {
    this.organization.set(accounts, opts);
  }

  startGeneration(csv: string | Uint8Array, opts: OnGenerateOptions = {}): void {
    const accountId = opts.accountId ?? this.homeAccountId;
    this.reports.clear(accountId);
    this.reports.onGenerate(accountId, csv, opts);
    this.reports.generate(accountId);
  }

  inject(fault: Fault): void {
    this.faults.inject(fault);
  }

  reset(): void {
    this.reports.reset();
    this.history.reset();
    this.regions.reset();
    this.aliases.clear();
    this.organization.reset();
    this.faults.clear();
    this.calls.length = 0;
    this.evaluations.length = 0;
    this.directory.reset();
    this.credentials.clear();
    this.now = this.initialNow;
    this.lookupNow = undefined;
    this.releaseHeld();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.releaseHeld();
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private releaseHeld(): void {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const scope = parseAuthorization(firstHeader(req.headers.authorization));
    const routed = routeRequest(req.headers, req.url ?? "/", body, scope?.service);
    const identification = this.credentials.identify(
      scope?.accessKeyId,
      firstHeader(req.headers["x-amz-security-token"]),
      this.now(),
    );
    const accountId = identification.kind === "unknown" ? null : identification.caller.accountId;
    const region = scope?.region ?? null;
    const call: RecordedCall = {
      service: routed.service,
      action: routed.action,
      region,
      at: this.now(),
      order: { received: ++this.sequence, answered: 0 },
      accountId,
      accessKeyId: scope?.accessKeyId ?? null,
      params: routed.params,
      status: 0,
    };
    this.calls.push(call);

    const fault = this.faults.take({ service: routed.service, action: routed.action, accountId, region });
    if (fault !== undefined) call.fault = fault.kind;
    let response: WireResponse;
    switch (fault?.kind) {
      case "reset":
        req.socket.destroy();
        this.onCall?.(call);
        return;
      case "hang":
        this.hold(req.socket);
        this.onCall?.(call);
        return;
      case "error":
        response = errorFor(
          routed.service,
          fault.status,
          fault.code,
          fault.message ?? defaultFaultMessage(fault.code, routed.service, routed.action, identification),
        );
        break;
      case "raw":
        response = {
          status: fault.status,
          body: fault.body,
          contentType: fault.contentType ?? CONTENT_TYPES[routed.service],
        };
        break;
      case "delay":
        await this.sleep(fault.ms);
        response = this.dispatch(routed, identification, region, false);
        break;
      default:
        response = this.dispatch(routed, identification, region, fault?.kind === "failedEvaluations");
    }
    call.status = response.status;
    call.order.answered = ++this.sequence;
    if (response.errorCode !== undefined) call.errorCode = response.errorCode;
    this.send(res, response);
    this.onCall?.(call);
  }

  private dispatch(
    routed: RoutedRequest,
    identification: Identification,
    region: string | null,
    failEvaluations: boolean,
  ): WireResponse {
    if (identification.kind !== "known") return identificationError(routed.service, identification);
    const caller = identification.caller;
    // Credentials are not valid in a region the account has not enabled (an opt-in region).
    if (
      routed.service === "cloudtrail" &&
      (region === null || !this.regions.isEnabled(caller.accountId, region))
    ) {
      return identificationError(routed.service, { kind: "unknown", accessKeyId: caller.accessKeyId });
    }
    try {
      switch (routed.service) {
        case "iam":
          return handleIam(routed.action, caller, this.reports, this.aliases.get(caller.accountId));
        case "cloudtrail":
          return handleCloudTrail(routed.action, routed.json, caller, region ?? "", this.history);
        case "account":
          return handleAccount(routed.action, routed.json, caller, this.regions);
        case "organizations":
          return handleOrganizations(routed.action, routed.json, caller, this.organization);
        case "sts":
          return handleSts(routed.action, routed.form, caller, this.directory, this.credentials, this.now());
        case "config": {
          const outcome = handleConfig(routed.action, routed.json, caller, failEvaluations);
          if (outcome.accepted !== undefined) this.evaluations.push(outcome.accepted);
          return outcome.response;
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return errorFor(
        routed.service,
        500,
        routed.service === "iam" ? "ServiceFailure" : "InternalFailure",
        message,
      );
    }
  }

  private hold(socket: Socket): void {
    this.held.add(socket);
    socket.once("close", () => this.held.delete(socket));
  }

  private send(res: ServerResponse, response: WireResponse): void {
    if (res.destroyed) return;
    const body = Buffer.from(response.body, "utf8");
    res.writeHead(response.status, {
      ...response.headers,
      "Content-Type": response.contentType,
      "Content-Length": body.byteLength,
      "x-amzn-RequestId": randomUUID(),
    });
    res.end(body);
  }
}

/**
 * Starts the local AWS server on 127.0.0.1 (any free port by default).
 *
 * @example
 * ```ts
 * const aws = await startLocalAws({ now: () => new Date("2024-05-02T08:00:00Z") });
 * aws.url; // "http://127.0.0.1:53127"
 * await aws.close();
 * ```
 */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  const server = createServer({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return new LocalAwsServer(
    server,
    port,
    options.homeAccountId ?? DEFAULT_HOME_ACCOUNT_ID,
    options.now ?? (() => new Date()),
    options.onCall,
  );
}

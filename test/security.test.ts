/**
 * Security properties of the shipped Lambda bundle (`dist/lambda/index.mjs` and any chunks it loads), run as
 * Lambda runs it:
 * - its logs, metrics and errors never carry the report's contents, IAM user names, user ARNs, credentials or the
 *   result token, on success and on every failure path;
 * - it reads no secret from the environment: only non-secret settings, plus the execution role's temporary
 *   credentials that Lambda itself places there for the SDK's default credential provider;
 * - it writes nothing to disk (no /tmp, no TMPDIR);
 * - the Lambda and the CLI bundle only the libraries meant to ship and their dependencies, no build or test tool
 *   (the published package has no runtime dependency: everything it runs is bundled);
 * - `npm audit` finds no high or critical advisory in a bundled package (skipped, saying why, only when the
 *   registry cannot be reached or has no audit endpoint: a network error, a 5xx, 404 or 405; a 401 or 403 fails).
 */
import { execFile } from "node:child_process";
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { inspect } from "node:util";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assumedRoleApiCall, iamUserConsoleSignIn, rootConsoleSignIn } from "./support/cloudtrail.ts";
import { buildReport, daysBefore, iamDate, rootRow, userRow } from "./support/report-builder.ts";
import { BUNDLE, captureOutput, configEvent, lambdaContext, MEMBER, useWire } from "./support/wire.ts";

const ROOT = resolve(import.meta.dirname, "..");
/** The Lambda bundle's directory: `index.mjs`, and `chunks/` when the build splits code. */
const LAMBDA_DIR = dirname(BUNDLE);

/**
 * Environment variables the bundle may read, none of them secret: where to send requests and how (region,
 * endpoints, retry and SDK settings, config file paths, profile name), what the Lambda runtime says about the
 * function, and logging and metrics settings.
 */
const NON_SECRET_NAMES = new Set([
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_DEFAULTS_MODE",
  "AWS_EXECUTION_ENV",
  "AWS_PROFILE",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_ACCOUNT_ID",
  "AWS_ACCOUNT_ID_ENDPOINT_MODE",
  "AWS_CREDENTIAL_SCOPE",
  "AWS_AUTH_SCHEME_PREFERENCE",
  "AWS_DISABLE_CLOCK_SKEW_CORRECTION",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "AWS_ENABLE_DEFAULT_SOCKET_TIMEOUT_2026",
  "AWS_MAX_ATTEMPTS",
  "AWS_RETRY_MODE",
  "AWS_STS_REGIONAL_ENDPOINTS",
  "AWS_USE_FIPS_ENDPOINT",
  "AWS_USE_DUALSTACK_ENDPOINT",
  "AWS_REQUEST_CHECKSUM_CALCULATION",
  "AWS_RESPONSE_CHECKSUM_VALIDATION",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
  "AWS_EC2_METADATA_V1_DISABLED",
  "AWS_LOGIN_CACHE_DIRECTORY",
  "_X_AMZN_TRACE_ID",
  "LOG_LEVEL",
  "ENVIRONMENT",
  "HOME",
  "HOMEDRIVE",
  "HOMEPATH",
  "USERPROFILE",
  "TMPDIR",
  "TMP",
  "TEMP",
  // Node's console colour detection, and the time zone of the logger's timestamps.
  "FORCE_COLOR",
  "NO_COLOR",
  "NODE_DISABLE_COLORS",
  "TZ",
]);
const NON_SECRET_FAMILIES = [
  /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/,
  /^AWS_LAMBDA_[A-Z0-9_]+$/,
  /^AWS_SDK_[A-Z0-9_]+$/,
  /^POWERTOOLS_[A-Z0-9_]+$/,
];

/**
 * The execution role's temporary credentials. The Lambda runtime puts them in the environment; only the AWS SDK's
 * default credential provider reads them, never the rule's own code (checked below), and they never reach a log.
 */
const RUNTIME_CREDENTIAL_NAMES = new Set([
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
]);

const SECRET_LOOKING = /SECRET|PASSW|TOKEN|PRIVATE|API_?KEY|CREDENTIAL|AUTH/;
/** Settings whose names match SECRET_LOOKING but hold no secret. */
const ONLY_LOOK_SECRET = new Set([
  "AWS_CREDENTIAL_SCOPE",
  "AWS_AUTH_SCHEME_PREFERENCE",
  "AWS_SHARED_CREDENTIALS_FILE",
]);

function nonSecret(name: string): boolean {
  return NON_SECRET_NAMES.has(name) || NON_SECRET_FAMILIES.some((family) => family.test(name));
}

/**
 * True when the code running now was called from the bundle. Raw call sites, not `error.stack`: Vitest maps stack
 * traces through the bundle's source map, which would name the original sources instead.
 */
function fromBundle(): boolean {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 80;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    const sites = new Error().stack as unknown as NodeJS.CallSite[];
    return sites.some((site) => site.getFileName()?.includes(LAMBDA_DIR) ?? false);
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

// Environment reads and file writes made by the bundle, recorded from before it is imported.
const envReads = new Set<string>();
const fileWrites: string[] = [];
const realEnv = process.env;
const restoreFs: Array<() => void> = [];

function recordEnvReads(): void {
  process.env = new Proxy(realEnv, {
    get(target, key, receiver) {
      if (typeof key === "string" && fromBundle()) envReads.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string" && fromBundle()) envReads.add(key);
      return Reflect.has(target, key);
    },
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
    ownKeys(target) {
      if (fromBundle()) envReads.add("(every name: process.env enumerated)");
      return Reflect.ownKeys(target);
    },
  });
}

const WRITING_FUNCTIONS = [
  "writeFile",
  "writeFileSync",
  "appendFile",
  "appendFileSync",
  "mkdir",
  "mkdirSync",
  "mkdtemp",
  "mkdtempSync",
  "createWriteStream",
  "copyFile",
  "copyFileSync",
  "cp",
  "cpSync",
  "rename",
  "renameSync",
  "symlink",
  "symlinkSync",
  "link",
  "linkSync",
  "truncate",
  "truncateSync",
] as const;

function recordFileWrites(): void {
  const targets: Array<[Record<string, unknown>, string]> = [
    [fs as unknown as Record<string, unknown>, "fs"],
    [fs.promises as unknown as Record<string, unknown>, "fs.promises"],
  ];
  for (const [target, label] of targets) {
    for (const name of [...WRITING_FUNCTIONS, "open", "openSync"]) {
      const original = target[name];
      if (typeof original !== "function") continue;
      const wrapped = function (this: unknown, ...args: unknown[]) {
        const flags = args[1];
        const opening = name === "open" || name === "openSync";
        const writing =
          !opening || (flags !== undefined && flags !== "r" && flags !== 0 && typeof flags !== "function");
        if (writing && fromBundle()) fileWrites.push(`${label}.${name}(${String(args[0])})`);
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      target[name] = wrapped;
      restoreFs.push(() => {
        target[name] = original;
      });
    }
  }
  syncBuiltinESMExports();
}

const emptyTmp = mkdtempSync(join(tmpdir(), "root-activity-security-tmp-"));

// Registered before useWire: recording starts before the bundle is imported, and stops after the endpoint is closed.
beforeAll(() => {
  recordEnvReads();
  recordFileWrites();
});
afterAll(() => {
  process.env = realEnv;
  for (const restore of restoreFs) restore();
  syncBuiltinESMExports();
  rmSync(emptyTmp, { recursive: true, force: true });
});
// DEBUG: the most the logger would ever write.
const { aws, handler } = useWire({ POWERTOOLS_LOG_LEVEL: "DEBUG", TMPDIR: emptyTmp });

// Recognisable report contents: if any of it reaches a log, the scan finds it.
const CANARY_USERS = ["zq-canary-alice", "zq.canary.bob@example.com", "zq,canary,carol", 'zq"canary"dave'];
const CANARY_DATE = "2019-04-01T09:08:07+00:00";
const usersOf = (accountId: string) =>
  CANARY_USERS.map((name) => userRow(name, { password_last_used: CANARY_DATE }, accountId));
const reportFor = (accountId = "111122223333", root = rootRow({}, accountId)) =>
  buildReport({ rows: [...usersOf(accountId), root] });
const usedReport = () =>
  reportFor("111122223333", rootRow({ password_last_used: iamDate(daysBefore(new Date(), 3)) }));
let tokens = 0;
const newToken = () => {
  tokens += 1;
  return Buffer.from(`{"canaryResultToken":${tokens},"pad":"${"k".repeat(40)}"}`).toString("base64");
};

interface Scenario {
  readonly name: string;
  /** Sets up the endpoint and returns the event. */
  readonly prepare: (token: string) => Record<string, unknown> | unknown;
  readonly remainingMs?: number;
  readonly outcome: "posted" | string;
}

const xmlAnswer = (inner: string) =>
  `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult>${inner}`;

/** Root's source address and everyone else's names in CloudTrail: none may reach a log or an annotation. */
const CANARY_IP = "198.51.100.201";
const canaryHistory = () => [
  rootConsoleSignIn({
    time: daysBefore(new Date(), 1),
    region: "eu-west-1",
    mfaUsed: true,
    sourceIp: CANARY_IP,
  }),
  ...CANARY_USERS.map((userName) => iamUserConsoleSignIn({ time: daysBefore(new Date(), 1), userName })),
  assumedRoleApiCall({ time: daysBefore(new Date(), 1), sessionName: "zq-canary-session" }),
];

const SCENARIOS: Scenario[] = [
  {
    name: "NON_COMPLIANT from a root sign-in in CloudTrail, among other users' events",
    prepare: (token) => {
      aws.setReport(reportFor());
      aws.addCloudTrailEvents(canaryHistory());
      return configEvent({ resultToken: token });
    },
    outcome: "posted",
  },
  {
    name: "CloudTrail keeps throttling",
    prepare: (token) => {
      aws.setReport(reportFor());
      aws.addCloudTrailEvents(canaryHistory());
      aws.inject({
        kind: "error",
        service: "cloudtrail",
        region: "eu-west-1",
        status: 400,
        code: "ThrottlingException",
        times: Number.POSITIVE_INFINITY,
      });
      return configEvent({ resultToken: token });
    },
    remainingMs: 20_000,
    outcome: "CloudTrailLookupError",
  },
  {
    name: "COMPLIANT with a fresh report",
    prepare: (token) => {
      aws.setReport(reportFor());
      return configEvent({ resultToken: token });
    },
    outcome: "posted",
  },
  {
    name: "NON_COMPLIANT after generating a report and waiting for it",
    prepare: (token) => {
      aws.clearReport();
      aws.onGenerate(usedReport(), { readyAfterPolls: 1 });
      return configEvent({ resultToken: token });
    },
    outcome: "posted",
  },
  {
    name: "Cannot verify: a report without a root row",
    prepare: (token) => {
      aws.setReport(buildReport({ rows: usersOf("111122223333") }));
      return configEvent({ resultToken: token });
    },
    outcome: "posted",
  },
  {
    name: "Cannot verify: a report cut in the middle of a user's row",
    prepare: (token) => {
      const csv = reportFor();
      aws.setReport(csv.slice(0, csv.indexOf("zq.canary.bob") + 8));
      return configEvent({ resultToken: token });
    },
    outcome: "posted",
  },
  {
    name: "NOT_APPLICABLE when the event left scope",
    prepare: (token) => configEvent({ resultToken: token, eventLeftScope: true }),
    outcome: "posted",
  },
  {
    name: "organization: NON_COMPLIANT in a member account through an assumed role",
    prepare: (token) => {
      aws.addRole(`arn:aws:iam::${MEMBER}:role/root-activity-member`);
      aws.setReport(
        reportFor(MEMBER, rootRow({ password_last_used: iamDate(daysBefore(new Date(), 2)) }, MEMBER)),
        {
          accountId: MEMBER,
        },
      );
      return configEvent({
        accountId: MEMBER,
        resultToken: token,
        ruleParameters: '{"executionRoleName":"root-activity-member"}',
      });
    },
    outcome: "posted",
  },
  {
    name: "IAM keeps throttling",
    prepare: (token) => {
      aws.setReport(reportFor());
      aws.inject({
        kind: "error",
        service: "iam",
        status: 400,
        code: "Throttling",
        times: Number.POSITIVE_INFINITY,
      });
      return configEvent({ resultToken: token });
    },
    remainingMs: 15_000,
    outcome: "ReportRetrievalError",
  },
  {
    name: "the report is not ready before the deadline",
    prepare: (token) => {
      aws.clearReport();
      aws.onGenerate(reportFor(), { readyAfterPolls: 1_000 });
      return configEvent({ resultToken: token });
    },
    remainingMs: 2_000,
    outcome: "ReportNotReadyError",
  },
  {
    name: "the report belongs to another account",
    prepare: (token) => {
      aws.setReport(reportFor("999988887777"));
      return configEvent({ resultToken: token });
    },
    outcome: "AccountMismatchError",
  },
  {
    name: "Config rejects the result token",
    prepare: (token) => {
      aws.setReport(usedReport());
      aws.inject({ kind: "error", service: "config", status: 400, code: "InvalidResultTokenException" });
      return configEvent({ resultToken: token });
    },
    outcome: "PutEvaluationsError",
  },
  {
    name: "Config lists the evaluation in FailedEvaluations",
    prepare: (token) => {
      aws.setReport(usedReport());
      aws.inject({ kind: "failedEvaluations" });
      return configEvent({ resultToken: token });
    },
    outcome: "PutEvaluationsError",
  },
  {
    name: "Config never answers",
    prepare: (token) => {
      aws.setReport(usedReport());
      aws.inject({ kind: "hang", service: "config" });
      return configEvent({ resultToken: token });
    },
    remainingMs: 2_000,
    outcome: "PutEvaluationsError",
  },
  {
    name: "IAM answers truncated XML that carries the report",
    prepare: (token) => {
      const content = Buffer.from(reportFor()).toString("base64");
      aws.inject({ kind: "raw", service: "iam", status: 200, body: xmlAnswer(`<Content>${content}`) });
      return configEvent({ resultToken: token });
    },
    outcome: "ReportRetrievalError",
  },
  {
    name: "IAM answers a report whose base64 is damaged",
    prepare: (token) => {
      const content = `${Buffer.from(reportFor()).toString("base64")}@@`;
      aws.inject({
        kind: "raw",
        service: "iam",
        status: 200,
        body: xmlAnswer(
          `<Content>${content}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-29T10:00:00Z</GeneratedTime></GetCredentialReportResult></GetCredentialReportResponse>`,
        ),
      });
      return configEvent({ resultToken: token });
    },
    outcome: "ReportRetrievalError",
  },
  {
    name: "STS refuses the member role",
    prepare: (token) =>
      configEvent({
        accountId: MEMBER,
        resultToken: token,
        ruleParameters: '{"executionRoleName":"not-deployed"}',
      }),
    outcome: "AssumeRoleError",
  },
  {
    name: "a malformed event",
    prepare: (token) => ({ ...configEvent({ resultToken: token }), invokingEvent: `{"token":"${token}"` }),
    outcome: "InvalidEventError",
  },
  {
    name: "invalid rule parameters",
    prepare: (token) => configEvent({ resultToken: token, ruleParameters: '{"lookbackDays":"-1"}' }),
    outcome: "InvalidParameterError",
  },
];

describe("logs, metrics and errors never carry report contents, user names, ARNs, credentials or the result token", () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      // Prepare
      const token = newToken();
      const event = scenario.prepare(token);
      const output = captureOutput();
      let result: unknown;
      let error: unknown;
      // Act
      try {
        result = await handler(event, lambdaContext(scenario.remainingMs ?? 10_000));
      } catch (thrown) {
        error = thrown;
      } finally {
        output.restore();
      }
      // Assess: the outcome is the one intended, so the scan covers that path.
      if (scenario.outcome === "posted") expect(error).toBeUndefined();
      else expect((error as Error | undefined)?.name).toBe(scenario.outcome);
      const lines = output.jsonLines();
      expect(lines.length).toBeGreaterThan(0);
      // What reaches CloudWatch: every line written, and the error the runtime logs (name, message, stack).
      // The full inspection of the error (cause chain, metadata) is included too, to be strict.
      const logged = [
        output.text(),
        error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : "",
        error === undefined ? "" : inspect(error, { depth: 6, showHidden: false }),
        result === undefined ? "" : JSON.stringify(result),
      ].join("\n");
      const forbidden = [
        ...CANARY_USERS,
        ...CANARY_USERS.map((name) => JSON.stringify(name)),
        CANARY_DATE,
        CANARY_IP,
        "zq-canary-session",
        "Mozilla/5.0",
        ":user/",
        "user_creation_time",
        "password_last_changed",
        token,
        Buffer.from(reportFor()).toString("base64").slice(0, 40),
        aws.env.AWS_SECRET_ACCESS_KEY,
        aws.env.AWS_SESSION_TOKEN,
        aws.env.AWS_ACCESS_KEY_ID,
        ...aws.calls.map((call) => call.accessKeyId).filter((id): id is string => id !== null),
      ].filter((text): text is string => Boolean(text));
      for (const text of forbidden) {
        expect(logged, `logs contain ${JSON.stringify(text)}`).not.toContain(text);
      }
      expect(logged).not.toMatch(/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/);
      // Not a log, but shown in the Config console: the annotation names no IAM user either.
      const posted = JSON.stringify(aws.evaluations);
      for (const name of CANARY_USERS) expect(posted).not.toContain(name);
      expect(posted).not.toContain(CANARY_IP);
    });
  }
});

describe("environment variables", () => {
  it("the rule's own code reads only POWERTOOLS_SERVICE_NAME; the CLI's only the region and the SDK's Node warning switch", () => {
    // Prepare
    const sources = listFiles(join(ROOT, "rule"), ".ts");
    const isCli = (path: string) => relative(ROOT, path).startsWith(join("rule", "cli"));
    // Act
    const readsOf = (paths: string[]) => {
      const reads = new Map<string, string[]>();
      for (const path of paths) {
        const text = readFileSync(path, "utf8");
        const uses = text.match(/process\.env\b[^;\n]*/g) ?? [];
        for (const use of uses) {
          const name = /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)/.exec(use)?.[1] ?? `(computed: ${use})`;
          reads.set(name, [...(reads.get(name) ?? []), relative(ROOT, path)]);
        }
      }
      return [...reads.keys()].sort();
    };
    // Act
    const lambda = readsOf(sources.filter((path) => !isCli(path)));
    const cli = readsOf(sources.filter(isCli));
    // Assess
    expect(lambda).toEqual(["POWERTOOLS_SERVICE_NAME"]);
    expect(cli).toEqual([
      "AWS_DEFAULT_REGION",
      "AWS_REGION",
      "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
    ]);
  });

  it("the bundle's literal process.env reads are non-secret settings or the runtime's credentials", () => {
    // Prepare
    const code = listFiles(LAMBDA_DIR, ".mjs")
      .map((path) => readFileSync(path, "utf8"))
      .join("\n");
    // Act
    const names = new Set(
      [
        ...code.matchAll(
          /process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]\s*\])/g,
        ),
      ].map((m) => m[1] ?? m[2] ?? ""),
    );
    // Assess
    expect(names.size).toBeGreaterThan(0);
    // The runtime's credentials may appear: the SDK's environment credential provider reads them (the rule's own
    // code does not, checked above).
    expect([...names].filter((name) => !nonSecret(name) && !RUNTIME_CREDENTIAL_NAMES.has(name))).toEqual([]);
  });

  it("what the bundle reads while it imports and evaluates is a non-secret setting or the runtime's credentials", async () => {
    // Prepare: a run that uses every code path that builds clients (own and assumed-role).
    aws.setReport(reportFor());
    aws.addRole(`arn:aws:iam::${MEMBER}:role/env-check`);
    aws.setReport(reportFor(MEMBER, rootRow({}, MEMBER)), { accountId: MEMBER });
    const output = captureOutput();
    // Act
    try {
      await handler(configEvent(), lambdaContext(10_000));
      await handler(
        configEvent({ accountId: MEMBER, ruleParameters: '{"executionRoleName":"env-check"}' }),
        lambdaContext(10_000),
      );
    } finally {
      output.restore();
    }
    // Assess
    const reads = [...envReads].sort();
    expect(reads).toContain("AWS_REGION");
    expect(reads.filter((name) => !nonSecret(name) && !RUNTIME_CREDENTIAL_NAMES.has(name))).toEqual([]);
    // Names that look secret are the runtime's credentials, or settings that only look so (a scope, a file path).
    const looksSecret = reads.filter(
      (name) => SECRET_LOOKING.test(name) && !RUNTIME_CREDENTIAL_NAMES.has(name),
    );
    expect(looksSecret.filter((name) => !ONLY_LOOK_SECRET.has(name))).toEqual([]);
  });
});

describe("the file system", () => {
  it("writes nothing: no file, directory or stream from the bundle, and TMPDIR stays empty", async () => {
    // Prepare
    aws.clearReport();
    aws.onGenerate(usedReport(), { readyAfterPolls: 1 });
    const output = captureOutput();
    // Act
    try {
      await handler(configEvent(), lambdaContext(10_000));
    } finally {
      output.restore();
    }
    // Assess
    expect(tmpdir()).toBe(emptyTmp);
    expect(readdirSync(emptyTmp)).toEqual([]);
    expect(fileWrites).toEqual([]);
    expect(aws.evaluations).toHaveLength(1);
  });
});

describe("dependencies", () => {
  /**
   * The libraries the shipped code imports, bundled into the Lambda and the CLI. The published package has no
   * runtime dependency (everything is bundled), so package.json lists them with the build and test tools under
   * devDependencies; this list is what tells them apart. A library joins it on purpose, after review.
   */
  const BUNDLED_LIBRARIES = [
    "@aws-lambda-powertools/logger",
    "@aws-lambda-powertools/metrics",
    "@aws-sdk/client-account",
    "@aws-sdk/client-cloudtrail",
    "@aws-sdk/client-config-service",
    "@aws-sdk/client-iam",
    "@aws-sdk/client-organizations",
    "@aws-sdk/client-sts",
    "@smithy/node-http-handler",
    "csv-parse",
    "csv-stringify",
    "yaml",
  ];

  /** `node_modules/@scope/name` or `node_modules/a/node_modules/b`: the package an input file belongs to. */
  function packageOf(path: string): string | undefined {
    return /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path.replaceAll("\\", "/"))?.[1];
  }

  /** The package name in a lockfile location: `node_modules/a/node_modules/@s/b` → `@s/b`. */
  function nameOf(location: string): string {
    return location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
  }

  type LockEntry = {
    dev?: boolean;
    optional?: boolean;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };

  /**
   * The lockfile locations of `names` and of everything they depend on, each dependency found as Node finds it:
   * the nearest `node_modules/<name>` from the dependent's own location up to the root. A dependency that is not
   * installed (an optional one for another platform) is left out.
   */
  function lockClosure(names: readonly string[]): Set<string> {
    const closure = new Set<string>();
    const visit = (from: string, name: string): void => {
      for (
        let base = from;
        ;
        base = base.includes("/node_modules/") ? base.slice(0, base.lastIndexOf("/node_modules/")) : ""
      ) {
        const location = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
        const entry = lock.packages[location];
        if (entry) {
          if (closure.has(location)) return;
          closure.add(location);
          const deps = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
          for (const dep of Object.keys(deps)) visit(location, dep);
          return;
        }
        if (!base) return;
      }
    };
    for (const name of names) visit("", name);
    return closure;
  }

  const bundledTree = lockClosure(BUNDLED_LIBRARIES);

  /** The inputs esbuild reads for the Lambda and the CLI bundles (their metafiles), built once, nothing written. */
  let inputs: Promise<Metafile["inputs"][]> | undefined;
  function bundleInputs(): Promise<Metafile["inputs"][]> {
    inputs ??= import("../scripts/build.ts").then(({ cliBuildOptions, lambdaBuildOptions }) =>
      Promise.all(
        [lambdaBuildOptions, cliBuildOptions].map(async (options) => {
          const { outfile: _outfile, outdir: _outdir, ...rest } = options;
          const result = await build({
            ...rest,
            outdir: join(tmpdir(), "root-activity-metafile-unwritten"),
            absWorkingDir: ROOT,
            metafile: true,
            write: false,
            logLevel: "silent",
          });
          return result.metafile.inputs;
        }),
      ),
    );
    return inputs;
  }

  function expectBundledTreeOnly(packages: Set<string>): void {
    expect(packages.size).toBeGreaterThan(10);
    for (const pkg of packages) {
      expect(lock.packages[pkg], `${pkg} is not in package-lock.json`).toBeDefined();
      expect(bundledTree.has(pkg), `${pkg} is neither a bundled library nor one of their dependencies`).toBe(
        true,
      );
    }
  }

  it("lists as bundled libraries exactly what rule/ imports from packages, each pinned in package.json", async () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    // Act
    const imported = new Set<string>();
    for (const bundle of await bundleInputs()) {
      for (const [path, input] of Object.entries(bundle)) {
        if (!path.startsWith("rule/")) continue;
        for (const imp of input.imports) {
          const pkg = imp.external ? undefined : packageOf(imp.path);
          if (pkg) imported.add(nameOf(pkg));
        }
      }
    }
    // Assess
    expect([...imported].sort()).toEqual(BUNDLED_LIBRARIES);
    for (const tool of ["vitest", "esbuild", "typescript", "fast-check", "fflate", "@biomejs/biome"]) {
      expect(bundledTree.has(`node_modules/${tool}`), `${tool} is reached from a bundled library`).toBe(
        false,
      );
    }
    expect(manifest.dependencies ?? {}).toEqual({});
    for (const name of BUNDLED_LIBRARIES) {
      expect(manifest.devDependencies?.[name], `${name} is not pinned in devDependencies`).toMatch(
        /^\d+\.\d+\.\d+$/,
      );
    }
  }, 60_000);

  it("bundles only the bundled libraries and their dependencies (esbuild metafiles of the Lambda and the CLI)", async () => {
    // Act
    const packages = new Set<string>();
    for (const bundle of await bundleInputs()) {
      const paths = Object.keys(bundle);
      expect(paths.some((path) => path.startsWith("rule/"))).toBe(true);
      for (const pkg of paths.map(packageOf)) if (pkg) packages.add(pkg);
    }
    // Assess
    expectBundledTreeOnly(packages);
    for (const dev of [
      "vitest",
      "fast-check",
      "aws-sdk-client-mock",
      "esbuild",
      "fflate",
      "@biomejs",
      "@cdktf",
    ]) {
      expect(
        [...packages].some((pkg) => pkg.endsWith(`node_modules/${dev}`) || pkg.includes(`/${dev}/`)),
      ).toBe(false);
    }
  }, 60_000);

  it("the shipped bundle's source maps list only the bundled libraries and their dependencies", () => {
    // Prepare
    const maps = listFiles(LAMBDA_DIR, ".map");
    expect(maps.map((path) => relative(LAMBDA_DIR, path))).toContain("index.mjs.map");
    // Act
    const packages = new Set(
      maps
        .flatMap((path) =>
          (JSON.parse(readFileSync(path, "utf8")) as { sources: string[] }).sources.map((source) =>
            relative(ROOT, resolve(dirname(path), source)),
          ),
        )
        .map(packageOf)
        .filter((pkg): pkg is string => pkg !== undefined),
    );
    // Assess
    expectBundledTreeOnly(packages);
  });

  it("npm audit reports no high or critical advisory in a bundled package", async (context) => {
    // Act
    const run = await new Promise<{ stdout: string; stderr: string; timedOut: boolean; status: unknown }>(
      (done) => {
        execFile(
          "npm",
          ["audit", "--json"],
          { cwd: ROOT, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
          (error, stdout, stderr) =>
            done({ stdout, stderr, timedOut: error?.killed ?? false, status: error ? error.code : 0 }),
        );
      },
    );
    let report: {
      metadata?: { vulnerabilities?: Record<string, number> };
      vulnerabilities?: Record<string, { name: string; severity: string; nodes: string[] }>;
      error?: { code?: string; summary?: string };
      statusCode?: number;
      message?: string;
    } = {};
    try {
      report = JSON.parse(run.stdout || "{}");
    } catch {
      // Not JSON: judged below.
    }
    // Assess: advisories found are judged; an audit endpoint that cannot be used skips, saying why.
    const counts = report.metadata?.vulnerabilities;
    if (counts) {
      // The whole tree is audited; what ships is the bundled libraries and their dependencies.
      const shipped = Object.values(report.vulnerabilities ?? {}).filter((v) =>
        v.nodes.some((node) => bundledTree.has(node)),
      );
      console.info(`npm audit: ${JSON.stringify(counts)}; in bundled packages: ${shipped.length}`);
      const severe = shipped.filter((v) => v.severity === "high" || v.severity === "critical");
      expect(severe.map((v) => `${v.name} (${v.severity})`)).toEqual([]);
      return;
    }
    const problem = [report.message, report.error?.code, report.error?.summary, run.stderr.split("\n")[0]]
      .filter(Boolean)
      .join(" ")
      .trim();
    // Offline means the registry cannot be reached (a network error, no answer, a 5xx) or has no audit endpoint
    // (404, 405). A 401 or 403 is an answer: credentials or policy refused the audit, and that fails the test.
    // npm says the status as a number ("405 Method Not Allowed - POST …") or a code (E403).
    const status = report.statusCode ?? Number(/\bE?([1-5]\d{2})\b/.exec(problem)?.[1] ?? 0);
    const unreachable =
      run.timedOut ||
      status === 404 ||
      status === 405 ||
      status >= 500 ||
      (status === 0 &&
        /ENOTFOUND|ECONNREFUSED|ECONNRESET|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|request to .* failed/i.test(
          problem,
        ));
    if (unreachable) {
      const reason = `npm audit skipped: the registry's audit endpoint could not be used (${run.timedOut ? "no answer in 90 s" : problem.slice(0, 160)})`;
      console.warn(reason);
      context.skip(reason);
    }
    throw new Error(
      `npm audit gave no report (exit ${String(run.status)}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}`,
    );
  }, 120_000);
});

function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

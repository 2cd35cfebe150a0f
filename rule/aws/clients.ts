import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { IAMClient } from "@aws-sdk/client-iam";
import type { TrailClients, TrailTiming } from "./trail-clients.ts";

/** Temporary credentials, as STS returns them. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The clients an evaluation uses, bound to one set of credentials. */
export interface RuleClients {
  readonly iam: IAMClient;
  readonly config: ConfigServiceClient;
  /** The CloudTrail and Account clients, created (and their SDKs loaded) on the first call only. */
  readonly trail: () => Promise<TrailClients>;
  /** Closes every client's sockets. */
  readonly destroy: () => void;
}

/**
 * Retry and timeout settings, chosen on purpose:
 * - `standard` retry mode retries throttling (`Throttling`, `ThrottlingException`, `LimitExceeded`), 5xx and
 *   network errors with exponential back-off and jitter, and its retry quota stops a storm of retries when
 *   a service is really down. Adaptive mode's client-side rate limiter only helps long-lived clients under
 *   sustained throttling, which one evaluation is not.
 * - IAM gets one attempt more than Config: an organization-wide run makes many concurrent IAM calls per
 *   account, and throttling there is the most likely fault; `PutEvaluations` is one call.
 * - CloudTrail gets five: its requests are paced to its two-per-second limit, so a throttle means another
 *   caller in the account, and backing off a few times more usually gets through.
 * - Per-attempt socket timeouts keep one stalled connection from eating the Lambda's whole time; the
 *   invocation's overall deadline is enforced separately with an abort signal on each call.
 */
export const CLIENT_SETTINGS = {
  iamMaxAttempts: 4,
  configMaxAttempts: 3,
  cloudTrailMaxAttempts: 5,
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
} as const;

/** The shape of {@link CLIENT_SETTINGS}. */
export type ClientSettings = { readonly [K in keyof typeof CLIENT_SETTINGS]: number };

/**
 * Creates the IAM and Config clients (and, on demand, the CloudTrail and Account ones); with `credentials`, for
 * an assumed role, else from the environment's default credential chain (the Lambda's execution role, or the
 * CLI user's profile). `settings` are {@link CLIENT_SETTINGS} unless a test needs a shorter timeout, and the
 * CloudTrail clients wait in real time unless a test gives them a virtual `trailTiming`.
 *
 * @example
 * ```ts
 * const { iam, config } = createRuleClients();
 * ```
 */
export function createRuleClients(
  credentials?: RoleCredentials,
  settings: ClientSettings = CLIENT_SETTINGS,
  trailTiming?: TrailTiming,
): RuleClients {
  const common = {
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // Without it, this SDK version only warns when a request times out and keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...(credentials ? { credentials } : {}),
  } as const;
  const iam = new IAMClient({ ...common, maxAttempts: settings.iamMaxAttempts });
  const config = new ConfigServiceClient({ ...common, maxAttempts: settings.configMaxAttempts });
  let trail: Promise<TrailClients> | undefined;
  return {
    iam,
    config,
    // A dynamic import: with code splitting, the CloudTrail and Account SDKs are a chunk init never reads.
    trail: () => {
      trail ??= import("./trail-clients.ts").then((m) =>
        m.createTrailClients(credentials, settings, trailTiming),
      );
      return trail;
    },
    destroy: () => {
      iam.destroy();
      config.destroy();
      void trail?.then((clients) => clients.destroy());
    },
  };
}

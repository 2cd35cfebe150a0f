/** Temporary credentials, as STS returns them. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/**
 * Retry and timeout settings of every AWS client the rule builds, chosen on purpose:
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
 *
 * @example
 * ```ts
 * new IAMClient({ maxAttempts: CLIENT_SETTINGS.iamMaxAttempts });
 * ```
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
 * The HTTP handler options every client shares: connection and per-attempt timeouts that throw.
 *
 * @example
 * ```ts
 * new STSClient({ requestHandler: requestHandlerOptions(CLIENT_SETTINGS) });
 * ```
 */
export function requestHandlerOptions(settings: ClientSettings) {
  return {
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    // Without it, this SDK version only warns when a request times out and keeps waiting.
    throwOnRequestTimeout: true,
  } as const;
}

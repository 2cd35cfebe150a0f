import { AccountClient } from "@aws-sdk/client-account";
import { CloudTrailClient, type CloudTrailClientConfig } from "@aws-sdk/client-cloudtrail";
import { LOOKUPS_PER_SECOND, PacedHttpHandler, Pacer } from "../cloudtrail/pacer.ts";
import {
  CLIENT_SETTINGS,
  type ClientSettings,
  type RoleCredentials,
  requestHandlerOptions,
} from "./settings.ts";

/** The clients of the CloudTrail lookup, bound to one set of credentials. */
export interface TrailClients {
  /** The Account API (global): `ListRegions`. */
  readonly account: AccountClient;
  /** A CloudTrail client for `region`, created once per region; every request it sends is paced. */
  cloudTrail(region: string): CloudTrailClient;
  /** Closes every client's sockets. */
  destroy(): void;
}

/**
 * The time the CloudTrail clients wait in: real time, unless a test runs each region's pace in virtual time and
 * shortens the SDK's back-off, so that a lookup of many pages or a throttling storm takes milliseconds, not seconds.
 */
export interface TrailTiming {
  /** The pacer of `region`'s client: two requests per second in real time by default. */
  readonly pacer?: (region: string) => Pacer;
  /** Replaces the standard retry mode's strategy (and its back-off) of every CloudTrail client. */
  readonly retryStrategy?: CloudTrailClientConfig["retryStrategy"];
}

/**
 * Creates the CloudTrail and Account clients; loaded with `import()` only when the rule reads CloudTrail, so
 * their SDKs stay out of the Lambda's init. Each region's client sends every attempt, retries included, through
 * that region's {@link Pacer}.
 *
 * @example
 * ```ts
 * const { createTrailClients } = await import("./trail-clients.ts");
 * const trail = createTrailClients(credentials);
 * await trail.cloudTrail("eu-west-1").send(new LookupEventsCommand({}));
 * ```
 */
export function createTrailClients(
  credentials?: RoleCredentials,
  settings: ClientSettings = CLIENT_SETTINGS,
  timing: TrailTiming = {},
): TrailClients {
  const handlerOptions = requestHandlerOptions(settings);
  const common = { retryMode: "standard", ...(credentials ? { credentials } : {}) } as const;
  const regional = new Map<string, CloudTrailClient>();
  const account = new AccountClient({
    ...common,
    maxAttempts: settings.configMaxAttempts,
    requestHandler: handlerOptions,
  });
  return {
    account,
    cloudTrail(region) {
      let client = regional.get(region);
      if (!client) {
        client = new CloudTrailClient({
          ...common,
          region,
          maxAttempts: settings.cloudTrailMaxAttempts,
          ...(timing.retryStrategy ? { retryStrategy: timing.retryStrategy } : {}),
          requestHandler: new PacedHttpHandler(
            timing.pacer?.(region) ?? new Pacer(LOOKUPS_PER_SECOND),
            handlerOptions,
          ),
        });
        regional.set(region, client);
      }
      return client;
    },
    destroy() {
      account.destroy();
      for (const client of regional.values()) client.destroy();
      regional.clear();
    },
  };
}

import { AccountClient } from "@aws-sdk/client-account";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Pacer } from "../evidence/pacer.ts";
import { CLIENT_SETTINGS, type RoleCredentials } from "./clients.ts";

/** The clients of the CloudTrail lookup, bound to one set of credentials. */
export interface TrailClients {
  /** The Account API (global): `ListRegions`. */
  readonly account: AccountClient;
  /** A CloudTrail client for `region`, created once per region; every request it sends is paced. */
  cloudTrail(region: string): CloudTrailClient;
  /** Closes every client's sockets. */
  destroy(): void;
}

/** LookupEvents: two requests per second per account and region (CloudTrail API reference). */
export const LOOKUPS_PER_SECOND = 2;

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
export function createTrailClients(credentials?: RoleCredentials): TrailClients {
  const handlerOptions = {
    connectionTimeout: CLIENT_SETTINGS.connectionTimeoutMs,
    requestTimeout: CLIENT_SETTINGS.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
  const common = { retryMode: "standard", ...(credentials ? { credentials } : {}) } as const;
  const regional = new Map<string, CloudTrailClient>();
  const account = new AccountClient({
    ...common,
    maxAttempts: CLIENT_SETTINGS.configMaxAttempts,
    requestHandler: handlerOptions,
  });
  return {
    account,
    cloudTrail(region) {
      let client = regional.get(region);
      if (!client) {
        const pacer = new Pacer(LOOKUPS_PER_SECOND);
        const http = new NodeHttpHandler(handlerOptions);
        client = new CloudTrailClient({
          ...common,
          region,
          maxAttempts: CLIENT_SETTINGS.cloudTrailMaxAttempts,
          requestHandler: {
            metadata: http.metadata,
            handle: async (...[request, options]: Parameters<NodeHttpHandler["handle"]>) => {
              await pacer.turn(options?.abortSignal as AbortSignal | undefined);
              return http.handle(request, options);
            },
            updateHttpClientConfig: (key, value) => http.updateHttpClientConfig(key, value),
            httpHandlerConfigs: () => http.httpHandlerConfigs(),
            destroy: () => http.destroy(),
          },
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

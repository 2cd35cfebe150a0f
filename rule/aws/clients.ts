import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { IAMClient } from "@aws-sdk/client-iam";
import {
  CLIENT_SETTINGS,
  type ClientSettings,
  type RoleCredentials,
  requestHandlerOptions,
} from "./settings.ts";
import type { TrailClients, TrailTiming } from "./trail-clients.ts";

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
    requestHandler: requestHandlerOptions(settings),
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

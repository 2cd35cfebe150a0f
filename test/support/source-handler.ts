/**
 * The handler built from source (not the bundle), with the real SDK over the same wire, for tests that shorten what
 * the bundle waits in real time: the socket timeouts, the CloudTrail pace and the SDK's back-off. What they test
 * is the behaviour; test/clients.test.ts pins the real settings.
 */
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { ClientCache } from "../../rule/aws/client-cache.ts";
import { createRuleClients } from "../../rule/aws/clients.ts";
import { CLIENT_SETTINGS, type ClientSettings } from "../../rule/aws/settings.ts";
import { assumeMemberRole, createStsClient } from "../../rule/aws/sts.ts";
import type { TrailTiming } from "../../rule/aws/trail-clients.ts";
import { createHandler } from "../../rule/handler.ts";
import { logger } from "../../rule/logger.ts";
import type { LocalAws } from "../../scripts/local-aws/server.ts";
import { virtualPace } from "./virtual-time.ts";
import type { Handler } from "./wire.ts";

export interface SourceHandlerOptions {
  /** Socket timeouts and attempts of IAM, Config, CloudTrail and STS. */
  readonly settings?: ClientSettings;
  /** The CloudTrail clients' pace and back-off. */
  readonly trail?: TrailTiming;
}

/**
 * @example
 * ```ts
 * const handler = sourceHandler({ settings: { ...CLIENT_SETTINGS, requestTimeoutMs: 1_000 } });
 * const run = await invokeHandler(handler, configEvent(), 6_000);
 * ```
 */
export function sourceHandler(options: SourceHandlerOptions = {}): Handler {
  const settings = options.settings ?? CLIENT_SETTINGS;
  const sts = createStsClient(settings);
  const cache = new ClientCache(
    Date.now,
    (credentials) => createRuleClients(credentials, settings, options.trail),
    (input) => assumeMemberRole({ ...input, client: sts }),
  );
  const handler = createHandler({
    clientsFor: (request) => cache.clientsFor(request),
    clock: Date.now,
    logger,
  });
  return handler as Handler;
}

/**
 * The handler from source with CloudTrail's pace in virtual time (test/support/virtual-time.ts) on `aws`'s limit,
 * and the SDK's back-off cut to 1 ms: a throttling storm that outlasts the 5 attempts takes milliseconds. The
 * attempts stay the real ones; test/clients.test.ts pins them and the standard retry mode the bundle ships.
 *
 * @example
 * ```ts
 * const run = await invokeHandler(virtualTrailHandler(aws), eventAt(t), 20_000);
 * ```
 */
export function virtualTrailHandler(aws: Pick<LocalAws, "lookupNow">): Handler {
  const pace = virtualPace();
  aws.lookupNow = pace.lookupNow;
  return sourceHandler({
    trail: {
      pacer: pace.pacer,
      retryStrategy: new ConfiguredRetryStrategy(CLIENT_SETTINGS.cloudTrailMaxAttempts, 1),
    },
  });
}

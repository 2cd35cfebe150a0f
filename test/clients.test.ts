/**
 * The SDK clients' settings (rule/aws/clients.ts), as literals: 3 s to connect and 10 s per attempt, so a stalled
 * connection cannot eat the Lambda; 4 attempts on IAM, 3 on Config, 5 on CloudTrail; the standard retry mode.
 * STS gets the timeouts of IAM and 3 attempts. The wire tests that shorten these (test/support/source-handler.ts)
 * show a stalled attempt abandoned and retried; these pin what ships.
 */
import { describe, expect, it } from "vitest";
import { createRuleClients } from "../rule/aws/clients.ts";
import { createStsClient } from "../rule/aws/sts.ts";

interface HandlerConfig {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: boolean;
}

const handlerConfig = (client: { config: { requestHandler: unknown } }) =>
  (client.config.requestHandler as { configProvider: Promise<HandlerConfig> }).configProvider;

describe("createRuleClients", () => {
  const clients = createRuleClients({ accessKeyId: "a", secretAccessKey: "b" });

  it("gives IAM and Config a 3 s connection timeout and a 10 s timeout per attempt, thrown as an error", async () => {
    for (const client of [clients.iam, clients.config]) {
      expect(await handlerConfig(client)).toMatchObject({
        connectionTimeout: 3_000,
        requestTimeout: 10_000,
        throwOnRequestTimeout: true,
      });
    }
  });

  it("makes 4 attempts on IAM and 3 on Config, in standard retry mode", async () => {
    expect(await clients.iam.config.maxAttempts()).toBe(4);
    expect(await clients.config.config.maxAttempts()).toBe(3);
    for (const mode of [clients.iam.config.retryMode, clients.config.config.retryMode]) {
      expect(typeof mode === "string" ? mode : await mode()).toBe("standard");
    }
  });

  it("takes shorter timeouts when asked (tests only)", async () => {
    const short = createRuleClients(undefined, {
      iamMaxAttempts: 2,
      configMaxAttempts: 2,
      cloudTrailMaxAttempts: 2,
      connectionTimeoutMs: 100,
      requestTimeoutMs: 200,
    });
    expect(await handlerConfig(short.iam)).toMatchObject({ connectionTimeout: 100, requestTimeout: 200 });
    expect(await short.iam.config.maxAttempts()).toBe(2);
    short.destroy();
  });

  it("gives CloudTrail and the Account API the same socket timeouts, 5 attempts on CloudTrail and 3 on Account, in standard retry mode", async () => {
    const trail = await clients.trail();
    const cloudTrail = trail.cloudTrail("eu-west-1");
    for (const client of [cloudTrail, trail.account]) {
      expect(await handlerConfig(client)).toMatchObject({
        connectionTimeout: 3_000,
        requestTimeout: 10_000,
        throwOnRequestTimeout: true,
      });
    }
    expect(await cloudTrail.config.maxAttempts()).toBe(5);
    expect(await trail.account.config.maxAttempts()).toBe(3);
    const mode = cloudTrail.config.retryMode;
    expect(typeof mode === "string" ? mode : await mode()).toBe("standard");
  });
});

describe("createStsClient", () => {
  it("gives STS a 3 s connection timeout, 10 s per attempt and 3 attempts in standard retry mode", async () => {
    const sts = createStsClient();
    expect(await handlerConfig(sts)).toMatchObject({
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
    expect(await sts.config.maxAttempts()).toBe(3);
    const mode = sts.config.retryMode;
    expect(typeof mode === "string" ? mode : await mode()).toBe("standard");
    sts.destroy();
  });
});

/**
 * ClientCache: which credentials an evaluation gets, and that a warm function's memory stays bounded.
 */
import { describe, expect, it, vi } from "vitest";
import { ClientCache, MIN_CREDENTIAL_LIFE_MS } from "../rule/aws/client-cache.ts";
import type { RuleClients } from "../rule/aws/clients.ts";
import type { RoleCredentials } from "../rule/aws/settings.ts";

const T0 = Date.parse("2026-11-29T12:00:00Z");

function fakes() {
  let now = T0;
  const assumed: string[] = [];
  const destroyed: string[] = [];
  const create = (credentials?: RoleCredentials): RuleClients => {
    const id = credentials?.accessKeyId ?? "own";
    const client = { destroy: () => destroyed.push(id) };
    return {
      iam: client,
      config: client,
      trail: async () => client,
      destroy: () => destroyed.push(id),
    } as unknown as RuleClients;
  };
  const assume = async (input: { roleArn: string }) => {
    assumed.push(input.roleArn);
    return {
      accessKeyId: `key-${assumed.length}`,
      secretAccessKey: "s",
      sessionToken: "t",
      expiration: new Date(now + 15 * 60_000),
    };
  };
  const cache = new ClientCache(() => now, create, assume);
  return { cache, assumed, destroyed, advance: (ms: number) => (now += ms) };
}

const request = (accountId: string) => ({
  accountId,
  partition: "aws",
  configRuleName: "org-rule",
  executionRoleName: "root-activity-member",
});

describe("ClientCache", () => {
  it("uses the function's own clients, once, when no executionRoleName is set", async () => {
    // Prepare
    const { cache, assumed } = fakes();
    // Act
    const a = await cache.clientsFor({ ...request("111122223333"), executionRoleName: undefined });
    const b = await cache.clientsFor({ ...request("444455556666"), executionRoleName: undefined });
    // Assess
    expect(assumed).toEqual([]);
    expect(a.iam).toBe(b.iam);
    expect(a.roleArn).toBeUndefined();
  });

  it("gives each account its own assumed-role clients and reuses them while fresh", async () => {
    // Prepare
    const { cache, assumed } = fakes();
    // Act
    const a1 = await cache.clientsFor(request("111122223333"));
    const b = await cache.clientsFor(request("444455556666"));
    const a2 = await cache.clientsFor(request("111122223333"));
    // Assess
    expect(assumed).toEqual([
      "arn:aws:iam::111122223333:role/root-activity-member",
      "arn:aws:iam::444455556666:role/root-activity-member",
    ]);
    expect(a1.iam).not.toBe(b.iam);
    expect(a2.iam).toBe(a1.iam);
  });

  it("assumes again once the credentials have less than 5 minutes left", async () => {
    // Prepare
    const { cache, assumed, advance } = fakes();
    await cache.clientsFor(request("111122223333"));
    // Act
    advance(15 * 60_000 - MIN_CREDENTIAL_LIFE_MS);
    await cache.clientsFor(request("111122223333"));
    // Assess
    expect(assumed).toHaveLength(2);
  });

  it("evicts and later closes every expiring client set, so memory stays bounded across thousands of accounts", async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const { cache, destroyed, advance } = fakes();
      for (let i = 0; i < 1_000; i++) await cache.clientsFor(request(String(100000000000 + i)));
      expect(cache.size).toBe(1_000);
      // Act
      advance(11 * 60_000);
      await cache.clientsFor(request("999999999999"));
      vi.advanceTimersByTime(MIN_CREDENTIAL_LIFE_MS);
      // Assess
      expect(cache.size).toBe(1);
      expect(new Set(destroyed).size).toBe(1_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not cache a failed AssumeRole", async () => {
    // Prepare
    let calls = 0;
    const cache = new ClientCache(
      () => T0,
      () => ({}) as RuleClients,
      async () => {
        calls += 1;
        throw new Error("AccessDenied");
      },
    );
    // Act
    await expect(cache.clientsFor(request("111122223333"))).rejects.toThrow("AccessDenied");
    await expect(cache.clientsFor(request("111122223333"))).rejects.toThrow("AccessDenied");
    // Assess
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
  });
});

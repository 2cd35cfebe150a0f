import { createRuleClients, type RuleClients } from "./clients.ts";
import { assumeMemberRole, memberRoleArn, sessionName } from "./sts.ts";

/** What picks the clients for one evaluation. */
export interface ClientRequest {
  readonly accountId: string;
  readonly partition: string;
  readonly configRuleName: string | undefined;
  readonly executionRoleName: string | undefined;
  readonly abortSignal?: AbortSignal;
}

/** Clients for an assumed role are reused only while their credentials have this much life left. */
export const MIN_CREDENTIAL_LIFE_MS = 5 * 60_000;

/**
 * Hands out the clients an evaluation must use: the Lambda's own for a single-account rule; for an organization
 * rule, clients with credentials of `executionRoleName` in the evaluated account. Cached per account and role,
 * and only while the credentials stay valid, so a warm Lambda never uses account A's credentials for account B.
 *
 * @example
 * ```ts
 * const cache = new ClientCache();
 * const { iam, config } = await cache.clientsFor({ accountId, partition: "aws", configRuleName, executionRoleName });
 * ```
 */
export class ClientCache {
  #own: RuleClients | undefined;
  readonly #assumed = new Map<string, CacheEntry>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly create: typeof createRuleClients = createRuleClients,
    private readonly assume: typeof assumeMemberRole = assumeMemberRole,
  ) {}

  /** Number of assumed-role client sets held (for tests and the organization benchmark). */
  get size(): number {
    return this.#assumed.size;
  }

  async clientsFor(request: ClientRequest): Promise<RuleClients & { roleArn: string | undefined }> {
    if (!request.executionRoleName) {
      this.#own ??= this.create();
      return { ...this.#own, roleArn: undefined };
    }
    // A warm function may see thousands of accounts: drop (and close) every client set that is about to expire,
    // so memory stays bounded by the accounts evaluated in the last few minutes.
    this.#sweep();
    const roleArn = memberRoleArn(request.partition, request.accountId, request.executionRoleName);
    const cached = this.#assumed.get(roleArn);
    if (cached) {
      const entry = await cached.pending.catch(() => undefined);
      if (entry && this.#fresh(entry.expiration)) return { ...entry.clients, roleArn };
      if (this.#assumed.get(roleArn) === cached) this.#evict(roleArn, cached);
    }
    const slot: CacheEntry = {
      pending: this.assume({
        roleArn,
        accountId: request.accountId,
        sessionName: sessionName(request.configRuleName),
        ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
      }).then((credentials) => {
        const settled = { clients: this.create(credentials), expiration: credentials.expiration };
        slot.settled = settled;
        return settled;
      }),
    };
    this.#assumed.set(roleArn, slot);
    try {
      const entry = await slot.pending;
      return { ...entry.clients, roleArn };
    } catch (error) {
      if (this.#assumed.get(roleArn) === slot) this.#assumed.delete(roleArn);
      throw error;
    }
  }

  #fresh(expiration: Date): boolean {
    return expiration.getTime() - this.clock() > MIN_CREDENTIAL_LIFE_MS;
  }

  #sweep(): void {
    for (const [roleArn, entry] of this.#assumed) {
      if (entry.settled && !this.#fresh(entry.settled.expiration)) this.#evict(roleArn, entry);
    }
  }

  #evict(roleArn: string, entry: CacheEntry): void {
    this.#assumed.delete(roleArn);
    // A concurrent invocation may still be using these clients. Their credentials expire within
    // MIN_CREDENTIAL_LIFE_MS, so closing them after that long cannot break a call that could still succeed.
    setTimeout(() => entry.settled?.clients.destroy(), MIN_CREDENTIAL_LIFE_MS).unref();
  }
}

interface CacheEntry {
  readonly pending: Promise<{ clients: RuleClients; expiration: Date }>;
  settled?: { clients: RuleClients; expiration: Date };
}

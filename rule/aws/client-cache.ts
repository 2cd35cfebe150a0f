import { assumeMemberRole, memberRoleArn, sessionName } from "./assume-role.ts";
import { createRuleClients, type RuleClients } from "./clients.ts";

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
  readonly #assumed = new Map<string, Promise<{ clients: RuleClients; expiration: Date }>>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly create: typeof createRuleClients = createRuleClients,
    private readonly assume: typeof assumeMemberRole = assumeMemberRole,
  ) {}

  async clientsFor(request: ClientRequest): Promise<RuleClients & { roleArn: string | undefined }> {
    if (!request.executionRoleName) {
      this.#own ??= this.create();
      return { ...this.#own, roleArn: undefined };
    }
    const roleArn = memberRoleArn(request.partition, request.accountId, request.executionRoleName);
    const cached = this.#assumed.get(roleArn);
    if (cached) {
      const entry = await cached.catch(() => undefined);
      if (entry && entry.expiration.getTime() - this.clock() > MIN_CREDENTIAL_LIFE_MS) {
        return { ...entry.clients, roleArn };
      }
      if (this.#assumed.get(roleArn) === cached) this.#assumed.delete(roleArn);
    }
    const pending = this.assume({
      roleArn,
      accountId: request.accountId,
      sessionName: sessionName(request.configRuleName),
      ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
    }).then((credentials) => ({ clients: this.create(credentials), expiration: credentials.expiration }));
    this.#assumed.set(roleArn, pending);
    try {
      const entry = await pending;
      return { ...entry.clients, roleArn };
    } catch (error) {
      if (this.#assumed.get(roleArn) === pending) this.#assumed.delete(roleArn);
      throw error;
    }
  }
}

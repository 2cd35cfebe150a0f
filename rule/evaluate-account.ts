import type { RuleClients } from "./aws/clients.ts";
import { AccountMismatchError } from "./errors.ts";
import { type EvaluateOptions, evaluate } from "./evaluate.ts";
import { gatherEvidence } from "./evidence/gather.ts";
import type { Evidence, GatheredEvidence, GatherOptions, ReportEvidence } from "./evidence/types.ts";
import type { Verdict } from "./verdict.ts";

/** Where one account's evidence comes from. */
export type EvidenceSource =
  /** AWS, through clients bound to credentials of the account: the credential report and CloudTrail. */
  | { readonly kind: "aws"; readonly clients: Pick<RuleClients, "iam" | "trail"> }
  /** A credential report already in hand (a downloaded file): no CloudTrail. */
  | { readonly kind: "report"; readonly report: ReportEvidence };

/** One account to evaluate: where its evidence comes from, the parameters, the time, the deadline, the account. */
export interface AccountRequest<S extends EvidenceSource = EvidenceSource>
  extends GatherOptions,
    EvaluateOptions {
  readonly source: S;
  /**
   * The account the evidence must be of (the one Config asked about, the role's, the credentials'); undefined
   * when nothing says which (a report file).
   */
  readonly accountId: string | undefined;
}

/** The verdict on one account, and what it took to reach it (for the logs and the metrics). */
export interface AccountEvaluation<S extends EvidenceSource = EvidenceSource> {
  readonly verdict: Verdict;
  /** What gathering the evidence from AWS cost; null for a report in hand. */
  readonly gathered: S extends { readonly kind: "aws" } ? GatheredEvidence : null;
}

/**
 * Evaluates one account: gathers its evidence (the credential report and, unless `cloudTrailLookup` is false,
 * CloudTrail event history, bound by the deadline), decides with the pure {@link evaluate}, and checks that the
 * report is the expected account's. The one evaluation path: the Lambda handler, `evaluate --report`,
 * `evaluate --live` and the organization scan all call it, and nothing else calls `evaluate`. Throws what
 * gathering throws, and {@link AccountMismatchError}; a report that cannot be verified is a verdict, not an error.
 *
 * @example
 * ```ts
 * const { verdict } = await evaluateAccount({
 *   source: { kind: "aws", clients }, params, now, deadline: Date.now() + 60_000, accountId: "111122223333",
 * });
 * ```
 */
export async function evaluateAccount<S extends EvidenceSource>(
  request: AccountRequest<S>,
): Promise<AccountEvaluation<S>> {
  const source: EvidenceSource = request.source;
  let gathered: GatheredEvidence | null = null;
  let evidence: Evidence;
  if (source.kind === "aws") {
    gathered = await gatherEvidence(source.clients, request);
    evidence = gathered.evidence;
  } else {
    evidence = { report: source.report, cloudTrail: null };
  }
  const verdict = evaluate(
    evidence,
    request.now,
    request.params,
    request.maxReportAgeMs === undefined ? {} : { maxReportAgeMs: request.maxReportAgeMs },
  );
  if (
    request.accountId !== undefined &&
    verdict.accountId !== null &&
    verdict.accountId !== request.accountId
  ) {
    throw new AccountMismatchError(request.accountId, verdict.accountId);
  }
  return { verdict, gathered } as AccountEvaluation<S>;
}

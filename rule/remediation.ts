/**
 * What to do about a NON_COMPLIANT account, in plain words (AWS's root user best practices, CIS AWS Foundations
 * 1.7 / 2.6, Well-Architected SEC01-BP02).
 *
 * @example
 * ```ts
 * for (const step of REMEDIATION_STEPS) console.log(step.title);
 * ```
 */
export const REMEDIATION_STEPS: ReadonlyArray<{ readonly title: string; readonly detail: string }> = [
  {
    title: "Find out who used root, and why",
    detail:
      "Look up the root sign-ins and API calls in CloudTrail (userIdentity.type = Root) for the time in the " +
      "annotation. If nobody on the team can account for it, treat it as an incident: change the root " +
      "password, rotate or delete root access keys and review recent changes.",
  },
  {
    title: "Stop using root for daily work",
    detail:
      "Do the task with an IAM Identity Center user or an IAM role that has only the permissions it needs. " +
      "Only a few tasks truly need root (for example closing the account or changing its support plan).",
  },
  {
    title: "Create least-privilege identities",
    detail:
      "Give people IAM Identity Center users (or federated roles) with permission sets scoped to their job, " +
      "and workloads IAM roles; do not share the root credentials.",
  },
  {
    title: "Delete root access keys",
    detail:
      "In the console: account menu > Security credentials > Access keys, deactivate then delete every root " +
      "access key. Run the rule with failOnActiveAccessKeys=true to keep them from coming back.",
  },
  {
    title: "Enable MFA on root",
    detail:
      "Register a hardware key or passkey for the root user (Security credentials > Multi-factor " +
      "authentication) and keep it, and the password, in a safe place with break-glass access.",
  },
  {
    title: "Consider centralized root access (Organizations)",
    detail:
      "For member accounts, enable centralized root access in IAM and remove their root credentials; " +
      "privileged tasks then run as short sts:AssumeRoot sessions from the management account.",
  },
];

/**
 * The steps as numbered plain text.
 *
 * @example
 * ```ts
 * console.log(remediationText());
 * ```
 */
export function remediationText(): string {
  return REMEDIATION_STEPS.map((step, i) => `${i + 1}. ${step.title}\n   ${step.detail}`).join("\n\n");
}

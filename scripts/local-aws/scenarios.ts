/**
 * Ready-made event histories for the local endpoint: what `npm start` shows, and what `npm run local-aws` can
 * serve. Times are relative to an evaluation time, so a scenario tells the same story on any day.
 *
 * @module
 */
import {
  assumedRoleApiCall,
  type CloudTrailRecord,
  centralizedRootSessionEvent,
  iamUserConsoleSignIn,
  rootConsoleSignIn,
} from "./cloudtrail-records.ts";
import type { OrganizationAccountSpec } from "./organizations.ts";
import { CREDENTIAL_REPORT_COLUMNS, minimalRootRow } from "./report-csv.ts";
import type { LocalAws } from "./types.ts";

const HOUR = 3_600_000;

/**
 * The demo account's recent history: a root console sign-in (with MFA) in eu-west-1 eight hours before the
 * evaluation, newer than anything the credential report shows; a centralized root session (AssumeRoot) that
 * deleted root's password three days before; and the everyday activity of an IAM user and a deployment role.
 *
 * @example
 * ```ts
 * aws.addCloudTrailEvents(demoHistory(new Date("2026-11-20T06:00:00Z")));
 * ```
 */
export function demoHistory(evaluationTime: Date, accountId = "111122223333"): CloudTrailRecord[] {
  const at = (hoursBefore: number) => new Date(evaluationTime.getTime() - hoursBefore * HOUR);
  return [
    rootConsoleSignIn({
      accountId,
      time: at(8.33),
      region: "eu-west-1",
      mfaUsed: true,
      sourceIp: "203.0.113.45",
    }),
    centralizedRootSessionEvent({
      accountId,
      time: at(72),
      region: "us-east-1",
      eventName: "DeleteLoginProfile",
      sessionKey: "ASIADEMOROOTSESSION1",
    }),
    ...Array.from({ length: 12 }, (_, i) =>
      iamUserConsoleSignIn({ accountId, time: at(6 + 12 * i), userName: "alice" }),
    ),
    ...Array.from({ length: 40 }, (_, i) =>
      assumedRoleApiCall({ accountId, time: at(i), region: "eu-west-1" }),
    ),
  ];
}

/** The role the demo organization's members trust the management account to assume (AWS's default one). */
export const DEMO_ORGANIZATION_ROLE = "OrganizationAccountAccessRole";

/**
 * A demo organization around the home account (its management account): eight members with mixed stories. `prod`
 * had its root password used 3 days ago (NON_COMPLIANT); `security-tooling` had a root console sign-in 5 hours ago
 * that only CloudTrail shows (NON_COMPLIANT with CloudTrail on); `sandbox` is SUSPENDED (skipped); `legacy-billing`
 * has no `OrganizationAccountAccessRole` (AccessDenied: not evaluated); `dev` has an unused active root access key
 * (COMPLIANT unless --fail-on-active-access-keys); the rest never used root.
 *
 * @example
 * ```ts
 * demoOrganization(aws, new Date());
 * // root-activity evaluate --live --organization --role-name OrganizationAccountAccessRole
 * ```
 */
export function demoOrganization(aws: LocalAws, evaluationTime: Date): void {
  const iamDate = (hoursBefore: number) =>
    `${new Date(evaluationTime.getTime() - hoursBefore * HOUR).toISOString().slice(0, 19)}+00:00`;
  const members: Array<OrganizationAccountSpec & { root?: Record<string, string>; role?: false }> = [
    { id: "222233334444", name: "prod", root: { password_enabled: "true", password_last_used: iamDate(72) } },
    { id: "333344445555", name: "staging" },
    {
      id: "444455556666",
      name: "dev",
      root: { access_key_1_active: "true", access_key_1_last_rotated: iamDate(24 * 400) },
    },
    { id: "555566667777", name: "sandbox", state: "SUSPENDED" },
    { id: "666677778888", name: "legacy-billing", role: false },
    { id: "777788889999", name: "security-tooling" },
    { id: "888899990000", name: "data-platform" },
    { id: "999900001111", name: "log-archive" },
  ];
  aws.setOrganization(members.map(({ id, name, state }) => ({ id, name, ...(state ? { state } : {}) })));
  for (const member of members) {
    if (member.role !== false) {
      aws.addRole(`arn:aws:iam::${member.id}:role/${DEMO_ORGANIZATION_ROLE}`, {
        trustedAccountIds: [aws.homeAccountId],
      });
    }
    const row = { ...minimalRootRow(member.id), mfa_active: "true", ...member.root };
    const csv = `${CREDENTIAL_REPORT_COLUMNS.join(",")}\n${CREDENTIAL_REPORT_COLUMNS.map((c) => row[c]).join(",")}\n`;
    aws.setReport(csv, { accountId: member.id, generatedTime: new Date(evaluationTime.getTime() - HOUR) });
  }
  aws.addCloudTrailEvents(
    [
      rootConsoleSignIn({
        accountId: "777788889999",
        time: new Date(evaluationTime.getTime() - 5 * HOUR),
        region: "us-west-2",
        mfaUsed: true,
        sourceIp: "198.51.100.7",
      }),
    ],
    { accountId: "777788889999" },
  );
}

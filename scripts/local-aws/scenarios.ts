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

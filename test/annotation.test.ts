/**
 * The wording of every verdict and note (rule/annotation.ts), word for word, and the arithmetic under it: how notes
 * are fitted into 256 characters, how a duration and an age read, where a cut falls. Pure functions, no report.
 */
import { describe, expect, it } from "vitest";
import { ago, annotations, clip, duration, notes, plural } from "../rule/annotation.ts";
import type { RootEvent } from "../rule/cloudtrail/types.ts";
import type { RootUse } from "../rule/verdict.ts";
import { DAY, HOUR, NOW } from "./support/evaluation.ts";

const MINUTE = 60_000;
const at = (msBefore: number) => new Date(NOW.getTime() - msBefore);

function event(overrides: Partial<RootEvent> = {}): RootEvent {
  return {
    eventId: "e-1",
    time: at(DAY),
    region: "eu-west-1",
    eventSource: "iam.amazonaws.com",
    eventName: "CreateUser",
    kind: "api-call",
    signInOutcome: null,
    mfaUsed: null,
    credential: null,
    centralized: false,
    task: null,
    sessionKey: null,
    sourceIp: null,
    ...overrides,
  };
}
const trailUse = (overrides: Partial<RootEvent> = {}): RootUse => {
  const e = event(overrides);
  return { source: "CloudTrail", event: e, at: e.time };
};
const reportUse: RootUse = { source: "credential report", credential: "access key 1", at: at(2 * DAY) };

describe("annotations", () => {
  it("usedInFuture names the use, the evaluation time and the window", () => {
    expect(annotations.usedInFuture(reportUse, NOW, 30)).toBe(
      "Root user used access key 1 2026-11-27T12:00:00Z (credential report), after the evaluation time " +
        "2026-11-29T12:00:00Z: clock skew counts as use now (30-day window).",
    );
  });

  it("activeAccessKey: one key is, two keys are, with the latest use", () => {
    expect(annotations.activeAccessKey([1], null, NOW)).toBe(
      "Root access key 1 is active (failOnActiveAccessKeys=true): delete root access keys. No root use recorded.",
    );
    expect(annotations.activeAccessKey([1, 2], reportUse, NOW)).toBe(
      "Root access keys 1 and 2 are active (failOnActiveAccessKeys=true): delete root access keys. Latest use: " +
        "used access key 1 2026-11-27T12:00:00Z (credential report), 2 days ago.",
    );
  });

  it("compliant names the sources searched and how much of the window CloudTrail covers", () => {
    const searched = { cloudTrailRegions: 1, cloudTrailDays: 90, lookbackDays: 90 };
    expect(annotations.compliant(null, NOW, searched)).toBe(
      "Root user not used in the last 90 days (credential report and CloudTrail, 1 region). No root use recorded.",
    );
    expect(annotations.compliant(null, NOW, { ...searched, lookbackDays: 100 })).toBe(
      "Root user not used in the last 100 days (credential report and CloudTrail, 1 region, last 90 days). No root use recorded.",
    );
  });

  it("says what a CloudTrail event was: sign-in with or without MFA, failed, API call with an access key, centralized session", () => {
    const cases: Array<[Partial<RootEvent>, string]> = [
      // A sign-in never says "access key", whatever key id its record names.
      [
        {
          kind: "console-sign-in",
          signInOutcome: "success",
          mfaUsed: true,
          credential: "access-key",
          eventSource: "signin.amazonaws.com",
        },
        "Root user signed in to the console 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail, MFA used)",
      ],
      [
        {
          kind: "console-sign-in",
          signInOutcome: "success",
          mfaUsed: true,
          eventSource: "signin.amazonaws.com",
        },
        "Root user signed in to the console 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail, MFA used)",
      ],
      [
        {
          kind: "console-sign-in",
          signInOutcome: "failure",
          mfaUsed: false,
          eventSource: "signin.amazonaws.com",
        },
        "Root user failed to sign in to the console 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail, no MFA)",
      ],
      [
        {
          kind: "console-sign-in",
          signInOutcome: "success",
          mfaUsed: null,
          eventSource: "signin.amazonaws.com",
        },
        "Root user signed in to the console 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail)",
      ],
      [
        { credential: "access-key", mfaUsed: true },
        "Root user called iam:CreateUser 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail, access key)",
      ],
      [
        { credential: "temporary" },
        "Root user called iam:CreateUser 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail)",
      ],
      [
        { eventSource: "s3.amazonaws.com.cn", eventName: "GetObject" },
        "Root user called s3.amazonaws.com.cn:GetObject 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail)",
      ],
      [
        { eventSource: "" },
        "Root user called unknown:CreateUser 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail)",
      ],
      [
        { centralized: true, task: "IAMDeleteRootUserCredentials" },
        "Centralized root session (AssumeRoot, IAMDeleteRootUserCredentials) called iam:CreateUser 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail)",
      ],
      [
        { centralized: true, task: null },
        "Centralized root session (AssumeRoot) called iam:CreateUser 2026-11-28T12:00:00Z in eu-west-1 (CloudTrail)",
      ],
    ];
    for (const [overrides, sentence] of cases) {
      expect(annotations.usedInWindow(trailUse(overrides), NOW, 30)).toBe(
        `${sentence} 1 day ago, inside the 30-day window.`,
      );
    }
  });

  it("cannotVerify and staleReport start with Cannot verify and say why", () => {
    expect(annotations.cannotVerify("the report is empty")).toBe(
      "Cannot verify root user activity: the report is empty.",
    );
    expect(annotations.staleReport(at(5 * HOUR + 7 * MINUTE), NOW)).toBe(
      "Cannot verify root user activity: the report was generated 2026-11-29T06:53:00Z, 5 hours 7 minutes before " +
        "the evaluation time; root use since then is unknown.",
    );
  });
});

describe("notes", () => {
  it("activeKeys: none, one, two, in full and short", () => {
    expect(notes.activeKeys([])).toBeNull();
    expect(notes.activeKeys([2])).toEqual({
      full: " Active root access key: 2 (delete it).",
      short: " Active root access key: 2.",
    });
    expect(notes.activeKeys([1, 2])).toEqual({
      full: " Active root access keys: 1, 2 (delete them).",
      short: " Active root access keys: 1, 2.",
    });
  });

  it("centralizedSessions: none, a count with the latest and its task, at least when incomplete", () => {
    const latest = event({ centralized: true, task: "IAMAuditRootUserCredentials" });
    expect(notes.centralizedSessions(0, latest, true)).toBeNull();
    expect(notes.centralizedSessions(2, null, true)).toBeNull();
    expect(notes.centralizedSessions(1, latest, true)).toEqual({
      full: " Not counted: 1 centralized root session (AssumeRoot), latest 2026-11-28T12:00:00Z, task IAMAuditRootUserCredentials.",
      short: " Not counted: 1 AssumeRoot session.",
    });
    expect(notes.centralizedSessions(3, event({ centralized: true }), false)).toEqual({
      full: " Not counted: at least 3 centralized root sessions (AssumeRoot), latest 2026-11-28T12:00:00Z.",
      short: " Not counted: at least 3 AssumeRoot sessions.",
    });
  });

  it("cloudTrailCoverage: nothing when CloudTrail covers the window, the days otherwise", () => {
    expect(notes.cloudTrailCoverage(90, 90)).toBeNull();
    expect(notes.cloudTrailCoverage(90, 30)).toBeNull();
    expect(notes.cloudTrailCoverage(90, 91)).toEqual({
      full: " CloudTrail covers the last 90 days.",
      short: " CloudTrail: last 90 days.",
    });
  });

  it("reportUnverifiable and cloudTrailUnavailable, in full and short", () => {
    expect(notes.reportUnverifiable("the report is empty")).toEqual({
      full: " The credential report cannot be verified: the report is empty.",
      short: " The credential report cannot be verified.",
    });
    expect(notes.cloudTrailUnavailable("throttled")).toEqual({
      full: " CloudTrail could not be read: throttled.",
      short: " CloudTrail could not be read.",
    });
  });
});

describe("fitting notes into 256 characters", () => {
  /** cannotVerify's own sentence is "Cannot verify root user activity: " (34) + reason + "." (1). */
  const sentence = (length: number) => "r".repeat(length - 35);
  const note = { full: " F".padEnd(20, "f"), short: " S".padEnd(10, "s") };

  it("adds a note in full when it ends exactly at 256 characters", () => {
    const text = annotations.cannotVerify(sentence(236), [note]);
    expect(text).toHaveLength(256);
    expect(text.endsWith(note.full)).toBe(true);
  });

  it("adds the short form when the full one would make 257 and the short one fits exactly", () => {
    const text = annotations.cannotVerify(sentence(246), [note]);
    expect(text).toHaveLength(256);
    expect(text.endsWith(note.short)).toBe(true);
  });

  it("goes on after a short form that fits, adding the next note in full when it fits", () => {
    const first = { full: " F".padEnd(30, "f"), short: " S".padEnd(10, "s") };
    const text = annotations.cannotVerify(sentence(230), [first, { full: " Next.", short: " N." }]);
    expect(text).toBe(`Cannot verify root user activity: ${sentence(230)}.${first.short} Next.`);
  });

  it("cuts at 256 when even the short form does not fit, and stops there", () => {
    const text = annotations.cannotVerify(sentence(247), [note, { full: " X", short: " X" }]);
    expect(text).toBe(`${`Cannot verify root user activity: ${sentence(247)}.${note.short}`.slice(0, 255)}…`);
  });

  it("skips a null note and keeps the order of the others", () => {
    expect(
      annotations.cannotVerify("why", [null, { full: " A.", short: " a." }, { full: " B.", short: " b." }]),
    ).toBe("Cannot verify root user activity: why. A. B.");
  });
});

describe("ago, duration, plural", () => {
  it("ago: in the future, less than a minute, whole minutes, hours, days rounded down", () => {
    expect(ago(new Date(NOW.getTime() + 1), NOW)).toBe("in the future");
    expect(ago(NOW, NOW)).toBe("less than a minute ago");
    expect(ago(at(MINUTE - 1), NOW)).toBe("less than a minute ago");
    expect(ago(at(MINUTE), NOW)).toBe("1 minute ago");
    expect(ago(at(HOUR - 1), NOW)).toBe("59 minutes ago");
    expect(ago(at(HOUR), NOW)).toBe("1 hour ago");
    expect(ago(at(DAY - 1), NOW)).toBe("23 hours ago");
    expect(ago(at(DAY), NOW)).toBe("1 day ago");
    expect(ago(at(45 * DAY + 23 * HOUR), NOW)).toBe("45 days ago");
  });

  it("duration: less than a minute, then at most two units, the second left out when zero", () => {
    expect(duration(0)).toBe("less than a minute");
    expect(duration(MINUTE - 1)).toBe("less than a minute");
    expect(duration(MINUTE)).toBe("1 minute");
    expect(duration(59 * MINUTE + 59_999)).toBe("59 minutes");
    expect(duration(HOUR)).toBe("1 hour");
    expect(duration(4 * HOUR + 10 * MINUTE)).toBe("4 hours 10 minutes");
    expect(duration(DAY)).toBe("1 day");
    expect(duration(DAY + 59 * MINUTE)).toBe("1 day");
    expect(duration(3 * DAY + 2 * HOUR + 5 * MINUTE)).toBe("3 days 2 hours");
  });

  it("plural: one, many, none", () => {
    expect(plural(1, "day")).toBe("1 day");
    expect(plural(2, "day")).toBe("2 days");
    expect(plural(0, "region")).toBe("0 regions");
  });
});

describe("clip", () => {
  it("steps back over a high surrogate at the cut, for the first and the last high surrogate", () => {
    for (const high of ["\ud800", "\udbff"]) {
      const text = `${"a".repeat(254)}${high}\udc00${"b".repeat(10)}`;
      expect(clip(text)).toBe(`${"a".repeat(254)}…`);
    }
  });

  it("keeps a low surrogate or a character just outside the high-surrogate range at the cut", () => {
    for (const edge of ["\ud7ff", "\udc00"]) {
      const text = `${"a".repeat(254)}${edge}${"b".repeat(10)}`;
      expect(clip(text)).toBe(`${"a".repeat(254)}${edge}…`);
    }
  });

  it("takes another maximum when given one", () => {
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("abcd", 4)).toBe("abcd");
  });
});

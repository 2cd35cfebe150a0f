/**
 * Hostile and broken Lambda events (`parseRuleEvent`, then `parseRuleParameters` as the handler calls them): each
 * bad event fails with one clear line naming the field, and no input whatsoever makes the parsers crash with
 * anything but their own error classes. The wire tests show the handler makes no AWS call for such events.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidEventError, InvalidParameterError } from "../rule/errors.ts";
import { parseRuleEvent } from "../rule/event.ts";
import { parseRuleParameters } from "../rule/params.ts";
import { thrown } from "./support/thrown.ts";

const TOKEN = "eyJTRUNSRVQtUkVTVUxULVRPS0VOIn0=";

function invoking(overrides: Record<string, unknown> = {}, drop: string[] = []): string {
  const value: Record<string, unknown> = {
    awsAccountId: "111122223333",
    notificationCreationTime: "2026-11-29T10:00:00.373Z",
    messageType: "ScheduledNotification",
    recordVersion: "1.0",
    ...overrides,
  };
  for (const key of drop) delete value[key];
  return JSON.stringify(value);
}

function event(overrides: Record<string, unknown> = {}, drop: string[] = []): Record<string, unknown> {
  const value: Record<string, unknown> = {
    version: "1.0",
    invokingEvent: invoking(),
    ruleParameters: '{"lookbackDays":"30"}',
    resultToken: TOKEN,
    eventLeftScope: false,
    executionRoleArn:
      "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
    configRuleArn: "arn:aws:config:us-east-1:111122223333:config-rule/config-rule-pdmyw1",
    configRuleName: "root-activity",
    configRuleId: "config-rule-pdmyw1",
    accountId: "111122223333",
    evaluationMode: "DETECTIVE",
    ...overrides,
  };
  for (const key of drop) delete value[key];
  return value;
}

/** The error `parse` throws, checked to be one line of our own making that never echoes the result token. */
function failure(parse: () => unknown): Error {
  const error = thrown(parse, Error);
  expect(error.message.split("\n")).toHaveLength(1);
  expect(error.message.length).toBeLessThan(600);
  expect(error.message).not.toContain(TOKEN);
  return error;
}

function eventFailure(raw: unknown): InvalidEventError {
  const error = failure(() => parseRuleEvent(raw));
  expect(error).toBeInstanceOf(InvalidEventError);
  expect(error.name).toBe("InvalidEventError");
  expect(error.message).toMatch(/^Invalid AWS Config event: /);
  return error as InvalidEventError;
}

describe("a valid periodic event", () => {
  it("parses, with the partition from the rule ARN and ruleParameters kept as the raw string", () => {
    // Act
    const parsed = parseRuleEvent(event({ configRuleArn: "arn:aws-cn:config:cn-north-1:111122223333:x" }));
    // Assess
    expect(parsed).toMatchObject({
      accountId: "111122223333",
      resultToken: TOKEN,
      eventLeftScope: false,
      ruleParameters: '{"lookbackDays":"30"}',
      configRuleName: "root-activity",
      partition: "aws-cn",
      invokingEvent: { messageType: "ScheduledNotification", awsAccountId: "111122223333" },
    });
    expect(parsed.invokingEvent.notificationCreationTime.toISOString()).toBe("2026-11-29T10:00:00.373Z");
  });

  it("accepts null for optional fields (ruleParameters, names, ARNs, eventLeftScope)", () => {
    // Act
    const parsed = parseRuleEvent(
      event({
        ruleParameters: null,
        configRuleName: null,
        configRuleArn: null,
        executionRoleArn: null,
        eventLeftScope: null,
      }),
    );
    // Assess
    expect(parsed).toMatchObject({ ruleParameters: undefined, partition: "aws", eventLeftScope: false });
  });
});

describe("events that are not objects", () => {
  for (const raw of [null, undefined, 42, "an event", [], [event()], true]) {
    it(`rejects ${JSON.stringify(raw) ?? "undefined"}`, () => {
      // Act
      const error = eventFailure(raw);
      // Assess
      expect(error.message).toBe("Invalid AWS Config event: the event is not a JSON object.");
    });
  }
});

describe("missing fields and wrong types", () => {
  const cases: Array<[string, Record<string, unknown>, string[], RegExp]> = [
    ["accountId missing", {}, ["accountId"], /: accountId is missing\.$/],
    ["accountId null", { accountId: null }, [], /: accountId is missing\.$/],
    ["accountId a number", { accountId: 111122223333 }, [], /: accountId is a number, not a string\.$/],
    [
      "accountId not 12 digits",
      { accountId: "11112222333" },
      [],
      /: accountId is not a 12-digit AWS account id/,
    ],
    ["accountId padded", { accountId: " 111122223333" }, [], /: accountId is not a 12-digit AWS account id/],
    ["accountId with letters", { accountId: "11112222333x" }, [], /: accountId is not a 12-digit/],
    ["resultToken missing", {}, ["resultToken"], /: resultToken is missing\.$/],
    [
      "resultToken an object",
      { resultToken: { token: "x" } },
      [],
      /: resultToken is a\S* object, not a string/,
    ],
    ["resultToken empty", { resultToken: "" }, [], /: resultToken is empty\.$/],
    ["invokingEvent missing", {}, ["invokingEvent"], /: invokingEvent is missing\.$/],
    [
      "invokingEvent an object instead of a JSON string",
      { invokingEvent: JSON.parse(invoking()) },
      [],
      /: invokingEvent is a\S* object, not a string/,
    ],
    ["eventLeftScope a string", { eventLeftScope: "true" }, [], /: eventLeftScope is not a boolean\.$/],
    ["eventLeftScope a number", { eventLeftScope: 0 }, [], /: eventLeftScope is not a boolean\.$/],
    ["ruleParameters a number", { ruleParameters: 30 }, [], /: ruleParameters is not a JSON string\.$/],
    [
      "ruleParameters an object instead of a JSON string",
      { ruleParameters: { lookbackDays: "30" } },
      [],
      /: ruleParameters is not a JSON string\.$/,
    ],
    ["configRuleName a number", { configRuleName: 7 }, [], /: configRuleName is a number, not a string/],
    ["configRuleArn an array", { configRuleArn: ["arn"] }, [], /: configRuleArn is a\S* (object|array)/],
    ["executionRoleArn a boolean", { executionRoleArn: true }, [], /: executionRoleArn is a boolean/],
  ];
  for (const [name, overrides, drop, message] of cases) {
    it(`rejects ${name}`, () => {
      // Act
      const error = eventFailure(event(overrides, drop));
      // Assess
      expect(error.message).toMatch(message);
    });
  }
});

describe("invokingEvent", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["not JSON", "{not json", /: invokingEvent is not valid JSON\.$/],
    ["empty", "", /: invokingEvent is not valid JSON\.$/],
    ["truncated JSON", invoking().slice(0, 40), /: invokingEvent is not valid JSON\.$/],
    ["JSON null", "null", /: invokingEvent is not a JSON object\.$/],
    ["a JSON array", "[]", /: invokingEvent is not a JSON object\.$/],
    ["a JSON string", '"ScheduledNotification"', /: invokingEvent is not a JSON object\.$/],
    ["without messageType", invoking({}, ["messageType"]), /: invokingEvent\.messageType is missing\.$/],
    ["with a numeric messageType", invoking({ messageType: 1 }), /: invokingEvent\.messageType is/],
    [
      "with an unknown messageType",
      invoking({ messageType: "HourlyNotification" }),
      /messageType is "HourlyNotification": not a Config message type; .*only ScheduledNotification/,
    ],
    [
      "with a change-triggered messageType",
      invoking({ messageType: "ConfigurationItemChangeNotification" }),
      /messageType is "ConfigurationItemChangeNotification": root-activity is a periodic rule .*set the rule's trigger to periodic/,
    ],
    [
      "without notificationCreationTime",
      invoking({}, ["notificationCreationTime"]),
      /: invokingEvent\.notificationCreationTime is missing\.$/,
    ],
    [
      "with a numeric notificationCreationTime",
      invoking({ notificationCreationTime: 1764410400000 }),
      /: invokingEvent\.notificationCreationTime is /,
    ],
    [
      "with notificationCreationTime not a date",
      invoking({ notificationCreationTime: "yesterday" }),
      /notificationCreationTime is "yesterday", not an ISO 8601 date-time with offset\.$/,
    ],
    [
      "with notificationCreationTime without an offset",
      invoking({ notificationCreationTime: "2026-11-29T10:00:00" }),
      /notificationCreationTime is "2026-11-29T10:00:00", not an ISO 8601/,
    ],
    [
      "with notificationCreationTime on a day that does not exist",
      invoking({ notificationCreationTime: "2026-02-30T10:00:00Z" }),
      /notificationCreationTime is "2026-02-30T10:00:00Z", not an ISO 8601/,
    ],
    [
      "with an empty notificationCreationTime",
      invoking({ notificationCreationTime: "" }),
      /notificationCreationTime is "", not an ISO 8601/,
    ],
    [
      "naming another account than accountId",
      invoking({ awsAccountId: "444455556666" }),
      /: invokingEvent\.awsAccountId does not match accountId 111122223333\.$/,
    ],
  ];
  for (const [name, invokingEvent, message] of cases) {
    it(`rejects an invokingEvent ${name}`, () => {
      // Act
      const error = eventFailure(event({ invokingEvent }));
      // Assess
      expect(error.message).toMatch(message);
    });
  }

  it("clips long hostile values in the message instead of echoing them whole", () => {
    // Prepare
    const huge = "X".repeat(100_000);
    // Act
    const type = eventFailure(event({ invokingEvent: invoking({ messageType: huge }) }));
    const time = eventFailure(event({ invokingEvent: invoking({ notificationCreationTime: huge }) }));
    // Assess
    expect(type.message.length).toBeLessThan(300);
    expect(time.message.length).toBeLessThan(200);
  });

  it("keeps control characters of a hostile value escaped, so the message stays one line", () => {
    // Act
    const error = eventFailure(event({ invokingEvent: invoking({ messageType: "a\nb\r\u0000c" }) }));
    // Assess
    expect(error.message).toContain('"a\\nb\\r\\u0000c"');
  });
});

describe("ruleParameters (parsed after the event, as the handler does)", () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "not JSON",
      "{lookbackDays: 30}",
      /^Invalid rule parameter ruleParameters="\{lookbackDays: 30\}": expected a JSON object/,
    ],
    [
      "truncated JSON",
      '{"lookbackDays":"3',
      /^Invalid rule parameter ruleParameters=.*expected a JSON object/,
    ],
    ["a JSON array", '["lookbackDays"]', /^Invalid rule parameter ruleParameters=.*expected a JSON object/],
    ["a JSON number", "30", /^Invalid rule parameter ruleParameters="30": expected a JSON object/],
    ["a JSON string", '"30"', /^Invalid rule parameter ruleParameters=.*expected a JSON object/],
    ["JSON null", "null", /^Invalid rule parameter ruleParameters="null": expected a JSON object/],
    [
      "an unknown name",
      '{"lookback":"30"}',
      /^Invalid rule parameter lookback="30": .*"lookback" is not one/,
    ],
    [
      "a bad value",
      '{"lookbackDays":"thirty"}',
      /^Invalid rule parameter lookbackDays="thirty": expected a whole number/,
    ],
  ];
  for (const [name, ruleParameters, message] of cases) {
    it(`rejects ruleParameters ${name}`, () => {
      // Prepare
      const parsed = parseRuleEvent(event({ ruleParameters }));
      // Act
      const error = failure(() => parseRuleParameters(parsed.ruleParameters));
      // Assess
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error.message).toMatch(message);
    });
  }

  it("clips a huge ruleParameters string in the message", () => {
    // Prepare
    const parsed = parseRuleEvent(event({ ruleParameters: `{${"x".repeat(50_000)}` }));
    // Act
    const error = failure(() => parseRuleParameters(parsed.ruleParameters));
    // Assess
    expect(error.message.length).toBeLessThan(200);
  });
});

describe("properties: no input crashes the parsers", () => {
  /** Runs `parse`; anything thrown must be one of `allowed`, with a one-line message. */
  function onlyThrows(parse: () => unknown, allowed: Array<abstract new (...args: never[]) => Error>): void {
    try {
      parse();
    } catch (error) {
      if (!allowed.some((type) => error instanceof type)) throw error;
      const message = (error as Error).message;
      if (message.includes("\n")) throw new Error(`multi-line message: ${JSON.stringify(message)}`);
      if (message.includes(TOKEN)) throw new Error("the message echoes the result token");
    }
  }

  const field = fc.constantFrom(
    "version",
    "invokingEvent",
    "ruleParameters",
    "resultToken",
    "eventLeftScope",
    "executionRoleArn",
    "configRuleArn",
    "configRuleName",
    "configRuleId",
    "accountId",
    "evaluationMode",
  );
  const invokingField = fc.constantFrom(
    "awsAccountId",
    "notificationCreationTime",
    "messageType",
    "recordVersion",
  );
  /** Values Config could plausibly send, and hostile ones. */
  const fieldValue = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.constantFrom("", "111122223333", "ScheduledNotification", "2026-11-29T10:00:00Z", "null", "{}", "[]"),
  );

  it("any JSON value as the event", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        onlyThrows(() => parseRuleEvent(raw), [InvalidEventError]);
      }),
      { numRuns: 500 },
    );
  });

  it("a valid event with fields replaced, removed or added at random, and a random invokingEvent", () => {
    const invokingEvent = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({
          set: fc.dictionary(invokingField, fieldValue, { maxKeys: 4 }),
          drop: fc.subarray(["awsAccountId", "notificationCreationTime", "messageType"]),
        })
        .map(({ set, drop }) => invoking(set, drop)),
    );
    fc.assert(
      fc.property(
        fc.dictionary(field, fieldValue, { maxKeys: 5 }),
        fc.subarray(["accountId", "resultToken", "invokingEvent", "ruleParameters", "configRuleArn"]),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
        fc.option(invokingEvent, { nil: undefined }),
        (set, drop, extra, invokingText) => {
          const raw = event(
            { ...extra, ...set, ...(invokingText === undefined ? {} : { invokingEvent: invokingText }) },
            drop,
          );
          onlyThrows(() => {
            const parsed = parseRuleEvent(raw);
            // What parses is what the handler relies on.
            expect(parsed.accountId).toMatch(/^\d{12}$/);
            expect(parsed.resultToken).not.toBe("");
            expect(parsed.invokingEvent.messageType).toBe("ScheduledNotification");
            expect(Number.isNaN(parsed.invokingEvent.notificationCreationTime.getTime())).toBe(false);
            parseRuleParameters(parsed.ruleParameters);
          }, [InvalidEventError, InvalidParameterError]);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("any string, JSON text or JSON value as ruleParameters", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue()), (ruleParameters) => {
        onlyThrows(() => parseRuleParameters(ruleParameters), [InvalidParameterError]);
      }),
      { numRuns: 1_000 },
    );
  });
});

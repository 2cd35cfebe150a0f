/**
 * parseTimestamp and formatUtc: the dates of the credential report (spec rule 2: ISO 8601 with an offset,
 * fractional seconds) and the UTC times of the annotations.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatUtc, parseTimestamp } from "../rule/timestamp.ts";
import { formatTimestamp, timestampStyleFor } from "./support/arbitraries.ts";

describe("parseTimestamp: accepted forms give the instant, honouring the offset", () => {
  const accepted: Array<[string, string]> = [
    ["2017-06-10T02:35:07+00:00", "2017-06-10T02:35:07.000Z"],
    ["2024-05-02T08:00:00Z", "2024-05-02T08:00:00.000Z"],
    ["2024-05-02T08:00:00z", "2024-05-02T08:00:00.000Z"],
    ["2024-05-02t08:00:00Z", "2024-05-02T08:00:00.000Z"],
    ["2024-05-02T08:00:00-05:00", "2024-05-02T13:00:00.000Z"],
    ["2024-05-02T08:00:00+05:30", "2024-05-02T02:30:00.000Z"],
    ["2024-05-02T08:00:00+0530", "2024-05-02T02:30:00.000Z"],
    ["2024-05-02T08:00:00-00:00", "2024-05-02T08:00:00.000Z"],
    ["2024-05-02T08:00:00+14:00", "2024-05-01T18:00:00.000Z"],
    ["2024-05-02T08:00:00-18:00", "2024-05-03T02:00:00.000Z"],
    ["2024-05-02T08:00:00+18:00", "2024-05-01T14:00:00.000Z"],
    ["2024-05-02T08:00:00.5Z", "2024-05-02T08:00:00.500Z"],
    ["2024-05-02T08:00:00.05Z", "2024-05-02T08:00:00.050Z"],
    ["2024-05-02T08:00:00.123+00:00", "2024-05-02T08:00:00.123Z"],
    ["2024-05-02T08:00:00,25Z", "2024-05-02T08:00:00.250Z"],
    ["2024-05-02T08:00:00.123456789-05:00", "2024-05-02T13:00:00.124Z"],
    ["2024-05-02T08:00:00.9999Z", "2024-05-02T08:00:01.000Z"],
    ["2024-05-02T08:00:00.123000000Z", "2024-05-02T08:00:00.123Z"],
    ["  2024-05-02T08:00:00Z\t", "2024-05-02T08:00:00.000Z"],
    ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"],
    ["1970-01-01T00:00:00+01:00", "1969-12-31T23:00:00.000Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["2000-02-29T12:00:00Z", "2000-02-29T12:00:00.000Z"],
    ["2024-12-31T23:59:59-01:00", "2025-01-01T00:59:59.000Z"],
  ];
  for (const [text, iso] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${iso}`, () => {
      // Act
      const at = parseTimestamp(text);
      // Assess
      expect(at?.toISOString()).toBe(iso);
    });
  }
});

describe("parseTimestamp: anything that is not a real instant with an offset is undefined", () => {
  const rejected: Array<[string, string]> = [
    ["empty", ""],
    ["a placeholder", "N/A"],
    ["no_information", "no_information"],
    ["date only", "2024-05-02"],
    ["no offset", "2024-05-02T08:00:00"],
    ["a space instead of T", "2024-05-02 08:00:00Z"],
    ["no seconds", "2024-05-02T08:00Z"],
    ["one-digit month and day", "2024-5-2T08:00:00Z"],
    ["one-digit offset hour", "2024-05-02T08:00:00+5:00"],
    ["offset hours only", "2024-05-02T08:00:00+05"],
    ["offset +19:00", "2024-05-02T08:00:00+19:00"],
    ["offset -25:00", "2024-05-02T08:00:00-25:00"],
    ["offset minutes 60", "2024-05-02T08:00:00+05:60"],
    ["a decimal point without digits", "2024-05-02T08:00:00.Z"],
    ["ten fractional digits", "2024-05-02T08:00:00.1234567890Z"],
    ["29 February 2023", "2023-02-29T00:00:00Z"],
    ["29 February 1900", "1900-02-29T00:00:00Z"],
    ["31 April", "2024-04-31T00:00:00Z"],
    ["month 13", "2024-13-01T00:00:00Z"],
    ["month 0", "2024-00-01T00:00:00Z"],
    ["day 0", "2024-01-00T00:00:00Z"],
    ["hour 24", "2024-05-02T24:00:00Z"],
    ["minute 60", "2024-05-02T08:60:00Z"],
    ["second 60", "2024-05-02T23:59:60Z"],
    ["year 1969", "1969-12-31T23:59:59Z"],
    ["year 0000", "0000-01-01T00:00:00Z"],
    ["a five-digit year", "10000-01-01T00:00:00Z"],
    ["an expanded year", "+002024-05-02T08:00:00Z"],
    ["trailing text", "2024-05-02T08:00:00Z extra"],
    ["two timestamps", "2024-05-02T08:00:00Z2024-05-02T08:00:00Z"],
    ["a Unicode minus sign", "2024-05-02T08:00:00\u221205:00"],
    ["full-width digits", "\uff12\uff10\uff12\uff14-05-02T08:00:00Z"],
    ["a NUL byte", "2024-05-02T08:00:00Z\u0000x"],
    ["a JavaScript Date string", "Thu May 02 2024 08:00:00 GMT+0000"],
    ["an RFC 2822 date", "Thu, 02 May 2024 08:00:00 +0000"],
    ["a Unix timestamp", "1714636800"],
  ];
  for (const [name, text] of rejected) {
    it(`rejects ${name}: ${JSON.stringify(text)}`, () => {
      // Act
      const at = parseTimestamp(text);
      // Assess
      expect(at).toBeUndefined();
    });
  }
});

describe("formatUtc: UTC, whole seconds, Z", () => {
  const cases: Array<[Date, string]> = [
    [new Date(Date.UTC(2024, 4, 2, 8)), "2024-05-02T08:00:00Z"],
    [new Date("2024-05-02T08:00:00.999Z"), "2024-05-02T08:00:00Z"],
    [new Date(0), "1970-01-01T00:00:00Z"],
    [new Date("9999-12-31T23:59:59.999Z"), "9999-12-31T23:59:59Z"],
    [new Date("2024-05-02T08:00:00-05:00"), "2024-05-02T13:00:00Z"],
  ];
  for (const [date, text] of cases) {
    it(`writes ${date.toISOString()} as ${text} (milliseconds dropped, not rounded)`, () => {
      // Act
      const written = formatUtc(date);
      // Assess
      expect(written).toBe(text);
    });
  }
});

describe("round trips", () => {
  // One day of margin on both ends, so that every offset (±18:00) still writes a year in 1970–9999.
  const dates = fc.date({
    min: new Date("1970-01-02T00:00:00Z"),
    max: new Date("9999-12-30T23:59:59.999Z"),
    noInvalidDate: true,
  });

  it("parses any date in 1970–9999, written with any offset and 0–9 fractional digits, back to the same millisecond", () => {
    fc.assert(
      fc.property(
        dates.chain((at) => timestampStyleFor(at, "random").map((style) => ({ at, style }))),
        ({ at, style }) => {
          // Prepare
          const text = formatTimestamp(at, style);
          // Act
          const parsed = parseTimestamp(text);
          // Assess: digits beyond the millisecond round up (a use is never placed earlier than it was).
          const subMillisecond = /[1-9]/.test(style.subMillisecondDigits) ? 1 : 0;
          expect(parsed?.getTime()).toBe(at.getTime() + subMillisecond);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("parses what formatUtc writes back to the same whole second", () => {
    fc.assert(
      fc.property(dates, (at) => {
        // Act
        const parsed = parseTimestamp(formatUtc(at));
        // Assess
        expect(parsed?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
      }),
      { numRuns: 500 },
    );
  });
});

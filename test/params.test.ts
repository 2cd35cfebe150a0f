/**
 * parseRuleParameters (spec rule 4): lookbackDays 1–3650 whole (default 30), failOnActiveAccessKeys (default
 * false), executionRoleName; anything else is an InvalidParameterError naming the parameter and what is allowed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidParameterError, RootActivityError } from "../rule/errors.ts";
import { DEFAULT_PARAMETERS, parseRuleParameters } from "../rule/params.ts";
import { partitionIds, regionsOf } from "./support/aws-regions.ts";
import { thrown } from "./support/thrown.ts";

/** Calls parseRuleParameters, expecting it to throw; returns the error for assertions. */
function rejection(raw: unknown): InvalidParameterError {
  return thrown(() => parseRuleParameters(raw), InvalidParameterError);
}

describe("parseRuleParameters: defaults", () => {
  const unset: Array<[string, unknown]> = [
    ["undefined", undefined],
    ["null", null],
    ["an empty string", ""],
    ['"{}"', "{}"],
    ["an empty object", {}],
    [
      "empty values, as the Config console leaves them",
      '{"lookbackDays":"","failOnActiveAccessKeys":"","executionRoleName":""}',
    ],
    ["null values", { lookbackDays: null, failOnActiveAccessKeys: null, executionRoleName: null }],
  ];
  for (const [name, raw] of unset) {
    it(`gives lookbackDays 30, failOnActiveAccessKeys false, no role for ${name}`, () => {
      // Act
      const params = parseRuleParameters(raw);
      // Assess
      expect(params).toEqual({
        lookbackDays: 30,
        failOnActiveAccessKeys: false,
        executionRoleName: undefined,
        cloudTrailLookup: true,
        cloudTrailRegions: undefined,
        countCentralizedRootSessions: false,
      });
      expect(params).toEqual(DEFAULT_PARAMETERS);
    });
  }

  it("returns a frozen object", () => {
    // Act
    const params = parseRuleParameters('{"lookbackDays":"7"}');
    // Assess
    expect(Object.isFrozen(params)).toBe(true);
  });
});

describe("parseRuleParameters: accepted values", () => {
  const accepted: Array<[string, unknown, Partial<typeof DEFAULT_PARAMETERS>]> = [
    ["lookbackDays as a string, as Config passes it", '{"lookbackDays":"90"}', { lookbackDays: 90 }],
    ["lookbackDays as a JSON number", '{"lookbackDays":90}', { lookbackDays: 90 }],
    ["lookbackDays in an object", { lookbackDays: 7 }, { lookbackDays: 7 }],
    ["lookbackDays 1, the minimum", '{"lookbackDays":"1"}', { lookbackDays: 1 }],
    ["lookbackDays 3650, the maximum", '{"lookbackDays":3650}', { lookbackDays: 3650 }],
    ["lookbackDays with spaces around", '{"lookbackDays":" 45 "}', { lookbackDays: 45 }],
    ["lookbackDays with leading zeros", '{"lookbackDays":"007"}', { lookbackDays: 7 }],
    ["lookbackDays 30.0 as a JSON number (a whole number)", '{"lookbackDays":30.0}', { lookbackDays: 30 }],
    [
      "failOnActiveAccessKeys as a string",
      '{"failOnActiveAccessKeys":"true"}',
      { failOnActiveAccessKeys: true },
    ],
    [
      "failOnActiveAccessKeys in upper case",
      '{"failOnActiveAccessKeys":"TRUE"}',
      { failOnActiveAccessKeys: true },
    ],
    [
      "failOnActiveAccessKeys padded",
      '{"failOnActiveAccessKeys":" False "}',
      { failOnActiveAccessKeys: false },
    ],
    [
      "failOnActiveAccessKeys as a JSON boolean",
      '{"failOnActiveAccessKeys":true}',
      { failOnActiveAccessKeys: true },
    ],
    [
      "failOnActiveAccessKeys false as a boolean",
      { failOnActiveAccessKeys: false },
      { failOnActiveAccessKeys: false },
    ],
    ["a plain role name", '{"executionRoleName":"root-activity"}', { executionRoleName: "root-activity" }],
    [
      "a role name with every special IAM allows",
      '{"executionRoleName":"a+=,.@_-Z9"}',
      { executionRoleName: "a+=,.@_-Z9" },
    ],
    [
      "a role name of 64 characters",
      { executionRoleName: "r".repeat(64) },
      { executionRoleName: "r".repeat(64) },
    ],
    [
      "a role name with spaces around (trimmed)",
      { executionRoleName: "  ops  " },
      { executionRoleName: "ops" },
    ],
    ["cloudTrailLookup false", '{"cloudTrailLookup":"false"}', { cloudTrailLookup: false }],
    ["cloudTrailLookup as a JSON boolean", { cloudTrailLookup: true }, { cloudTrailLookup: true }],
    [
      "countCentralizedRootSessions true",
      '{"countCentralizedRootSessions":"TRUE"}',
      { countCentralizedRootSessions: true },
    ],
    ["one region", '{"cloudTrailRegions":"eu-west-1"}', { cloudTrailRegions: ["eu-west-1"] }],
    [
      "regions of every partition, with spaces",
      { cloudTrailRegions: "us-east-1, us-gov-west-1 ,cn-northwest-1,ap-southeast-5,eu-central-2" },
      {
        cloudTrailRegions: ["us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5", "eu-central-2"],
      },
    ],
    ["empty regions (discover)", '{"cloudTrailRegions":""}', { cloudTrailRegions: undefined }],
    [
      "all three together",
      '{"lookbackDays":"90","failOnActiveAccessKeys":"true","executionRoleName":"audit"}',
      { lookbackDays: 90, failOnActiveAccessKeys: true, executionRoleName: "audit" },
    ],
  ];
  it("accepts every Region of every partition in the AWS SDK's endpoint data, the sovereign and isolated ones too", () => {
    // Prepare
    const regions = partitionIds().flatMap(regionsOf);
    // Act / Assess
    expect(regions).toContain("eusc-de-east-1");
    for (const region of regions) {
      expect(parseRuleParameters({ cloudTrailRegions: region }).cloudTrailRegions, region).toEqual([region]);
    }
  });

  for (const [name, raw, expected] of accepted) {
    it(`accepts ${name}`, () => {
      // Act
      const params = parseRuleParameters(raw);
      // Assess
      expect(params).toEqual({ ...DEFAULT_PARAMETERS, ...expected });
    });
  }

  it("accepts every whole lookbackDays from 1 to 3650, as a number or a string", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3650 }), fc.boolean(), (days, asString) => {
        // Prepare
        const raw = JSON.stringify({ lookbackDays: asString ? String(days) : days });
        // Act
        const params = parseRuleParameters(raw);
        // Assess
        expect(params.lookbackDays).toBe(days);
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseRuleParameters: invalid lookbackDays names the parameter and the range", () => {
  const invalid: Array<[string, unknown]> = [
    ["0", 0],
    ['"0"', "0"],
    ["3651", 3651],
    ['"3651"', "3651"],
    ["-1", -1],
    ['"-1"', "-1"],
    ["1.5", 1.5],
    ['"1.5"', "1.5"],
    ['"1e2"', "1e2"],
    ['"abc"', "abc"],
    ['"30 days"', "30 days"],
    ['"0x1E"', "0x1E"],
    ['"+30"', "+30"],
    ["a boolean", true],
    ["an array", [30]],
    ["an object", { days: 30 }],
  ];
  for (const [name, value] of invalid) {
    it(`rejects lookbackDays ${name}`, () => {
      // Act
      const error = rejection({ lookbackDays: value });
      // Assess
      expect(error.parameter).toBe("lookbackDays");
      expect(error.message).toContain("lookbackDays");
      expect(error.message).toContain("a whole number from 1 to 3650");
    });
  }

  it("rejects every whole number outside 1–3650 and every fraction", () => {
    const outside = fc.oneof(
      fc.integer({ min: -1_000_000, max: 0 }),
      fc.integer({ min: 3651, max: 1_000_000_000 }),
      fc.double({ min: -10_000, max: 10_000, noNaN: true }).filter((n) => !Number.isInteger(n)),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(outside, fc.boolean(), (value, asString) => {
        // Act
        const error = rejection({ lookbackDays: asString ? String(value) : value });
        // Assess
        expect(error.parameter).toBe("lookbackDays");
        expect(error.message).toContain("1 to 3650");
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseRuleParameters: invalid failOnActiveAccessKeys names the parameter and true/false", () => {
  const invalid: Array<[string, unknown]> = [
    ['"yes"', "yes"],
    ['"1"', "1"],
    ["1", 1],
    ["0", 0],
    ['"t"', "t"],
    ['"truee"', "truee"],
    ["an array", [true]],
    ["an object", { value: true }],
  ];
  for (const [name, value] of invalid) {
    it(`rejects failOnActiveAccessKeys ${name}`, () => {
      // Act
      const error = rejection({ failOnActiveAccessKeys: value });
      // Assess
      expect(error.parameter).toBe("failOnActiveAccessKeys");
      expect(error.message).toContain("failOnActiveAccessKeys");
      expect(error.message).toContain('"true" or "false"');
    });
  }
});

describe("parseRuleParameters: invalid executionRoleName names the parameter and what a role name is", () => {
  const invalid: Array<[string, unknown]> = [
    ["65 characters", "r".repeat(65)],
    ["a path", "service-role/root-activity"],
    ["an ARN", "arn:aws:iam::111122223333:role/root-activity"],
    ["a space inside", "root activity"],
    ["a non-ASCII letter", "r\u00f4le"],
    ["a number", 42],
    ["a boolean", true],
  ];
  for (const [name, value] of invalid) {
    it(`rejects executionRoleName with ${name}`, () => {
      // Act
      const error = rejection({ executionRoleName: value });
      // Assess
      expect(error.parameter).toBe("executionRoleName");
      expect(error.message).toContain("executionRoleName");
      expect(error.message).toContain("IAM role name");
      expect(error.message).toContain("1-64 characters");
    });
  }
});

describe("parseRuleParameters: invalid CloudTrail parameters name the parameter and the allowed values", () => {
  const booleans: Array<[string, unknown]> = [
    ["cloudTrailLookup", "yes"],
    ["cloudTrailLookup", 1],
    ["countCentralizedRootSessions", "on"],
    ["countCentralizedRootSessions", [true]],
  ];
  for (const [name, value] of booleans) {
    it(`rejects ${name}=${JSON.stringify(value)}, giving its default`, () => {
      // Act
      const error = rejection({ [name]: value });
      // Assess
      expect(error.parameter).toBe(name);
      expect(error.message).toContain(`Invalid rule parameter ${name}=`);
      expect(error.message).toContain(
        `"true" or "false" (default "${name === "cloudTrailLookup" ? "true" : "false"}")`,
      );
    });
  }

  const regions: Array<[string, unknown]> = [
    ["a made-up name with no region part", "mars-1"],
    ["a prefix longer than any partition's", "galaxy-east-1"],
    ["an upper-case name", "US-EAST-1"],
    ["an availability zone", "us-east-1a"],
    ["an empty entry", "us-east-1,,eu-west-1"],
    ["a trailing comma", "us-east-1,"],
    ["a region twice", "us-east-1,eu-west-1,us-east-1"],
    ["a JSON array", ["us-east-1"]],
    ["51 regions", Array.from({ length: 51 }, (_, i) => `us-east-${i}`).join(",")],
  ];
  for (const [name, value] of regions) {
    it(`rejects cloudTrailRegions with ${name}`, () => {
      // Act
      const error = rejection({ cloudTrailRegions: value });
      // Assess
      expect(error.parameter).toBe("cloudTrailRegions");
      expect(error.message).toContain("comma-separated region names");
      expect(error.message).toContain("each once, at most 50");
    });
  }
});

describe("parseRuleParameters: invalid ruleParameters as a whole", () => {
  it("rejects an unknown parameter name, listing the known ones", () => {
    // Act
    const misspelt = rejection('{"lookback":"30"}');
    const wrongCase = rejection({ LookbackDays: "30" });
    // Assess
    expect(misspelt.parameter).toBe("lookback");
    expect(misspelt.message).toContain('"lookback" is not one');
    expect(misspelt.message).toContain(
      "lookbackDays, failOnActiveAccessKeys, executionRoleName, cloudTrailLookup, cloudTrailRegions, countCentralizedRootSessions",
    );
    expect(wrongCase.parameter).toBe("LookbackDays");
  });

  const notAnObject: Array<[string, unknown]> = [
    ["text that is not JSON", "lookbackDays=30"],
    ["JavaScript, not JSON", "{lookbackDays: 30}"],
    ["truncated JSON", '{"lookbackDays":"30"'],
    ["a JSON array", '[{"lookbackDays":"30"}]'],
    ["an empty JSON array", "[]"],
    ["a JSON string", '"30"'],
    ["a JSON number", "30"],
    ["JSON null", "null"],
    ["a number", 30],
    ["a boolean", true],
    ["an array", [1, 2]],
  ];
  for (const [name, raw] of notAnObject) {
    it(`rejects ${name}, naming ruleParameters and asking for a JSON object`, () => {
      // Act
      const error = rejection(raw);
      // Assess
      expect(error.parameter).toBe("ruleParameters");
      expect(error.message).toContain("ruleParameters");
      expect(error.message).toContain("a JSON object");
    });
  }

  it("keeps the JSON parse error as the cause", () => {
    // Act
    const error = rejection("{not json");
    // Assess
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("raises an InvalidParameterError that is a RootActivityError, with a short message for long values", () => {
    // Act
    const error = rejection({ lookbackDays: "9".repeat(500) });
    // Assess
    expect(error).toBeInstanceOf(RootActivityError);
    expect(error.name).toBe("InvalidParameterError");
    expect(error.allowed).toContain("1 to 3650");
    expect(error.message.length).toBeLessThan(200);
  });
});

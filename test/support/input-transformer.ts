/**
 * A small model of EventBridge's input transformer (the `InputTransformer` of a rule target:
 * `InputPathsMap` + `InputTemplate`; `input_paths` + `input_template` in Terraform), so tests
 * can render a template against sample events without AWS.
 *
 * What it follows, from the EventBridge user guide ("Amazon EventBridge input transformation")
 * and the API reference (`InputTransformer`):
 *
 * - Input paths are JSON paths in dot notation (`$.detail.state`, `$.detail.list[0]`); bracket
 *   notation for names is not supported. At most 100 paths; a key may not start with `AWS.`.
 * - Placeholders are `<name>`; `<` and `>` cannot be escaped, so every `<name>` is one.
 *   Reserved names: `aws.events.rule-arn`, `aws.events.rule-name`,
 *   `aws.events.event.ingestion-time`, `aws.events.event` (the event without `detail`) and
 *   `aws.events.event.json` (the whole event), the last two only outside quotes.
 * - A path that does not exist in the event creates no variable, and it does not appear in the
 *   output: its placeholder is replaced by nothing.
 * - Outside quotes a placeholder becomes the JSON of the value (`"i-123"` with its quotes).
 *   Inside a quoted string it becomes the value's text. The current user guide says EventBridge
 *   substitutes "to ensure a valid JSON output", so a string's quotes, backslashes and line
 *   breaks are escaped there; older guides said values are not escaped. `escapeInStrings: false`
 *   models that older behaviour, to show what a quote in a value would do to the output.
 * - The template is at most 8192 characters. A quoted template (`"..."`) gives a JSON string,
 *   which is what an SNS target receives as the message (quotes included).
 *
 * Anything else (wildcards, a placeholder with no input path) throws instead of guessing.
 */

export interface InputTransformer {
  /** `input_paths`: variable name -> JSON path. */
  readonly inputPaths: Readonly<Record<string, string>>;
  /** `input_template`. */
  readonly inputTemplate: string;
}

export interface RenderOptions {
  /** Values of the reserved variables `aws.events.rule-arn`, `aws.events.rule-name`. */
  readonly ruleArn?: string;
  readonly ruleName?: string;
  /** `aws.events.event.ingestion-time`. */
  readonly ingestionTime?: string;
  /** False models the older, unescaped substitution inside quoted strings. Default true. */
  readonly escapeInStrings?: boolean;
}

export const MAX_INPUT_PATHS = 100;
export const MAX_TEMPLATE_LENGTH = 8192;

type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const SEGMENT = /^(?:\.([A-Za-z0-9_\-/]+)|\[(\d+)\])/;

/**
 * Looks up a dot-notation JSON path in `document`.
 *
 * @example
 * ```ts
 * lookupPath({ detail: { state: "RUNNING" } }, "$.detail.state"); // { found: true, value: "RUNNING" }
 * lookupPath({ detail: {} }, "$.detail.state"); // { found: false }
 * ```
 */
export function lookupPath(document: unknown, path: string): Lookup {
  if (!path.startsWith("$")) throw new Error(`input path ${path}: must start with $`);
  let rest = path.slice(1);
  let current: unknown = document;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (match === null) throw new Error(`input path ${path}: unsupported syntax at "${rest}"`);
    rest = rest.slice(match[0].length);
    const [, name, index] = match;
    if (name !== undefined) {
      if (typeof current !== "object" || current === null || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, name)) return { found: false };
      current = (current as Record<string, unknown>)[name];
    } else {
      if (!Array.isArray(current)) return { found: false };
      const position = Number(index);
      if (position >= current.length) return { found: false };
      current = current[position];
    }
  }
  return { found: true, value: current };
}

/** The JSON text of `value` as the content of a JSON string (escaped, without the quotes). */
function asStringContent(value: unknown, escaped: boolean): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return escaped ? JSON.stringify(text).slice(1, -1) : text;
}

const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/** The placeholder names of a template, in order of appearance. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/<([A-Za-z0-9_.-]+)>/g)].map((match) => match[1] as string);
}

/**
 * Renders `transformer` for `event` the way EventBridge builds the target's input.
 *
 * @example
 * ```ts
 * render({ inputPaths: { state: "$.detail.state" }, inputTemplate: '"state: <state>"' }, event);
 * // '"state: RUNNING"'
 * ```
 */
export function render(transformer: InputTransformer, event: unknown, options: RenderOptions = {}): string {
  const { inputPaths, inputTemplate } = transformer;
  const names = Object.keys(inputPaths);
  if (names.length > MAX_INPUT_PATHS) throw new Error(`more than ${MAX_INPUT_PATHS} input paths`);
  for (const name of names) {
    if (name.toLowerCase().startsWith("aws.")) throw new Error(`input path key ${name} is reserved`);
  }
  if (inputTemplate.length === 0 || inputTemplate.length > MAX_TEMPLATE_LENGTH) {
    throw new Error(`the template must have 1 to ${MAX_TEMPLATE_LENGTH} characters`);
  }

  const variables = new Map<string, unknown>();
  for (const [name, path] of Object.entries(inputPaths)) {
    const found = lookupPath(event, path);
    if (found.found) variables.set(name, found.value);
  }
  const reserved = (name: string): Lookup => {
    const given = (value: string | undefined): Lookup => {
      if (value === undefined) throw new Error(`render: pass a value for <${name}>`);
      return { found: true, value };
    };
    switch (name) {
      case "aws.events.rule-arn":
        return given(options.ruleArn);
      case "aws.events.rule-name":
        return given(options.ruleName);
      case "aws.events.event.ingestion-time":
        return given(options.ingestionTime);
      case "aws.events.event": {
        const { detail: _detail, ...rest } = event as Record<string, unknown>;
        return { found: true, value: rest };
      }
      case "aws.events.event.json":
        return { found: true, value: event };
      default:
        throw new Error(`template placeholder <${name}> has no input path`);
    }
  };

  const escapeValues = options.escapeInStrings ?? true;
  let output = "";
  let inString = false;
  for (let i = 0; i < inputTemplate.length; ) {
    const char = inputTemplate[i] as string;
    if (char === "<") {
      const match = PLACEHOLDER.exec(inputTemplate.slice(i));
      if (match !== null) {
        const name = match[1] as string;
        const lookup: Lookup =
          name in inputPaths
            ? variables.has(name)
              ? { found: true, value: variables.get(name) }
              : { found: false }
            : reserved(name);
        if (lookup.found) {
          if (inString && (name === "aws.events.event" || name === "aws.events.event.json")) {
            throw new Error(`<${name}> can only be used as a JSON value, not inside quotes`);
          }
          output += inString ? asStringContent(lookup.value, escapeValues) : JSON.stringify(lookup.value);
        }
        i += match[0].length;
        continue;
      }
    }
    if (inString && char === "\\") {
      output += inputTemplate.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (char === '"') inString = !inString;
    output += char;
    i += 1;
  }
  return output;
}

/**
 * The text of a quoted template's output: the JSON string, decoded (an SNS e-mail shows the
 * output itself, surrounding quotes included). Throws when the output is not one valid JSON
 * string.
 */
export function messageText(output: string): string {
  const parsed: unknown = JSON.parse(output);
  if (typeof parsed !== "string") throw new Error("the output is not a JSON string");
  return parsed;
}

export interface ComplianceChange {
  readonly compliance: string;
  /** The previous verdict; undefined for the first evaluation (no oldEvaluationResult). */
  readonly previous?: string;
  /** Undefined leaves the annotation out, as Config does for results without one. */
  readonly annotation?: string;
  readonly rule?: string;
  readonly account?: string;
  readonly region?: string;
  readonly time?: string;
  readonly source?: string;
  readonly detailType?: string;
  readonly messageType?: string;
}

/**
 * An AWS Config "Config Rules Compliance Change" event as EventBridge delivers it for a rule
 * that evaluates the account (`AWS::::Account`), shaped like the examples in the AWS Config
 * developer guide: `detail` holds the rule, the account and region, `newEvaluationResult` and,
 * except on the first evaluation, `oldEvaluationResult`.
 */
export function complianceChangeEvent(change: ComplianceChange): Record<string, unknown> {
  const account = change.account ?? "123456789012";
  const region = change.region ?? "eu-west-1";
  const rule = change.rule ?? "root-activity";
  const time = change.time ?? "2025-03-14T09:26:53Z";
  const result = (
    compliance: string,
    annotation: string | undefined,
    at: string,
  ): Record<string, unknown> => ({
    evaluationResultIdentifier: {
      evaluationResultQualifier: {
        configRuleName: rule,
        resourceType: "AWS::::Account",
        resourceId: account,
        evaluationMode: "DETECTIVE",
      },
      orderingTimestamp: at,
    },
    complianceType: compliance,
    resultRecordedTime: at,
    configRuleInvokedTime: at,
    ...(annotation === undefined ? {} : { annotation }),
  });
  return {
    version: "0",
    id: "c0bb891c-77fe-8518-14fc-be78b966f95b",
    "detail-type": change.detailType ?? "Config Rules Compliance Change",
    source: change.source ?? "aws.config",
    account,
    time,
    region,
    resources: [],
    detail: {
      resourceId: account,
      awsRegion: region,
      awsAccountId: account,
      configRuleName: rule,
      recordVersion: "1.0",
      configRuleARN: `arn:aws:config:${region}:${account}:config-rule/config-rule-x1y2z3`,
      messageType: change.messageType ?? "ComplianceChangeNotification",
      newEvaluationResult: result(change.compliance, change.annotation, "2025-03-14T09:26:51.000Z"),
      ...(change.previous === undefined
        ? {}
        : { oldEvaluationResult: result(change.previous, "previous result", "2025-03-13T09:26:50.000Z") }),
      notificationCreationTime: "2025-03-14T09:26:53.120Z",
      resourceType: "AWS::::Account",
    },
  };
}

/**
 * The JSON the AWS provider's `aws_iam_policy_document` data source writes for its arguments, as
 * hashicorp/terraform-provider-aws renders it (internal/service/iam/policy_document_data_source.go and
 * policy_model.go): the source_policy_documents merged first (a Sid twice among them is an error), then the
 * document's own statements, each replacing a merged one with the same Sid, then override_policy_documents the
 * same way; in a statement, a single action, resource, principal identifier or condition value is a string and
 * several are a list (actions, resources and principal identifiers sorted in reverse, condition values in their
 * order); the Principal and Condition maps with their keys in order (Go's encoding/json), the document indented
 * with two spaces (`json`) or not (`minified_json`).
 */
import type { Value } from "./hcl-expression.ts";

/** A statement as IAM reads it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A policy document as IAM reads it. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

type Arguments = Readonly<Record<string, Value>>;

const strings = (value: Value | undefined): string[] =>
  Array.isArray(value) ? (value as Value[]).map(String) : value == null ? [] : [String(value)];

/** One string, or the strings sorted in reverse (policyDecodeConfigStrings); none is left out. */
function oneOrReversed(value: Value | undefined): string | string[] | undefined {
  const items = strings(value);
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return [...items].sort().reverse();
}

/** The keys of `record` in order, as Go's encoding/json writes a map. */
function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key] as T]),
  );
}

function principals(blocks: Value | undefined): PolicyStatement["Principal"] | undefined {
  const list = (Array.isArray(blocks) ? blocks : []) as Arguments[];
  if (list.length === 0) return undefined;
  const only = list[0];
  if (list.length === 1 && only?.type === "*" && strings(only.identifiers).join() === "*") return "*";
  const raw: Record<string, string | string[]> = {};
  for (const block of list) {
    const type = String(block.type);
    const identifiers = oneOrReversed(block.identifiers);
    if (identifiers === undefined) continue;
    const existing = raw[type];
    if (existing === undefined) raw[type] = identifiers;
    else raw[type] = [...strings(existing), ...strings(identifiers)];
  }
  return sortedKeys(raw);
}

function conditions(blocks: Value | undefined): PolicyStatement["Condition"] | undefined {
  const list = (Array.isArray(blocks) ? blocks : []) as Arguments[];
  if (list.length === 0) return undefined;
  const raw: Record<string, Record<string, string[]>> = {};
  for (const block of list) {
    const test = String(block.test);
    const variable = String(block.variable);
    raw[test] ??= {};
    const byVariable = raw[test] as Record<string, string[]>;
    byVariable[variable] = [...(byVariable[variable] ?? []), ...strings(block.values)];
  }
  return sortedKeys(
    Object.fromEntries(
      Object.entries(raw).map(([test, byVariable]) => [
        test,
        sortedKeys(
          Object.fromEntries(
            Object.entries(byVariable).map(([variable, values]) => [
              variable,
              values.length === 1 ? (values[0] as string) : values,
            ]),
          ),
        ),
      ]),
    ),
  );
}

/** A `statement` block of the data source, as the provider marshals it (empty parts left out). */
function statementOf(block: Arguments): PolicyStatement {
  const statement: Record<string, unknown> = {
    Sid: block.sid == null || block.sid === "" ? undefined : String(block.sid),
    Effect: block.effect == null ? "Allow" : String(block.effect),
    Action: oneOrReversed(block.actions),
    NotAction: oneOrReversed(block.not_actions),
    Resource: oneOrReversed(block.resources),
    NotResource: oneOrReversed(block.not_resources),
    Principal: principals(block.principals),
    NotPrincipal: principals(block.not_principals),
    Condition: conditions(block.condition),
  };
  return Object.fromEntries(
    Object.entries(statement).filter(([, value]) => value !== undefined),
  ) as unknown as PolicyStatement;
}

/** IAMPolicyDoc.Merge: `more`'s statements added, each replacing the statement with its Sid if there is one. */
function merge(into: PolicyStatement[], more: readonly PolicyStatement[]): void {
  for (const statement of more) {
    const at =
      statement.Sid === undefined ? -1 : into.findIndex((existing) => existing.Sid === statement.Sid);
    if (at >= 0) into[at] = statement;
    else into.push(statement);
  }
}

/** JSON as Go's encoding/json writes it: <, > and & escaped. */
export function goJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The document `aws_iam_policy_document` renders for its evaluated arguments (`statement` blocks as lists of
 * objects), and its `json` and `minified_json` attributes. A Sid twice among the source documents throws, as the
 * provider's error does.
 *
 * @example
 * ```ts
 * renderPolicyDocument({ statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }] }).json;
 * ```
 */
export function renderPolicyDocument(args: Arguments): {
  document: PolicyDocument;
  json: string;
  minified: string;
} {
  const statements: PolicyStatement[] = [];
  const seen = new Set<string>();
  let version = "";
  for (const source of strings(args.source_policy_documents)) {
    const document = JSON.parse(source) as PolicyDocument;
    for (const statement of document.Statement) {
      if (statement.Sid === undefined) continue;
      if (seen.has(statement.Sid))
        throw new Error(`duplicate Sid (${statement.Sid}) in source_policy_documents`);
      seen.add(statement.Sid);
    }
    if ((document.Version ?? "") > version) version = document.Version ?? "";
    merge(statements, document.Statement);
  }
  const own = args.version == null ? "2012-10-17" : String(args.version);
  if (own > version) version = own;
  merge(statements, ((Array.isArray(args.statement) ? args.statement : []) as Arguments[]).map(statementOf));
  for (const override of strings(args.override_policy_documents)) {
    merge(statements, (JSON.parse(override) as PolicyDocument).Statement);
  }
  const document: PolicyDocument = {
    Version: version,
    ...(args.policy_id == null ? {} : { Id: String(args.policy_id) }),
    Statement: statements,
  };
  return { document, json: goJson(document, 2), minified: goJson(document) };
}

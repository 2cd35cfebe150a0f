/**
 * Wire encoding of answers: awsQuery XML (IAM, STS) and awsJson1_1 (Config).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import type { WireResponse } from "./types.ts";

/**
 * XML namespaces of the awsQuery services.
 *
 * @example
 * ```ts
 * QUERY_NAMESPACES.iam; // "https://iam.amazonaws.com/doc/2010-05-08/"
 * ```
 */
export const QUERY_NAMESPACES = {
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
} as const;

/**
 * An awsQuery service.
 *
 * @example
 * ```ts
 * const s: QueryService = "sts";
 * ```
 */
export type QueryService = keyof typeof QUERY_NAMESPACES;

/**
 * Escapes text for an XML element body or attribute.
 *
 * @example
 * ```ts
 * escapeXml("a<b&c"); // "a&lt;b&amp;c"
 * ```
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * Formats a date the way AWS does on the wire: ISO 8601, whole seconds, `Z`.
 *
 * @example
 * ```ts
 * isoSeconds(new Date("2024-05-02T08:00:00.123Z")); // "2024-05-02T08:00:00Z"
 * ```
 */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Builds `<tag>escaped text</tag>`.
 *
 * @example
 * ```ts
 * element("State", "STARTED"); // "<State>STARTED</State>"
 * ```
 */
export function element(tag: string, text: string): string {
  return `<${tag}>${escapeXml(text)}</${tag}>`;
}

/**
 * A successful awsQuery answer: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`.
 *
 * @example
 * ```ts
 * queryResult("iam", "GenerateCredentialReport", element("State", "STARTED"));
 * ```
 */
export function queryResult(service: QueryService, action: string, resultXml: string): WireResponse {
  const requestId = randomUUID();
  const body =
    `<${action}Response xmlns="${QUERY_NAMESPACES[service]}">` +
    `<${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  return { status: 200, contentType: "text/xml", body };
}

/**
 * An awsQuery `ErrorResponse`; `Type` is `Sender` for 4xx and `Receiver` for 5xx.
 *
 * @example
 * ```ts
 * queryError("iam", 410, "ReportNotPresent", "Credential report not present.");
 * ```
 */
export function queryError(
  service: QueryService,
  status: number,
  code: string,
  message: string,
): WireResponse {
  const type = status >= 500 ? "Receiver" : "Sender";
  const body =
    `<ErrorResponse xmlns="${QUERY_NAMESPACES[service]}">` +
    `<Error>${element("Type", type)}${element("Code", code)}${element("Message", message)}</Error>` +
    `<RequestId>${randomUUID()}</RequestId>` +
    `</ErrorResponse>`;
  return { status, contentType: "text/xml", body, errorCode: code };
}

/** Content type of awsJson1_1 answers. */
const JSON_1_1 = "application/x-amz-json-1.1";

/**
 * A successful awsJson1_1 answer.
 *
 * @example
 * ```ts
 * jsonResult({ FailedEvaluations: [] });
 * ```
 */
export function jsonResult(value: unknown): WireResponse {
  return { status: 200, contentType: JSON_1_1, body: JSON.stringify(value) };
}

/**
 * An awsJson1_1 error: `{"__type": code, "message": …}`.
 *
 * @example
 * ```ts
 * jsonError(400, "InvalidResultTokenException", "The resultToken provided is invalid");
 * ```
 */
export function jsonError(status: number, code: string, message: string): WireResponse {
  return { status, contentType: JSON_1_1, body: JSON.stringify({ __type: code, message }), errorCode: code };
}

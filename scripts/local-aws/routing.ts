/**
 * Routing: which service and action a request is for, and its parameters.
 *
 * The SDKs send IAM, STS and Config to the same URL here, so the service is told by the request:
 * Config is JSON 1.1 with `X-Amz-Target: StarlingDoveService.<Op>`; IAM and STS are awsQuery form
 * posts told apart by `Version` (`2010-05-08` / `2011-06-15`), then by the SigV4 credential scope.
 *
 * @module
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ServiceName } from "./types.ts";

/**
 * A request, classified.
 *
 * @example
 * ```ts
 * const r: RoutedRequest = { service: "sts", action: "AssumeRole", params: { RoleArn: "arn:…" }, form: { RoleArn: "arn:…" } };
 * ```
 */
export interface RoutedRequest {
  service: ServiceName;
  action: string;
  /** Form fields minus `Action`/`Version` (IAM, STS), or the JSON body (Config; `{}` if not an object). */
  params: Record<string, unknown>;
  /** IAM/STS: form fields minus `Action`/`Version`. */
  form: Record<string, string>;
  /** Config: the parsed JSON body; `undefined` if it is not JSON. */
  json?: unknown;
}

const CONFIG_TARGET_PREFIX = "StarlingDoveService.";
const QUERY_VERSIONS: Record<string, ServiceName> = { "2010-05-08": "iam", "2011-06-15": "sts" };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Classifies a request by its headers, URL and body; `scopeService` is the service named in the
 * SigV4 credential scope, used when the body does not tell.
 *
 * @example
 * ```ts
 * routeRequest({ "content-type": "application/x-www-form-urlencoded" }, "/", "Action=GetCredentialReport&Version=2010-05-08", "iam");
 * // { service: "iam", action: "GetCredentialReport", params: {}, form: {} }
 * ```
 */
export function routeRequest(
  headers: IncomingHttpHeaders,
  url: string,
  body: string,
  scopeService: string | undefined,
): RoutedRequest {
  const target = header(headers, "x-amz-target");
  const contentType = header(headers, "content-type") ?? "";
  if (target?.startsWith(CONFIG_TARGET_PREFIX) || contentType.startsWith("application/x-amz-json")) {
    const json = parseJson(body);
    const action = target === undefined ? "" : target.slice(target.indexOf(".") + 1);
    const params = typeof json === "object" && json !== null && !Array.isArray(json) ? { ...json } : {};
    return { service: "config", action, params, form: {}, json };
  }
  const fields = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
  for (const [key, value] of new URLSearchParams(body)) fields.append(key, value);
  const form: Record<string, string> = {};
  for (const [key, value] of fields) form[key] = value;
  const { Action: action = "", Version: version = "", ...params } = form;
  const byScope =
    scopeService === "iam" || scopeService === "sts" || scopeService === "config" ? scopeService : undefined;
  const service = QUERY_VERSIONS[version] ?? byScope ?? "iam";
  return { service, action, params, form: params };
}

/**
 * Routing: which service and action a request is for, and its parameters.
 *
 * The SDKs send every service to the same URL here, so the service is told by the request:
 * Config, CloudTrail and Organizations are JSON 1.1 told apart by `X-Amz-Target` (`StarlingDoveService.<Op>`,
 * `[com.amazonaws.cloudtrail.v20131101.]CloudTrail_20131101.<Op>`, `AWSOrganizationsV20161128.<Op>`); the Account API is REST-JSON
 * (`POST /listRegions`, SigV4 service `account`); IAM and STS are awsQuery form posts told apart by
 * `Version` (`2010-05-08` / `2011-06-15`), then by the SigV4 credential scope.
 *
 * @module
 */
import type { IncomingHttpHeaders } from "node:http";
import { CLOUDTRAIL_TARGET_PREFIXES } from "./cloudtrail.ts";
import { ORGANIZATIONS_TARGET_PREFIX } from "./organizations.ts";
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
  /** Form fields minus `Action`/`Version` (IAM, STS), or the JSON body (Config, CloudTrail, Organizations, Account; `{}` if not an object). */
  params: Record<string, unknown>;
  /** IAM/STS: form fields minus `Action`/`Version`. */
  form: Record<string, string>;
  /** Config, CloudTrail, Account: the parsed JSON body; `undefined` if it is not JSON. */
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
  const path = url.split("?")[0] ?? "/";
  const jsonRequest = (service: ServiceName, action: string): RoutedRequest => {
    const json = parseJson(body);
    const params = typeof json === "object" && json !== null && !Array.isArray(json) ? { ...json } : {};
    return { service, action, params, form: {}, json };
  };
  const cloudTrailPrefix = CLOUDTRAIL_TARGET_PREFIXES.find((prefix) => target?.startsWith(prefix));
  if (target !== undefined && cloudTrailPrefix !== undefined) {
    return jsonRequest("cloudtrail", target.slice(cloudTrailPrefix.length));
  }
  if (target?.startsWith(ORGANIZATIONS_TARGET_PREFIX)) {
    return jsonRequest("organizations", target.slice(ORGANIZATIONS_TARGET_PREFIX.length));
  }
  if (target?.startsWith(CONFIG_TARGET_PREFIX) || contentType.startsWith("application/x-amz-json")) {
    return jsonRequest("config", target === undefined ? "" : target.slice(target.indexOf(".") + 1));
  }
  if (scopeService === "account" || path === "/listRegions") {
    // REST-JSON: the operation is the path; the server answers by path, the recorded action is its name.
    const operation = path.replace(/^\//, "");
    return jsonRequest("account", operation.charAt(0).toUpperCase() + operation.slice(1));
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

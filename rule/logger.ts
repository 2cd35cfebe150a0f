import { Logger } from "@aws-lambda-powertools/logger";
import { VERSION } from "./version.ts";

/**
 * The one logger of the evaluator: Powertools' structured JSON, one line per event, level from
 * `POWERTOOLS_LOG_LEVEL` (or Lambda's `AWS_LAMBDA_LOG_LEVEL`), default INFO. Every line carries `version`, the
release the deployed code was built from (rule/version.ts), so a log line says which code wrote it.
 *
 * What may be logged is decided where each line is written: verdict codes, counts, ages, account ids, rule
 * names, AWS request ids and error messages of our own making. Never the report's content, a cell of it other
 * than the root row's dates, IAM user names, credentials or the result token.
 *
 * @example
 * ```ts
 * logger.info("evaluation posted", { accountId, complianceType });
 * ```
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "root-activity",
  persistentKeys: { version: VERSION },
});

/**
 * `npm start`: runs the real Lambda handler (the built `dist/lambda/index.mjs`) once, against the local AWS
 * endpoint, with the bundled sample credential report and a CloudTrail event history that holds a root sign-in
 * the report has not caught up with, and prints the event, the AWS calls made and the evaluation Config received.
 * No AWS account is needed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ConfigRuleInvocation } from "../rule/event.ts";
import { callLines } from "./demo/call-lines.ts";
import { demoHistory } from "./local-aws/scenarios.ts";
import { startLocalAws } from "./local-aws/server.ts";

const here = import.meta.dirname;
/** The sample is evaluated as of this time, so the demo gives the same verdict on any day. */
const EVALUATION_TIME = "2026-11-20T06:00:00.000Z";
const ACCOUNT_ID = "111122223333";

// The endpoint's clock starts at the evaluation time (event history keeps 90 days back from it).
const started = Date.now();
const aws = await startLocalAws({
  homeAccountId: ACCOUNT_ID,
  now: () => new Date(Date.parse(EVALUATION_TIME) + (Date.now() - started)),
});
try {
  Object.assign(process.env, aws.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  // No report yet: the handler must ask IAM to generate one and wait for it (IAM answers "in progress" twice).
  aws.clearReport();
  // The report is generated now (by the machine's clock, as the handler's clock runs), after the evaluation time.
  aws.onGenerate(readFileSync(join(here, "demo/sample-credential-report.csv")), {
    readyAfterPolls: 2,
    generatedTime: () => new Date(),
  });
  // CloudTrail holds a root console sign-in in eu-west-1, newer than anything in the report.
  aws.addCloudTrailEvents(demoHistory(new Date(EVALUATION_TIME), ACCOUNT_ID));

  const event: ConfigRuleInvocation = {
    version: "1.0",
    invokingEvent: JSON.stringify({
      awsAccountId: ACCOUNT_ID,
      notificationCreationTime: EVALUATION_TIME,
      messageType: "ScheduledNotification",
      recordVersion: "1.0",
    }),
    ruleParameters: JSON.stringify({ lookbackDays: "30", failOnActiveAccessKeys: "false" }),
    resultToken: "TESTMODE",
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:us-east-1:${ACCOUNT_ID}:config-rule/config-rule-demo01`,
    configRuleName: "root-activity",
    configRuleId: "config-rule-demo01",
    accountId: ACCOUNT_ID,
    evaluationMode: "DETECTIVE",
  };
  const print = (text = "") => process.stdout.write(`${text}\n`);
  print(
    "root-activity demo: the built Lambda handler, the real AWS SDK, a local AWS endpoint (no AWS account)\n",
  );
  print("Event from AWS Config:");
  print(indent(JSON.stringify({ ...event, invokingEvent: JSON.parse(event.invokingEvent) }, null, 2)));
  print("\nHandler log lines (structured JSON):");

  const bundle = pathToFileURL(join(here, "../dist/lambda/index.mjs")).href;
  const { handler } = (await import(bundle)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
  const end = Date.now() + 60_000;
  await handler(event, { awsRequestId: "demo", getRemainingTimeInMillis: () => end - Date.now() });

  print("\nAWS calls made:");
  for (const line of callLines(aws.calls)) print(line);
  print("\nEvaluation AWS Config received (PutEvaluations):");
  for (const put of aws.evaluations) {
    for (const e of put.evaluations) {
      print(`  ComplianceType   ${e.ComplianceType}`);
      print(`  Resource         ${e.ComplianceResourceType} ${e.ComplianceResourceId}`);
      print(`  Annotation       ${e.Annotation}`);
      print(`  OrderingTime     ${new Date(e.OrderingTimestamp * 1000).toISOString()}`);
      print(`  TestMode         ${put.testMode}`);
    }
  }
} finally {
  await aws.close();
}

function indent(text: string): string {
  return text.replace(/^/gm, "  ");
}

import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { type AwsCli, describeAwsCli, findAwsCli } from "./support/aws-cli.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The AWS CLI the end-to-end tests drive (test/support/aws-cli.ts). */
    awsCli: AwsCli;
  }
}

/**
 * Finds the AWS CLI this machine has (on PATH, v1 or v2) for the end-to-end tests and says which one it is. A
 * machine without any gets Debian's (`apt-get install awscli`), so `npm test` needs nothing installed by hand; where
 * that cannot be done, the run stops here with what to install.
 */
export default function setup(project: TestProject): void {
  let cli = findAwsCli();
  if (!cli) {
    process.stderr.write(
      "global setup: no AWS CLI on PATH; installing Debian's awscli (apt-get install awscli)\n",
    );
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
      execFileSync("apt-get", ["install", "-y", "-qq", "awscli"], { stdio: "inherit", env });
    } catch (error) {
      throw new Error(
        "The end-to-end tests need an AWS CLI (v1 or v2) and none is on PATH; installing Debian's awscli failed " +
          `(${(error as Error).message.split("\n")[0]}). Install one (apt-get install awscli, or AWS's installer) and rerun.`,
      );
    }
    cli = findAwsCli();
    if (!cli) throw new Error("apt-get installed awscli, but no working aws command is on PATH");
  }
  process.stderr.write(`global setup: the end-to-end tests use the ${describeAwsCli(cli)}\n`);
  project.provide("awsCli", cli);
}

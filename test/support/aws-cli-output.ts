/**
 * What `aws iam get-credential-report` prints in each output format, for CLI tests that run without the AWS CLI.
 * test/cli-aws-cli.e2e.test.ts checks these against the real AWS CLI byte for byte (all but the table, whose
 * column widths follow the terminal), so they stay what the AWS CLI really prints.
 */

/** The AWS CLI's `--output` values. */
export type AwsCliFormat = "json" | "text" | "yaml" | "yaml-stream" | "table";

/**
 * Every readable format.
 *
 * @example
 * ```ts
 * for (const format of READABLE_FORMATS) awsCliOutput(csv, format, "2026-11-29T10:00:00+00:00");
 * ```
 */
export const READABLE_FORMATS = ["json", "text", "yaml", "yaml-stream"] as const;

/**
 * The AWS CLI's output of `get-credential-report` for a report `csv` generated at `generatedTime` (as the AWS CLI
 * prints it: `2026-11-29T10:00:00+00:00`).
 *
 * @example
 * ```ts
 * awsCliOutput(csv, "yaml", "2026-11-29T10:00:00+00:00");
 * // "Content: dXNl…\nGeneratedTime: '2026-11-29T10:00:00+00:00'\nReportFormat: text/csv\n"
 * ```
 */
export function awsCliOutput(csv: string | Buffer, format: AwsCliFormat, generatedTime: string): string {
  const content = Buffer.from(csv).toString("base64");
  switch (format) {
    case "json":
      return `${JSON.stringify({ Content: content, ReportFormat: "text/csv", GeneratedTime: generatedTime }, null, 4)}\n`;
    case "text":
      return `${content}\t${generatedTime}\ttext/csv\n`;
    case "yaml":
      return `Content: ${content}\nGeneratedTime: '${generatedTime}'\nReportFormat: text/csv\n`;
    case "yaml-stream":
      return `- Content: ${content}\n  GeneratedTime: '${generatedTime}'\n  ReportFormat: text/csv\n`;
    case "table": {
      const rows = [
        ["Content", content],
        ["GeneratedTime", generatedTime],
        ["ReportFormat", "text/csv"],
      ];
      const width = 2 + Math.max(...rows.map(([, value]) => (value as string).length)) + 2;
      const rule = `+---------------+${"-".repeat(width)}+`;
      return [
        "-".repeat(width + 17),
        `|${"GetCredentialReport".padStart(Math.floor((width + 15) / 2) + 10).padEnd(width + 15)}|`,
        rule,
        ...rows.map(
          ([key, value]) => `|  ${(key as string).padEnd(13)}|  ${(value as string).padEnd(width - 2)}|`,
        ),
        rule,
        "",
      ].join("\n");
    }
  }
}

/**
 * The AWS Regions of a partition, as the AWS SDK for JavaScript knows them (the endpoint partitions data
 * `partitionsInfo` of @aws-sdk/core, generated from AWS's endpoint rule sets), so that a test of "every commercial
 * Region" follows the SDK when AWS adds one instead of a list typed here.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

interface PartitionsInfo {
  partitions: { id: string; regions: Record<string, { description?: string }> }[];
}

/** The SDK's partitions data; the package does not export the file, so it is imported by its path. */
async function partitionsInfo(): Promise<PartitionsInfo> {
  const client = createRequire(import.meta.url).resolve("@aws-sdk/core/client");
  const root = client.slice(0, client.lastIndexOf("/dist-cjs/"));
  const file = pathToFileURL(`${root}/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js`);
  const module = (await import(file.href)) as { partitionsInfo: PartitionsInfo };
  return module.partitionsInfo;
}

/**
 * The Regions of `partition` (the commercial `aws` by default), without the `<partition>-global` pseudo Region
 * the SDK lists for global endpoints.
 *
 * @example
 * ```ts
 * (await partitionRegions()).includes("eu-west-1"); // true
 * ```
 */
export async function partitionRegions(partition = "aws"): Promise<string[]> {
  const found = (await partitionsInfo()).partitions.find((candidate) => candidate.id === partition);
  if (found === undefined) throw new Error(`the SDK knows no partition ${partition}`);
  return Object.keys(found.regions)
    .filter((region) => !region.endsWith("-global"))
    .sort();
}

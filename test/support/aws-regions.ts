/**
 * The Regions of each AWS partition, from the endpoint data the AWS SDK for JavaScript resolves endpoints with
 * (@aws-sdk/core, util-endpoints/lib/aws/partitions.js; the same list as botocore's data/endpoints.json). Read from
 * the installed package, so a Region AWS adds comes with an SDK update.
 */
import { readFileSync } from "node:fs";

interface Partitions {
  readonly partitions: readonly {
    readonly id: string;
    readonly regions: Readonly<Record<string, unknown>>;
  }[];
}

const PARTITIONS_FILE = new URL(
  "../../node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js",
  import.meta.url,
);

/** The partitions data: the module's one exported object literal, which is JSON. */
function partitions(): Partitions {
  const source = readFileSync(PARTITIONS_FILE, "utf8");
  return JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)) as Partitions;
}

/**
 * The Regions of `partition` (`aws`: the commercial Regions), sorted; the partition's global pseudo-Region
 * (`aws-global`) left out.
 *
 * @example
 * ```ts
 * regionsOf("aws").includes("eu-west-1"); // true
 * ```
 */
export function regionsOf(partition: string): string[] {
  const found = partitions().partitions.find((candidate) => candidate.id === partition);
  if (found === undefined) throw new Error(`no partition ${partition} in the SDK's endpoint data`);
  return Object.keys(found.regions)
    .filter((region) => !region.endsWith("-global"))
    .sort();
}

/**
 * Every partition of the SDK's endpoint data (`aws`, `aws-cn`, `aws-us-gov`, the isolated ones, `aws-eusc`…).
 *
 * @example
 * ```ts
 * partitionIds().flatMap(regionsOf); // every Region of every partition
 * ```
 */
export function partitionIds(): string[] {
  return partitions().partitions.map((partition) => partition.id);
}

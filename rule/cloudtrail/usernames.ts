import { type IAMClient, ListAccountAliasesCommand } from "@aws-sdk/client-iam";
import { CloudTrailLookupError } from "../errors.ts";
import { deadlineAware } from "./lookup.ts";

/**
 * The `Username` values a root event can carry in CloudTrail event history: `root`, and the account alias when
 * one is set (CloudTrail User Guide, userIdentity element: "If the userIdentity type is Root and you set an
 * alias for your account, the userName field contains your account alias"). `LookupEvents` filters on one
 * attribute at a time, so the lookup asks for each. Throws {@link CloudTrailLookupError}.
 *
 * @example
 * ```ts
 * await rootUsernames(iam, signal); // ["root", "example-corp"]
 * ```
 */
export async function rootUsernames(iam: Pick<IAMClient, "send">, signal: AbortSignal): Promise<string[]> {
  const names = ["root"];
  let marker: string | undefined;
  try {
    do {
      const output = await iam.send(new ListAccountAliasesCommand(marker ? { Marker: marker } : {}), {
        abortSignal: signal,
      });
      for (const alias of output.AccountAliases ?? []) if (!names.includes(alias)) names.push(alias);
      marker = output.IsTruncated ? output.Marker : undefined;
    } while (marker);
  } catch (error) {
    throw new CloudTrailLookupError("ListAccountAliases", null, deadlineAware(error, signal));
  }
  return names;
}

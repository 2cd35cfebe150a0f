// A slow writer for pipe tests: waits, then copies a file to stdout in chunks with pauses, waiting for the pipe to
// drain after each chunk, as a network client (the AWS CLI) writes.
// argv: <file> <initial delay ms> <chunk bytes> <pause ms between chunks>
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const [path, delayMs = "0", chunkBytes = "65536", pauseMs = "0"] = process.argv.slice(2);
const content = readFileSync(path);
const chunk = Number(chunkBytes);
await sleep(Number(delayMs));
for (let at = 0; at < content.length; at += chunk) {
  const piece = content.subarray(at, at + chunk);
  await new Promise((resolve, reject) =>
    process.stdout.write(piece, (error) => (error ? reject(error) : resolve())),
  );
  if (Number(pauseMs) > 0 && at + chunk < content.length) await sleep(Number(pauseMs));
}

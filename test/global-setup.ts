import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Wire tests drive the built bundle: build it when `vitest` runs without `npm test` before it. */
export default function setup(): void {
  if (!existsSync(new URL("../dist/lambda/index.mjs", import.meta.url))) {
    execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  }
}

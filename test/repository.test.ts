/**
 * Repository hygiene a newcomer trips on. Rule: no tracked symbolic link points outside the repository (a link to
 * one machine's absolute path, such as a committed node_modules, breaks every other clone).
 */
import { execFileSync } from "node:child_process";
import { isAbsolute, posix, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** A tracked symbolic link: its path in the repository and the target it stores. */
interface TrackedLink {
  readonly path: string;
  readonly target: string;
}

/** The links among `links` whose target leaves the repository (absolute, or `..` past its root). */
function linksOutside(links: readonly TrackedLink[]): TrackedLink[] {
  return links.filter(({ path, target }) => {
    if (isAbsolute(target)) return true;
    const resolved = posix.normalize(posix.join(posix.dirname(path), target));
    return resolved === ".." || resolved.startsWith("../");
  });
}

/** Every symbolic link git tracks (mode 120000), with the target stored in git. */
function trackedLinks(): TrackedLink[] {
  const entries = execFileSync("git", ["-C", ROOT, "ls-files", "-s", "-z"], { encoding: "utf8" })
    .split("\0")
    .filter((entry) => entry.startsWith("120000 "));
  return entries.map((entry) => {
    const [meta = "", path = ""] = entry.split("\t");
    const blob = meta.split(" ")[1] as string;
    const target = execFileSync("git", ["-C", ROOT, "cat-file", "blob", blob], { encoding: "utf8" });
    return { path, target };
  });
}

describe("tracked symbolic links stay inside the repository", () => {
  it("has no tracked symbolic link to an absolute path or above the repository's root", () => {
    // Act
    const outside = linksOutside(trackedLinks());
    // Assess
    expect(outside).toEqual([]);
  });

  it("would catch a committed node_modules link to one machine's path, and a link climbing out", () => {
    // Prepare
    const links: TrackedLink[] = [
      { path: "node_modules", target: "/home/someone/root-activity/node_modules" },
      { path: "docs/up", target: "../../elsewhere" },
      { path: "docs/sibling", target: "../README.md" },
      { path: "scripts/here", target: "./demo" },
    ];
    // Act
    const outside = linksOutside(links);
    // Assess
    expect(outside.map((link) => link.path)).toEqual(["node_modules", "docs/up"]);
  });
});

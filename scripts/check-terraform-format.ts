/**
 * Checks that every Terraform file is formatted the way `terraform fmt` would write it, using
 * @cdktf/hcl-tools (the same formatter, compiled to WebAssembly), so no terraform binary is needed.
 *
 *   npx tsx scripts/check-terraform-format.ts [--write] [path ...]
 *
 * Paths are files or folders (default: terraform/). Without --write, lists the files that differ
 * and exits 1; with --write, rewrites them. Files that do not parse are reported and always make
 * the exit code 1 (the formatter leaves a file it cannot parse unchanged).
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { parse } from "@cdktf/hcl2json";

const SKIPPED_FOLDERS = new Set([".terraform", "node_modules", ".git"]);

async function findTerraformFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new Error(`${path}: no such file or folder`);
  if (!info.isDirectory()) return [path];
  const files: string[] = [];
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) files.push(...(await findTerraformFiles(child)));
    } else if (entry.name.endsWith(".tf")) {
      files.push(child);
    }
  }
  return files;
}

async function main(argv: string[]): Promise<number> {
  const write = argv.includes("--write");
  const unknown = argv.filter((arg) => arg.startsWith("-") && arg !== "--write");
  if (unknown.length > 0) {
    console.error(
      `unknown option ${unknown.join(", ")}; usage: check-terraform-format.ts [--write] [path ...]`,
    );
    return 2;
  }
  const roots = argv.filter((arg) => !arg.startsWith("-"));
  const files = (
    await Promise.all((roots.length > 0 ? roots : ["terraform"]).map(findTerraformFiles))
  ).flat();

  let unformatted = 0;
  let broken = 0;
  for (const file of files) {
    const name = relative(process.cwd(), file);
    const source = await readFile(file, "utf8");
    try {
      await parse(name, source);
    } catch (error) {
      broken++;
      console.error(`${name}: does not parse: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const formatted = await format(source);
    if (formatted === source) continue;
    unformatted++;
    if (write) {
      await writeFile(file, formatted);
      console.log(`${name}: formatted`);
    } else {
      console.log(`${name}: not formatted`);
    }
  }

  if (!write && unformatted > 0) {
    console.log(
      `${unformatted} of ${files.length} files need formatting: npx tsx scripts/check-terraform-format.ts --write`,
    );
  } else if (unformatted === 0 && broken === 0) {
    console.log(`${files.length} Terraform files formatted`);
  }
  return broken > 0 || (!write && unformatted > 0) ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}

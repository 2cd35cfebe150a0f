/**
 * What the docs promise, checked against what they describe, not against their own sentences. Rules: the README is
 * a landing page of at most 250 lines; every relative link of every Markdown file resolves, its heading included
 * (GitHub's slugs, `github-slugger`); every `root-activity` command in a shell block is one the CLI accepts; the
 * README's module blocks would plan (each argument a variable of the module its source names, every required one
 * given); the permissions table names exactly the AWS actions the code sends; the parameters table names every rule
 * parameter with its default.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import GithubSlugger from "github-slugger";
import { marked, type Token, type Tokens } from "marked";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../rule/cli/args.ts";
import { DEFAULT_PARAMETERS } from "../rule/params.ts";
import { ROOT, sourceFiles } from "./support/source-files.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** Every Markdown file a reader follows links through: the root's, docs/ and the Terraform READMEs. */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return [".terraform", "node_modules"].includes(entry.name) ? [] : walk(path);
      return entry.name.endsWith(".md") ? [path] : [];
    });
  return [
    "README.md",
    "CONTRIBUTING.md",
    "SECURITY.md",
    "CHANGELOG.md",
    ...walk("docs"),
    ...walk("terraform"),
  ];
}

/** Every token of a Markdown document, nested ones (list items, table cells, emphasis) included. */
function allTokens(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((token) => {
    const children: Token[] = [];
    const t = token as Token & {
      tokens?: Token[];
      items?: Tokens.ListItem[];
      header?: Tokens.TableCell[];
      rows?: Tokens.TableCell[][];
    };
    if (t.tokens) children.push(...t.tokens);
    if (t.items) children.push(...t.items);
    if (t.header) for (const cell of t.header) children.push(...cell.tokens);
    if (t.rows) for (const row of t.rows) for (const cell of row) children.push(...cell.tokens);
    return [token, ...allTokens(children)];
  });
}

function tokensOf(path: string): Token[] {
  return allTokens(marked.lexer(read(path)));
}

/** The anchors of a Markdown file: GitHub's for its headings, and HTML anchors (`<a name="input_name"></a>`). */
function anchorsOf(path: string): Set<string> {
  const slugger = new GithubSlugger();
  const html = [...read(path).matchAll(/<a\s+(?:name|id)="([^"]+)"/g)].map((match) => match[1] as string);
  return new Set([
    ...tokensOf(path)
      .filter((token): token is Tokens.Heading => token.type === "heading")
      .map((heading) => slugger.slug(heading.text)),
    ...html,
  ]);
}

/** The links of `path` that do not resolve: a missing file, or a heading the target does not have. */
function brokenLinks(path: string): string[] {
  const broken: string[] = [];
  for (const token of tokensOf(path)) {
    if (token.type !== "link") continue;
    const href = (token as Tokens.Link).href;
    if (/^[a-z]+:/i.test(href)) continue;
    const [file = "", fragment] = href.split("#");
    const target = file === "" ? path : relative(ROOT, resolve(ROOT, dirname(path), decodeURI(file)));
    let exists = false;
    try {
      exists = statSync(join(ROOT, target)) !== undefined;
    } catch {
      exists = false;
    }
    if (!exists) broken.push(`${href} (no ${target})`);
    else if (fragment && target.endsWith(".md") && !anchorsOf(target).has(fragment)) {
      broken.push(`${href} (no heading #${fragment} in ${target})`);
    }
  }
  return broken;
}

describe("the README", () => {
  it("is a landing page of at most 250 lines", () => {
    expect(read("README.md").split("\n").length).toBeLessThanOrEqual(250);
  });
});

describe("links", () => {
  it("resolve in every Markdown file, headings included", () => {
    // Act
    const broken = markdownFiles().flatMap((path) => brokenLinks(path).map((link) => `${path}: ${link}`));
    // Assess
    expect(markdownFiles().length).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it("would catch a link to a missing file and to a missing heading (the checker itself)", () => {
    // Prepare: the links of this very check, written into a scratch document beside the README.
    const links = [
      "[a](docs/none.md)",
      "[b](docs/cli.md#no-such-heading)",
      "[c](docs/cli.md#supported-node-versions)",
    ];
    const tokens = allTokens(marked.lexer(links.join("\n\n")));
    // Act
    const hrefs = tokens.filter((t) => t.type === "link").map((t) => (t as Tokens.Link).href);
    const cli = anchorsOf("docs/cli.md");
    // Assess
    expect(hrefs).toEqual([
      "docs/none.md",
      "docs/cli.md#no-such-heading",
      "docs/cli.md#supported-node-versions",
    ]);
    expect(cli.has("no-such-heading")).toBe(false);
    expect(cli.has("supported-node-versions")).toBe(true);
  });
});

/** The `root-activity …` commands of the shell blocks of a Markdown file, as argument lists (placeholders left out). */
function documentedCommands(path: string): string[][] {
  const commands: string[][] = [];
  for (const token of tokensOf(path)) {
    if (token.type !== "code" || !["sh", "shell", "bash"].includes((token as Tokens.Code).lang ?? ""))
      continue;
    for (const line of (token as Tokens.Code).text.replace(/\\\n/g, " ").split("\n")) {
      for (const segment of line.replace(/#.*$/, "").split(/\||&&/)) {
        // The program, where a shell runs it: `root-activity`, `npx root-activity`, `node …/root-activity.mjs`.
        const words = segment.trim().split(/\s+/);
        const at = ["npx", "node"].includes(words[0] ?? "") ? 1 : 0;
        if (!/(^|\/)root-activity(\.mjs)?$/.test(words[at] ?? "")) continue;
        const args = words.slice(at + 1);
        if (args.some((arg) => /[<>…]/.test(arg))) continue;
        commands.push(args);
      }
    }
  }
  return commands;
}

describe("commands in the docs", () => {
  it("are commands the CLI accepts", () => {
    // Act
    const files = markdownFiles();
    const commands = files.flatMap((path) => documentedCommands(path).map((args) => ({ path, args })));
    const refused = commands.flatMap(({ path, args }) => {
      try {
        parseCommand(args, new Date());
        return [];
      } catch (error) {
        return [`${path}: root-activity ${args.join(" ")}: ${(error as Error).message}`];
      }
    });
    // Assess
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(refused).toEqual([]);
  });
});

/** The variables a Terraform module folder declares: name -> whether it has a default. */
async function declaredVariables(dir: string): Promise<Map<string, boolean>> {
  const variables = new Map<string, boolean>();
  for (const file of readdirSync(join(ROOT, dir)).filter((name) => name.endsWith(".tf"))) {
    const json = (await parseHcl(file, read(join(dir, file)))) as {
      variable?: Record<string, Array<Record<string, unknown>>>;
    };
    for (const [name, [block]] of Object.entries(json.variable ?? {}))
      variables.set(name, "default" in (block ?? {}));
  }
  return variables;
}

describe("the README's module blocks", () => {
  it("use only variables of the module their source names, and give every required one", async () => {
    // Prepare
    const blocks = tokensOf("README.md").filter(
      (token): token is Tokens.Code => token.type === "code" && token.lang === "hcl",
    );
    // Act
    const problems: string[] = [];
    const sources: string[] = [];
    for (const block of blocks) {
      const json = (await parseHcl("README.tf", block.text)) as {
        module?: Record<string, Array<Record<string, unknown>>>;
      };
      for (const [, [call]] of Object.entries(json.module ?? {})) {
        const source = String(call?.source);
        const dir = /\/\/(terraform[^?]*)\?ref=/.exec(source)?.[1] ?? "";
        sources.push(dir);
        const variables = await declaredVariables(dir);
        for (const argument of Object.keys(call ?? {}).filter((name) => name !== "source")) {
          if (!variables.has(argument)) problems.push(`${dir}: ${argument} is not a variable`);
        }
        for (const [name, hasDefault] of variables) {
          if (!hasDefault && !(name in (call ?? {}))) problems.push(`${dir}: ${name} is required`);
        }
      }
    }
    // Assess
    expect(sources).toEqual(["terraform", "terraform/modules/organization"]);
    expect(problems).toEqual([]);
  });
});

/** The IAM prefix of each AWS SDK client package the code uses (Service Authorization Reference). */
const IAM_PREFIX: Record<string, string> = {
  "@aws-sdk/client-iam": "iam",
  "@aws-sdk/client-sts": "sts",
  "@aws-sdk/client-config-service": "config",
  "@aws-sdk/client-cloudtrail": "cloudtrail",
  "@aws-sdk/client-account": "account",
  "@aws-sdk/client-organizations": "organizations",
};

/** Every `<prefix>:<Action>` the code under rule/ sends: the `…Command` classes it imports from the AWS SDK. */
function actionsTheCodeSends(): Set<string> {
  const actions = new Set<string>();
  for (const file of sourceFiles("rule")) {
    const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const prefix = IAM_PREFIX[statement.moduleSpecifier.text];
      const bindings = statement.importClause?.namedBindings;
      if (!prefix || !bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) {
        const name = element.name.text;
        if (name.endsWith("Command") && !element.isTypeOnly) actions.add(`${prefix}:${name.slice(0, -7)}`);
      }
    }
  }
  return actions;
}

describe("the README's permissions table", () => {
  it("names exactly the AWS actions the code sends, but sts:GetCallerIdentity, which needs no permission", () => {
    // Prepare
    const table = tokensOf("README.md").find(
      (token): token is Tokens.Table => token.type === "table" && token.header[0]?.text === "Who",
    );
    // Act
    const listed = new Set(JSON.stringify(table?.rows ?? []).match(/\b[a-z]+:[A-Z][A-Za-z]+\b/g) ?? []);
    const sent = actionsTheCodeSends();
    sent.delete("sts:GetCallerIdentity");
    // Assess
    expect(sent.size).toBeGreaterThanOrEqual(8);
    expect([...listed].sort()).toEqual([...sent].sort());
  });
});

describe("the parameters table", () => {
  it("names every rule parameter with its default", () => {
    // Prepare
    const table = tokensOf("docs/how-it-decides.md").find(
      (token): token is Tokens.Table => token.type === "table" && token.header[0]?.text === "Parameter",
    );
    const column = (name: string) => table?.header.findIndex((cell) => cell.text === name) ?? -1;
    // Act
    const rows = Object.fromEntries(
      (table?.rows ?? []).map((row) => [
        (row[0]?.text ?? "").replace(/`/g, ""),
        (row[column("Default")]?.text ?? "").replace(/`/g, ""),
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(DEFAULT_PARAMETERS).map(([name, value]) => [
        name,
        value === undefined ? "unset" : String(value),
      ]),
    );
    // Assess
    expect(rows).toEqual(expected);
  });
});

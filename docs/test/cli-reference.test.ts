// docs/cli-reference.md lists every command and flag of packages/cli/src/cli.ts and every
// environment variable the CLI reads, and nothing that does not exist.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cliFlags, documentedFlags, envVariables, referenceProblems } from "./cli-reference.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cliSource = readFileSync(join(root, "packages/cli/src/cli.ts"), "utf8");
const chapter = readFileSync(join(root, "docs/cli-reference.md"), "utf8");

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(dir, f), "utf8"));
}

describe("the CLI reference chapter", () => {
  it("reads the commands and flags of cli.ts", () => {
    const code = cliFlags(cliSource);
    expect([...code.keys()]).toEqual([
      "list",
      "run",
      "replay",
      "explore",
      "merge",
      "worker",
      "trace",
      "report",
    ]);
    expect(code.get("run")).toContain("--until-stable");
    expect(code.get("run")).toContain("--no-progress");
  });

  it("documents every flag of every command, and no other", () => {
    expect(referenceProblems(cliFlags(cliSource), documentedFlags(chapter))).toEqual([]);
  });

  it("names every environment variable the CLI and the report read", () => {
    const names = envVariables([
      ...sourcesUnder(join(root, "packages/cli/src")),
      ...sourcesUnder(join(root, "packages/sim/src/runner")),
    ]);
    expect(names).toContain("JOB_COMPLETION_INDEX");
    expect(names).toContain("MOONPOOL_SEED");
    for (const name of names) expect(chapter, name).toContain(`\`${name}\``);
  });

  it("lists every exit code constant of the CLI", () => {
    const codes = [
      ...sourcesUnder(join(root, "packages/cli/src"))
        .join("\n")
        .matchAll(/EXIT_\w+ = (\d+)/g),
    ].map((m) => m[1]);
    expect(codes).toEqual(expect.arrayContaining(["0", "1", "2", "130"]));
    for (const code of codes) expect(chapter).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
  });

  it("reports a missing flag, an unknown flag and a missing section", () => {
    const code = cliFlags(`cli.command("run <f>").option("--a <n>", "").option(\n "--b", "");
      cli.command("trace <t>").option("--c", "");`);
    const docs = documentedFlags(
      "## `moonpool run`\n\n| `--a` | x |\n| `--z` | y |\n\n## Other\n\n| `--b` | z |\n",
    );
    expect(referenceProblems(code, docs)).toEqual([
      "moonpool run: --b is not documented",
      "moonpool run: --z is documented but cli.ts has no such flag",
      'moonpool trace: no "## `moonpool trace`" section',
    ]);
  });
});

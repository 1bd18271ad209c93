// Every TypeScript block of the book and the READMEs compiles under the repository's strict
// settings and the runnable ones run, so the book cannot drift from the code.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate, writeGenerated } from "@moonpool/codegen";
import { describe, expect, it } from "vitest";
import {
  blockDir,
  blockModuleName,
  bookFiles,
  type CodeBlock,
  extractBlocks,
  resolvedModuleCode,
} from "./code-blocks.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = fileURLToPath(new URL("../.blocks/", import.meta.url));
const require = createRequire(import.meta.url);

const blocks: CodeBlock[] = bookFiles(root).flatMap((file) =>
  extractBlocks(file, readFileSync(join(root, file), "utf8")),
);

function writeBlocks(): void {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const b of blocks) {
    if (b.mode === "fragment") continue;
    const dir = join(out, blockDir(b.file));
    mkdirSync(dir, { recursive: true });
    const siblings = blocks.filter((x) => x.file === b.file);
    writeFileSync(join(dir, blockModuleName(b)), resolvedModuleCode(b, siblings, root, dir));
  }
  // A block declaring a `@service` gets its generated module beside it, as `moonpool-codegen`
  // would write it, so the blocks after it can import `./name.service.ts`.
  const declarations = blocks
    .filter((b) => b.mode !== "fragment" && b.name !== undefined && b.code.includes("@service"))
    .map((b) => join(out, blockDir(b.file), blockModuleName(b)));
  writeGenerated(generate(declarations, { cwd: out, format: "none" }));
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.base.json",
      compilerOptions: { noEmit: true, customConditions: ["@moonpool/source"], noUnusedLocals: false },
      include: ["**/*.ts"],
    }),
  );
}

describe("the book's code blocks", () => {
  it("are found, and fragments stay rare", () => {
    expect(blocks.length).toBeGreaterThan(20);
    expect(blocks.filter((b) => b.mode === "fragment").length).toBeLessThanOrEqual(
      Math.ceil(blocks.length / 4),
    );
  });

  it("type-check under the repository's strict settings", () => {
    writeBlocks();
    const tsc = require.resolve("typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // name the markdown file and line of each failing block
    const named = output.replace(/^(\S+\.ts)(?=\()/gm, (path) => {
      const b = blocks.find((x) => path.endsWith(`${blockDir(x.file)}/${blockModuleName(x)}`));
      return b === undefined ? path : `${b.file}:${b.line}`;
    });
    expect(named).toBe("");
  }, 120_000);

  for (const b of blocks.filter((x) => x.mode === "run")) {
    it(`${b.file}:${b.line} runs`, async () => {
      const path = join(out, blockDir(b.file), blockModuleName(b));
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      // A simulation file's default export: run two seeds of it.
      const d = module.default;
      const builder = typeof d === "function" ? (d as () => unknown)() : d;
      if (builder !== null && typeof builder === "object" && "run" in builder && "seeds" in builder) {
        const report = await (
          builder as {
            seeds(s: number[]): { logSeeds(b: boolean): { run(): Promise<{ seeds: unknown[] }> } };
          }
        )
          .seeds([1, 2])
          .logSeeds(false)
          .run();
        expect(report.seeds).toHaveLength(2);
      }
    }, 60_000);
  }
});

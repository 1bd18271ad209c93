import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@moonpool/core";
import { afterAll, describe, expect, it } from "vitest";
import { runFile } from "../../src/index.ts";

// A scratch directory with no package.json above it (so no "type": "module" either).
const dir = mkdtempSync(join(tmpdir(), "moonpool-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const simIndex = new URL("../../src/index.ts", import.meta.url).href;

function write(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describe("runFile loads simulation files outside an ESM package", () => {
  it("runs a .sim.ts (with a relative TypeScript helper) from a directory without package.json", async () => {
    write("helper.ts", "export const rounds = (n: number): number => n * 2;\n");
    const path = write(
      "outside.sim.ts",
      `import { SimulationBuilder } from ${JSON.stringify(simIndex)};
import { rounds } from "./helper.ts";
const total: number = rounds(2);
export default new SimulationBuilder()
  .workload({
    name: "w",
    async run(ctx) {
      for (let i = 0; i < total; i++) await ctx.time.sleep(1);
      ctx.trace("done", { i: total });
    },
  })
  .seeds([1, 2]);
`,
    );
    const report = await runFile(path, { logSeeds: false });
    expect(report.seeds.map((s) => [s.seed, s.ok, s.simulatedMs])).toEqual([
      [1, true, 4],
      [2, true, 4],
    ]);
  }, 60_000);
});

describe("runFile with a file that is not a simulation", () => {
  const notASim = async (name: string, source: string) => {
    const path = write(name, source);
    const error = await runFile(pathToFileURL(path), { logSeeds: false, file: name }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  };

  it("names the file and what its default export is", async () => {
    expect(await notASim("number.sim.ts", "export default 42;\n")).toBe(
      "invalid runFile(url): number.sim.ts: not a simulation module: the default export must be a SimulationBuilder or a function returning one, but its default export is a number (42)",
    );
    expect(await notASim("object.sim.ts", "export default { run: 1, other: 2 };\n")).toMatch(
      /^invalid runFile\(url\): object\.sim\.ts: .*but its default export is an object with keys run, other$/,
    );
  }, 60_000);

  it("says when there is no default export, listing the module's exports", async () => {
    expect(await notASim("named.sim.ts", "export const a = 1;\nexport function b() {}\n")).toMatch(
      /named\.sim\.ts: .*but it has no default export \(its exports: a, b\)$/,
    );
  }, 60_000);

  it("says what a default-exported function returned", async () => {
    expect(await notASim("fn.sim.ts", "export default async () => 'nope';\n")).toMatch(
      /fn\.sim\.ts: .*but its default export is a function that returned a string \("nope"\)$/,
    );
  }, 60_000);

  it("a missing file or a directory is rejected before any worker starts", async () => {
    const missing = join(dir, "missing.sim.ts");
    await expect(runFile(missing)).rejects.toThrow(InvalidArgumentError);
    await expect(runFile(missing)).rejects.toThrow(`invalid runFile(url): no such file: ${missing}`);
    await expect(runFile(dir)).rejects.toThrow(`invalid runFile(url): not a file: ${dir}`);
  });
});

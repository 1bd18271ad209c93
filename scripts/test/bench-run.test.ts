import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Runs the real bench/run.mjs over fixture suites: one that reports, one that throws.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RUN = join(ROOT, "bench", "run.mjs");
const HARNESS = join(ROOT, "bench", "src", "harness.ts");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "moonpool-bench-"));
  await mkdir(join(dir, "src", "demo"), { recursive: true });
  await writeFile(
    join(dir, "src", "demo", "good.bench.ts"),
    `import { measure } from ${JSON.stringify(HARNESS)};
export default async (r) => {
  const ops = measure(() => Math.sqrt(2), { minMs: 20 });
  r.figure("sqrt", ops, "ops/s");
  r.ratio("sqrt / sqrt", ops / ops, "always one");
};
`,
  );
  await writeFile(
    join(dir, "src", "demo", "bad.bench.ts"),
    'export default async (r) => { r.figure("before", 1, "x"); throw new Error("suite exploded"); };\n',
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RUN, "--src", join(dir, "src"), "--out", join(dir, "out.json"), ...args],
      { cwd: ROOT },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          output: stdout + stderr,
        }),
    );
  });
}

describe("bench/run.mjs", () => {
  it("runs each suite in its own process, prints a table and writes the JSON report", async () => {
    const { code, output } = await run();
    expect(code).toBe(1); // one suite failed
    expect(output).toMatch(/demo\/good\.bench\.ts\s+sqrt\s+\S+\s+ops\/s/);
    expect(output).toContain("suite exploded");
    const report = JSON.parse(await readFile(join(dir, "out.json"), "utf8"));
    expect(report.node).toBe(process.version);
    const bySuite = Object.fromEntries(report.suites.map((s: { suite: string }) => [s.suite, s]));
    expect(bySuite["demo/good.bench.ts"].ok).toBe(true);
    expect(bySuite["demo/good.bench.ts"].figures[0]).toMatchObject({ name: "sqrt", unit: "ops/s" });
    expect(bySuite["demo/good.bench.ts"].figures[0].value).toBeGreaterThan(0);
    expect(bySuite["demo/good.bench.ts"].ratios).toEqual([
      { name: "sqrt / sqrt", value: 1, description: "always one" },
    ]);
    expect(bySuite["demo/bad.bench.ts"].ok).toBe(false);
    expect(bySuite["demo/bad.bench.ts"].figures).toEqual([{ name: "before", value: 1, unit: "x" }]);
  }, 60_000);

  it("runs only the suites matching a filter", async () => {
    const { code } = await run("--", "good");
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, "out.json"), "utf8"));
    expect(report.suites.map((s: { suite: string }) => s.suite)).toEqual(["demo/good.bench.ts"]);
    expect((await run("no-such-suite")).code).toBe(2);
  }, 60_000);
});

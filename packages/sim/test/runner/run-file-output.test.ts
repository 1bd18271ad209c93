import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const runFileModule = new URL("../../src/runner/run-file.ts", import.meta.url).href;
const fixture = new URL("./fixtures/console-lines.sim.ts", import.meta.url).href;

/**
 * Runs `runFile(fixture)` in a child process (the worker's console goes to that process's stderr).
 * The child stays busy until the worker has written its lines (and a moment more), so they are
 * still queued in the worker when its report arrives: the case where terminating the worker on the
 * report lost them. No timing is asserted: with the fix the lines arrive however long this takes.
 */
function runChild(
  dir: string,
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const script = `import { existsSync } from "node:fs";
import { runFile } from ${JSON.stringify(runFileModule)};
const pending = runFile(${JSON.stringify(fixture)}, { logSeeds: false });
const until = Date.now() + 30_000;
while (!existsSync(process.env.MOONPOOL_TEST_MARKER) && Date.now() < until);
// A little longer, so the worker's report is queued too (it cannot exit meanwhile: its output waits).
const more = Date.now() + 500;
while (Date.now() < more);
const report = await pending;
process.stdout.write(JSON.stringify({ ok: report.ok, seeds: report.iterations }));`;
  const r = spawnSync(
    process.execPath,
    ["--conditions=@moonpool/source", "--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      encoding: "utf8",
      env: {
        ...process.env,
        MOONPOOL_TEST_MARKER: join(dir, "lines-written"),
        MOONPOOL_TEST_EXIT_MARKER: join(dir, "worker-exited"),
        ...env,
      },
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("runFile worker output", () => {
  it("every console line an actor prints reaches stderr, up to the last one before the report", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-output-"));
    try {
      const r = runChild(dir);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, seeds: 1 });
      const lines = r.stderr.split("\n").filter((l) => /console line \d+$/.test(l));
      expect(lines.map((l) => Number(/(\d+)$/.exec(l)![1]))).toEqual(
        Array.from({ length: 100 }, (_, i) => i),
      );
      for (const l of lines) expect(l).toMatch(/^\[talker @ \d+\.\d{3}s\] console line \d+$/);
      // The worker was let to exit on its own (its exit listener ran), not terminated.
      expect(existsSync(join(dir, "worker-exited"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("a worker that does not exit on its own is terminated after the grace period", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-output-"));
    try {
      // The worker would linger for 10 minutes: the run still ends (the test's own timeout is
      // far shorter), with its report and output, and the worker never ran its exit listener.
      const r = runChild(dir, { MOONPOOL_TEST_LINGER_MS: "600000" });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, seeds: 1 });
      expect(r.stderr.split("\n").filter((l) => /console line \d+$/.test(l))).toHaveLength(100);
      expect(existsSync(join(dir, "worker-exited"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

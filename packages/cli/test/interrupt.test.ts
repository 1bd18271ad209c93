import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bin, moonpool } from "./helpers/moonpool.ts";

const cwd = fileURLToPath(new URL("./interrupt-fixtures/", import.meta.url));

describe("Ctrl-C during a run (end to end)", () => {
  it("prints the partial report of the finished seeds and exits 130", async () => {
    const child = spawn(process.execPath, [bin, "run", "slow", "--progress-interval", "0", "--json"], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", JOB_COMPLETION_INDEX: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    let sent = false;
    child.stderr.on("data", (d) => {
      stderr += d;
      // Interrupt once a few seeds have finished.
      if (!sent && (stderr.match(/\[moonpool\] progress:/g) ?? []).length >= 3) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    const report = JSON.parse(stdout) as {
      iterations: number;
      stoppedEarly: string;
      seeds: { seed: number }[];
    };
    expect(report.iterations).toBeGreaterThanOrEqual(3);
    expect(report.iterations).toBeLessThan(500);
    expect(report.stoppedEarly).toMatch(/^interrupted \(Ctrl-C\) after \d+ of 500 seeds/);
    expect(report.seeds[0]!.seed).toBe(1); // planned order: the base seed first
    expect(stderr).toMatch(/moonpool: interrupted: partial report of \d+ finished seed\(s\)/);
  }, 120_000);

  it("--fail-fast stops at the first failing seed, reports the seeds finished and exits 1", () => {
    const r = moonpool(["run", "failing-late", "--fail-fast", "--json"], { cwd });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      iterations: number;
      failingSeeds: number[];
      stoppedEarly: string;
    };
    expect(report.failingSeeds).toHaveLength(1);
    expect(report.iterations).toBeLessThan(300);
    expect(report.stoppedEarly).toMatch(
      new RegExp(
        `^--fail-fast: seed ${report.failingSeeds[0]} failed after ${report.iterations} of 300 seeds`,
      ),
    );
    // Without the flag the same run goes on past that seed.
    const full = moonpool(["run", "failing-late", "--iterations", "8", "--json"], { cwd });
    expect((JSON.parse(full.stdout) as { iterations: number }).iterations).toBe(8);
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { formatEta, SeedProgress } from "../src/progress.ts";

const ESC = String.fromCharCode(27);

function sink(isTTY: boolean) {
  const out = {
    text: "",
    isTTY,
    columns: 120,
    write: (t: string) => {
      out.text += t;
    },
  };
  return out;
}

describe("SeedProgress", () => {
  it("prints plain lines no more often than its interval when stderr is not a terminal", () => {
    const s = sink(false);
    let now = 0;
    const p = new SeedProgress(s, { intervalMs: 1_000, now: () => now });
    p.plan(4);
    p.started(11);
    now = 500;
    p.finished(true); // first line: due at once
    p.started(12);
    now = 900;
    p.finished(false); // within the interval: no line
    p.started(13);
    now = 2_000;
    p.finished(true);
    p.started(14);
    now = 2_500;
    p.finished(true);
    p.stop(); // the last state is always printed
    expect(s.text.split("\n").filter(Boolean)).toEqual([
      "[moonpool] progress: 1/4 seeds, 0 failed, 2.0 seeds/s, ETA 2s, seed 11",
      "[moonpool] progress: 3/4 seeds, 1 failed, 1.5 seeds/s, ETA 1s, seed 13",
      "[moonpool] progress: 4/4 seeds, 1 failed, 1.6 seeds/s, ETA 0s, seed 14",
    ]);
    expect(s.text.includes(ESC)).toBe(false);
  });

  it("an open-ended run (no seed count) shows no total and no ETA", () => {
    const s = sink(false);
    const p = new SeedProgress(s, { intervalMs: 0, now: () => 1_000 });
    p.plan(null);
    p.finished(true);
    expect(s.text).toBe("[moonpool] progress: 1 seeds, 0 failed, 1000.0 seeds/s\n");
  });

  it("draws a live bar with counts, failures, rate, ETA and the current seed on a terminal", () => {
    const s = sink(true);
    let now = 0;
    const p = new SeedProgress(s, { now: () => now });
    p.plan(10);
    p.started(7);
    now = 1_000;
    p.finished(false);
    p.started(8);
    now = 2_000;
    p.finished(true);
    p.stop();
    expect(s.text.includes(`${ESC}[`)).toBe(true); // redrawn in place
    const last = s.text
      .split(new RegExp(`\\r|${ESC}\\[\\d*[GK]`))
      .filter((l) => l.includes("seeds"))
      .at(-1)!;
    expect(last).toMatch(/2\/10 seeds \| 1 failed \| 1\.0 seeds\/s \| ETA 8s \| seed 8/);
    expect(s.text).not.toMatch(/\[moonpool\] progress/);
  });

  it("formats an ETA in seconds, minutes or hours", () => {
    expect(formatEta(4.4)).toBe("4s");
    expect(formatEta(185)).toBe("3m05s");
    expect(formatEta(7_620)).toBe("2h07m");
  });
});

describe("run's progress through runCli (in process)", () => {
  it("draws the bar on stderr when it is a terminal; stdout gets only the report JSON", async () => {
    const { runCli } = await import("../src/index.ts");
    const { fixtures } = await import("./helpers/moonpool.ts");
    let stdout = "";
    let stderr = "";
    const code = await runCli(["run", "counter", "--iterations", "4", "--json"], {
      cwd: fixtures,
      isTTY: true,
      columns: 120,
      env: {},
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).passed).toBe(4);
    expect(stderr).toMatch(/4\/4 seeds \| 0 failed \| [\d.]+ seeds\/s \| ETA \d+s \| seed \d+/);
    expect(stderr.includes(`${ESC}[`)).toBe(true);
    expect(stderr).not.toMatch(/\[moonpool\] seed \d+ ok/); // the bar replaces the per-seed lines
  }, 60_000);
});

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/moonpool.js", import.meta.url));
const cwd = fileURLToPath(new URL("./explore-fixtures/", import.meta.url));

function moonpool(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Bug {
  seed: number;
  recipe: string;
  message: string;
  traceHash: string;
}

describe("moonpool explore / replay --recipe (end to end)", () => {
  it("explore --json finds the bug; replay --seed --recipe reproduces it in a fresh process", () => {
    const r = moonpool(
      "explore",
      "planted.sim.ts",
      "--seed",
      "3",
      "--runs",
      "200",
      "--workers",
      "2",
      "--json",
    );
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { exploration: { timelines: number; bugs: Bug[] } };
    expect(json.exploration.timelines).toBeGreaterThan(1);
    const bug = json.exploration.bugs[0]!;
    expect(bug.message).toContain("planted bug");
    expect(bug.recipe).toMatch(/^\d+@\d+( -> \d+@\d+)*$/);
    const replay = moonpool(
      "replay",
      "planted.sim.ts",
      "--seed",
      String(bug.seed),
      "--recipe",
      bug.recipe,
      "--json",
    );
    expect(replay.code).toBe(1);
    const rj = JSON.parse(replay.stdout) as { seeds: { error: string; traceHash: string }[] };
    expect(rj.seeds[0]?.error).toContain("planted bug");
    expect(rj.seeds[0]?.traceHash).toBe(bug.traceHash);
    // Without the recipe the root timeline passes.
    expect(moonpool("replay", "planted.sim.ts", "--seed", String(bug.seed), "--json").code).toBe(0);
  });

  it("prints a human report with replay commands", () => {
    const r = moonpool("explore", "planted", "--seed", "3", "--runs", "100");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/exploration \(frontier\): \d+ timelines/);
    expect(r.stdout).toMatch(/replay: moonpool replay planted.sim.ts --seed 3 --recipe "\d+@\d+/);
  });

  it("rejects bad flags and recipes with usage errors", () => {
    const bad = moonpool("replay", "planted.sim.ts", "--seed", "3", "--recipe", "12@x");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--recipe.*seed "x" is not a non-negative integer/);
    expect(moonpool("explore", "planted.sim.ts", "--runs", "0").code).toBe(2);
    expect(moonpool("explore", "planted.sim.ts", "--policy", "nope").code).toBe(2);
    expect(moonpool("run", "planted.sim.ts", "--recipe", "1@2").code).toBe(2);
  });

  it("takes moonpool's names: --energy for --runs, --fixed for --branching; refuses contradictions", () => {
    const json = (...args: string[]) => {
      const r = moonpool("explore", "planted.sim.ts", "--seed", "3", "--json", ...args);
      expect(r.code, r.stderr).toBe(1);
      return JSON.parse(r.stdout) as {
        exploration: { runsPerSeed: number; splitPoints: number; bugs: Bug[] };
      };
    };
    const ours = json("--runs", "60", "--branching", "2");
    const theirs = json("--energy", "60", "--fixed", "2");
    expect(theirs.exploration.runsPerSeed).toBe(60);
    expect(theirs.exploration).toMatchObject({
      splitPoints: ours.exploration.splitPoints,
      bugs: ours.exploration.bugs.map((b) => ({ recipe: b.recipe, traceHash: b.traceHash })),
    });
    const clash = moonpool("explore", "planted.sim.ts", "--runs", "60", "--energy", "50");
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--energy: --energy 50 contradicts --runs 60/);
    const bad = moonpool("explore", "planted.sim.ts", "--fixed", "0");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fixed: expected an integer >= 1, got 0/);
  });

  it("--code-coverage explores with code-edge coverage and reports it; not with --queue", () => {
    const cc = moonpool("explore", "planted.sim.ts", "--seed", "3", "--runs", "200", "--code-coverage");
    expect(cc.code).toBe(1);
    expect(cc.stdout).toMatch(/code coverage: \d+ of \d+ edges taken, \d+ hit-count classes/);
    const queued = moonpool("explore", "planted.sim.ts", "--code-coverage", "--queue", "redis://127.0.0.1:1");
    expect(queued.code).toBe(2);
    expect(queued.stderr).toMatch(/--code-coverage does not combine with --queue/);
  }, 60_000);
});

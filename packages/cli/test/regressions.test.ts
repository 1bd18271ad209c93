import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRegressions, regressionFileName, saveRegression } from "../src/regressions.ts";
import { fixtures, moonpool } from "./helpers/moonpool.ts";

const exploreFixtures = join(fixtures, "..", "explore-fixtures");

interface Json {
  seeds: { seed: number; ok: boolean; traceHash: string }[];
  failingSeeds: number[];
  regressions?: { seed: number; recipe?: string; ok: boolean; traceHash: string; replay: string }[];
}

describe("--regressions DIR (end to end)", () => {
  it("keeps the failing seeds and replays them first on the next run, with the same trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-regressions-"));
    const first = moonpool(["run", "flaky", "--iterations", "6", "--regressions", dir, "--json"]);
    expect(first.code).toBe(1);
    const found = JSON.parse(first.stdout) as Json;
    expect(found.failingSeeds.length).toBeGreaterThan(0);
    expect(found.regressions).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(
      found.failingSeeds.map((seed) => regressionFileName({ simulation: "flaky", seed })).sort(),
    );
    // The next run uses other seeds, all passing (seed 50 and the one after it): the kept
    // failures still fail it, replayed before the campaign with the trace they failed with.
    const next = moonpool([
      "run",
      "flaky",
      "--seed",
      "50",
      "--iterations",
      "2",
      "--regressions",
      dir,
      "--json",
    ]);
    expect(next.code).toBe(1);
    const json = JSON.parse(next.stdout) as Json;
    expect(json.failingSeeds).toEqual([]);
    const replayed = json.regressions!;
    expect(replayed.map((r) => r.seed)).toEqual([...found.failingSeeds].sort((a, b) => a - b));
    for (const r of replayed) {
      expect(r.ok).toBe(false);
      expect(r.traceHash).toBe(found.seeds.find((s) => s.seed === r.seed)!.traceHash);
      expect(r.replay).toBe(`moonpool replay flaky.sim.ts --seed ${r.seed}`);
    }
    expect(next.stderr).toMatch(/regression still fails: moonpool replay flaky\.sim\.ts --seed \d+/);
    // Human form: the regressions come first.
    const human = moonpool(["run", "flaky", "--seed", "50", "--iterations", "2", "--regressions", dir]);
    expect(human.stdout.indexOf("=== Regressions")).toBe(0);
    expect(human.stdout).toMatch(/Regressions \(\d+ from .*, replayed first\): \d+ FAILED/);
    expect(human.stdout.indexOf("=== Simulation Report")).toBeGreaterThan(0);
  }, 120_000);

  it("a fixed bug's entry passes (exit 0) and stays kept", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-regressions-"));
    saveRegression(dir, { simulation: "flaky", file: "flaky.sim.ts", seed: 50, error: "once failed" });
    const r = moonpool(["run", "flaky", "--seed", "50", "--iterations", "2", "--regressions", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Regressions \(1 from .*\): all pass ===\nok {3}seed 50\n/);
    expect(readdirSync(dir)).toEqual(["flaky.seed-50.json"]);
  }, 60_000);

  it("explore keeps each bug's seed and recipe; run --regressions replays that timeline first", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-regressions-"));
    const cwd = exploreFixtures;
    const explored = moonpool(
      ["explore", "planted.sim.ts", "--seed", "3", "--runs", "200", "--regressions", dir, "--json"],
      { cwd },
    );
    expect(explored.code).toBe(1);
    const bugs = (
      JSON.parse(explored.stdout) as { exploration: { bugs: { seed: number; recipe: string }[] } }
    ).exploration.bugs;
    expect(bugs.length).toBeGreaterThan(0);
    const kept = loadRegressions(dir, "planted.sim.ts");
    expect(kept.map((k) => [k.seed, k.recipe])).toEqual(
      bugs.map((b) => [b.seed, b.recipe]).sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    // A plain seed of this simulation almost never fails; the kept timeline always does.
    const run = moonpool(
      ["run", "planted.sim.ts", "--seed", "3", "--iterations", "1", "--regressions", dir, "--json"],
      {
        cwd,
      },
    );
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as Json;
    expect(json.regressions!.length).toBe(kept.length);
    for (const r of json.regressions!) {
      expect(r.ok).toBe(false);
      expect(r.recipe).toBeDefined();
      expect(r.replay).toContain(`--recipe`);
    }
  }, 120_000);

  it("bad uses exit 2 naming the flag or the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-regressions-"));
    writeFileSync(join(dir, "flaky.seed-1.json"), "{ not json");
    const junk = moonpool(["run", "flaky", "--regressions", dir]);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^moonpool: --regressions: .*flaky\.seed-1\.json is not JSON/);
    const sharded = moonpool(["run", "flaky", "--shard", "1/2", "--regressions", dir]);
    expect(sharded.code).toBe(2);
    expect(sharded.stderr).toMatch(/--regressions with --shard/);
    const file = join(dir, "plain-file");
    writeFileSync(file, "");
    const notDir = moonpool(["run", "flaky", "--regressions", file]);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toMatch(/--regressions: .*plain-file is not a directory/);
    expect(readFileSync(join(dir, "flaky.seed-1.json"), "utf8")).toBe("{ not json"); // nothing lost
  }, 60_000);
});

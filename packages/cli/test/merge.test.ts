import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeAssertionRows, mergeShardReports } from "../src/merge.ts";
import { moonpool, withoutWallTimes } from "./helpers/moonpool.ts";

describe("moonpool merge (end to end)", () => {
  it("two shards (one from JOB_COMPLETION_INDEX) merged give the unsharded run's report byte for byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-merge-"));
    const all = moonpool(["run", "flaky", "--json"]);
    expect(all.code).toBe(1); // the fixture fails some seeds: failing seeds must merge too
    const one = moonpool(["run", "flaky", "--json", "--shard", "1/2"]);
    const two = moonpool(["run", "flaky", "--json"], {
      env: { JOB_COMPLETION_INDEX: "1", JOB_COMPLETIONS: "2" },
    });
    expect(JSON.parse(one.stdout).shard).toEqual({ index: 1, count: 2, of: 13 });
    expect(JSON.parse(two.stdout).shard).toEqual({ index: 2, count: 2, of: 13 });
    writeFileSync(join(dir, "s1.json"), one.stdout);
    writeFileSync(join(dir, "s2.json"), two.stdout);
    // Shards in any order.
    const merged = moonpool(["merge", "s2.json", "s1.json", "--json", "--out", "merged.json"], { cwd: dir });
    expect(merged.code).toBe(1);
    expect(readFileSync(join(dir, "merged.json"), "utf8")).toBe(merged.stdout);
    const report = JSON.parse(all.stdout);
    expect(report.failingSeeds.length).toBeGreaterThan(0);
    expect(report.assertions.length).toBe(3);
    expect(withoutWallTimes(merged.stdout)).toBe(withoutWallTimes(all.stdout));
    // The human form names the failing seeds with their replay commands.
    const human = moonpool(["merge", "s1.json", "s2.json"], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/FAILED {2}13 seeds/);
    expect(human.stdout).toMatch(/replay: moonpool replay flaky\.sim\.ts --seed \d+/);
  }, 120_000);

  it("--shard and JOB_COMPLETION_INDEX are refused with --until-stable (exit 2)", () => {
    const flag = moonpool(["run", "counter", "--shard", "1/2", "--until-stable"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--shard needs a fixed seed list: drop --until-stable/);
    const env = moonpool(["run", "counter", "--until-stable"], {
      env: { JOB_COMPLETION_INDEX: "0", JOB_COMPLETIONS: "3" },
    });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/JOB_COMPLETION_INDEX needs a fixed seed list/);
    const bad = moonpool(["run", "counter"], { env: { JOB_COMPLETION_INDEX: "3", JOB_COMPLETIONS: "3" } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^moonpool: JOB_COMPLETIONS: expected the number of completions/);
  }, 60_000);

  it("a missing or non-JSON report file exits 2 naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-merge-"));
    writeFileSync(join(dir, "junk.json"), "not json");
    const missing = moonpool(["merge", "gone.json"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^moonpool: merge: no such file gone\.json\n/);
    const junk = moonpool(["merge", "junk.json"], { cwd: dir });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^moonpool: junk\.json: not JSON/);
    const none = moonpool(["merge"], { cwd: dir });
    expect(none.code).toBe(2);
  }, 60_000);
});

describe("mergeShardReports", () => {
  const row = (seed: number, ok = true) => ({
    seed,
    ok,
    events: 1,
    simulatedMs: 1,
    wallMs: 1,
    traceHash: "00",
  });
  const shard = (index: number, count: number, of: number, seeds: number[], extra: object = {}) => ({
    ok: true,
    baseSeed: 1,
    wallMs: 5,
    file: "a.sim.ts",
    seeds: seeds.map((s) => row(s)),
    assertions: [],
    shard: { index, count, of },
    ...extra,
  });
  const input = (name: string, json: unknown) => ({ name, json });

  it("interleaves the shards' seeds back into the planned order", () => {
    const r = mergeShardReports([
      input("b", shard(2, 3, 5, [20, 50])),
      input("a", shard(1, 3, 5, [10, 40])),
      input("c", shard(3, 3, 5, [30])),
    ]);
    expect(r.seeds.map((s) => s.seed)).toEqual([10, 20, 30, 40, 50]);
    expect(r.shard).toBeUndefined();
  });

  it("refuses shards of different simulations, seed lists or shard counts, naming the files", () => {
    const other = (extra: object) => [
      input("one.json", shard(1, 2, 3, [1, 3])),
      input("two.json", shard(2, 2, 3, [2], extra)),
    ];
    expect(() => mergeShardReports(other({ file: "b.sim.ts" }))).toThrow(
      /two\.json and one\.json are not shards of the same run: simulation file "b\.sim\.ts" vs "a\.sim\.ts"/,
    );
    expect(() => mergeShardReports(other({ baseSeed: 9 }))).toThrow(/base seed 9 vs 1/);
    expect(() => mergeShardReports(other({ shard: { index: 2, count: 2, of: 4 } }))).toThrow(
      /planned seed count 4 vs 3/,
    );
    expect(() => mergeShardReports(other({ shard: { index: 2, count: 3, of: 3 } }))).toThrow(/shard count/);
    expect(() => mergeShardReports(other({ recipe: "1@2" }))).toThrow(/recipe/);
  });

  it("refuses a shard report that kept only some of its rows (keepSeedRows)", () => {
    const omittedSeeds = { passing: 1, wallMs: 1, simulatedMs: 1, events: 1 };
    expect(() =>
      mergeShardReports([
        input("one.json", shard(1, 2, 3, [1, 3])),
        input("two.json", shard(2, 2, 3, [2], { omittedSeeds })),
      ]),
    ).toThrow(/two\.json: a report that kept only some of its seed rows/);
  });

  it("refuses a missing, repeated or short shard and a report that is not a shard's", () => {
    expect(() => mergeShardReports([input("one.json", shard(1, 2, 3, [1, 3]))])).toThrow(
      /missing shard report\(s\) 2\/2/,
    );
    expect(() =>
      mergeShardReports([input("x.json", shard(1, 2, 3, [1, 3])), input("y.json", shard(1, 2, 3, [1, 3]))]),
    ).toThrow(/y\.json and x\.json are both shard 1\/2/);
    expect(() =>
      mergeShardReports([input("x.json", shard(1, 2, 3, [1])), input("y.json", shard(2, 2, 3, [2]))]),
    ).toThrow(/x\.json: shard 1\/2 should hold 2 of the 3 planned seeds but holds 1/);
    expect(() =>
      mergeShardReports([input("x.json", shard(1, 2, 3, [1, 2])), input("y.json", shard(2, 2, 3, [2]))]),
    ).toThrow(/repeat a seed/);
    const { shard: _s, ...plain } = shard(1, 1, 1, [1]);
    expect(() => mergeShardReports([input("plain.json", plain)])).toThrow(/plain\.json: not a shard report/);
    expect(() => mergeShardReports([input("e.json", { ...shard(1, 1, 1, [1]), exploration: {} })])).toThrow(
      /exploration report/,
    );
    expect(() => mergeShardReports([input("n.json", { hello: 1 })])).toThrow(
      /n\.json: not a moonpool report/,
    );
  });

  it("adds assertion counts per message and recomputes the status", () => {
    const rows = mergeAssertionRows([
      [
        { message: "b", kind: "sometimes", pass: 0, fail: 3, status: "miss" },
        { message: "a", kind: "always", pass: 2, fail: 0, status: "pass" },
      ],
      [
        { message: "b", kind: "sometimes", pass: 1, fail: 1, status: "pass" },
        { message: "a", kind: "always", pass: 1, fail: 1, status: "fail" },
        { message: "c", kind: "reachable", pass: 0, fail: 0, status: "miss" },
      ],
    ]);
    expect(rows).toEqual([
      { message: "a", kind: "always", pass: 3, fail: 1, status: "fail" },
      { message: "c", kind: "reachable", pass: 0, fail: 0, status: "miss" },
      { message: "b", kind: "sometimes", pass: 1, fail: 4, status: "pass" },
    ]);
  });
});

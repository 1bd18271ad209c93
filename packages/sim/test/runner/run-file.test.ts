import { describe, expect, it } from "vitest";
import { runFile } from "../../src/index.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe("runFile", () => {
  it("runs a TypeScript simulation module in a worker and returns its report", async () => {
    const report = await runFile(fixture("race.sim.ts"), {
      seeds: [3, 4],
      logSeeds: false,
      file: "race.sim.ts",
    });
    expect(report.seeds.map((s) => s.seed)).toEqual([3, 4]);
    expect(report.file).toBe("race.sim.ts");
    for (const s of report.failingSeeds)
      expect(report.replayCommand(s)).toBe(`moonpool replay race.sim.ts --seed ${s}`);
  }, 60_000);

  it("a process factory that throws in a worker fails that seed with its replay command", async () => {
    const report = await runFile(fixture("throw1.sim.ts"), {
      seeds: [5, 6],
      logSeeds: false,
      file: "throw1.sim.ts",
    });
    expect(report.seeds.map((s) => s.ok)).toEqual([false, true]);
    expect(report.seeds[0]!.error).toContain("boom on first call");
    expect(report.replayCommand(5)).toBe("moonpool replay throw1.sim.ts --seed 5");
  }, 60_000);

  it("gives the same traceHash in the worker as a second worker run", async () => {
    const a = await runFile(fixture("race.sim.ts"), { seeds: [7, 8], logSeeds: false });
    const b = await runFile(fixture("race.sim.ts"), { seeds: [8], logSeeds: false });
    expect(b.seeds[0]!.traceHash).toBe(a.seeds[1]!.traceHash);
  }, 60_000);

  it("terminates a worker stuck in a synchronous loop, fails that seed and runs the rest", async () => {
    const report = await runFile(fixture("hang.sim.ts"), { logSeeds: false, seedTimeoutMs: 3_000 });
    expect(report.seeds.map((s) => [s.seed, s.ok])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(report.seeds[1]!.kind).toBe("wall-budget");
    expect(report.seeds[1]!.error).toMatch(/seed 2: hang \(wall-budget\)/);
    expect(report.failingSeeds).toEqual([2]);
  }, 60_000);

  it("checkDeterminism re-runs each seed alone in a fresh worker", async () => {
    const report = await runFile(fixture("race.sim.ts"), {
      seeds: [21, 22],
      logSeeds: false,
      checkDeterminism: true,
    });
    expect(report.divergences).toEqual([]);
    expect(report.iterations).toBe(2);
  }, 60_000);

  it("runs seeds on several workers or in shards with the same rows as one worker", async () => {
    const serial = await runFile(fixture("race.sim.ts"), {
      iterations: 6,
      seed: 9,
      logSeeds: false,
      recordTraces: true,
    });
    const parallel = await runFile(fixture("race.sim.ts"), {
      iterations: 6,
      seed: 9,
      logSeeds: false,
      workers: 2,
      recordTraces: true,
    });
    const rows = (r: typeof serial) => r.seeds.map((s) => [s.seed, s.ok, s.traceHash]);
    expect(rows(parallel)).toEqual(rows(serial));
    expect(Object.keys(serial.traces ?? {})).toHaveLength(6);
    expect(parallel.traces).toEqual(serial.traces);
    // the workers' assertion tables are merged by @moonpool/assertions into the serial table
    const table = (r: typeof serial) =>
      [...r.assertions]
        .sort((a, b) => (a.message < b.message ? -1 : 1))
        .map((a) => [a.message, a.pass, a.fail, a.status]);
    expect(table(serial).length).toBe(2);
    expect(table(serial).reduce((n, row) => n + (row[1] as number) + (row[2] as number), 0)).toBe(12);
    expect(table(parallel)).toEqual(table(serial));
    const first = await runFile(fixture("race.sim.ts"), {
      iterations: 6,
      seed: 9,
      logSeeds: false,
      shard: [1, 2],
    });
    const second = await runFile(fixture("race.sim.ts"), {
      iterations: 6,
      seed: 9,
      logSeeds: false,
      shard: [2, 2],
    });
    expect(first.iterations + second.iterations).toBe(6);
    expect(first.shard).toEqual({ index: 1, count: 2, of: 6 });
    expect([...rows(first), ...rows(second)].sort()).toEqual(rows(serial).sort());
    await expect(runFile(fixture("race.sim.ts"), { shard: [3, 2] })).rejects.toThrow(/options\.shard/);
  }, 120_000);

  it("the pool's watchdog fails a stuck seed and continues on a fresh worker, with the same rows for any W", async () => {
    const run = async (workers: number) => {
      const applied: number[] = [];
      const report = await runFile(fixture("hang-some.sim.ts"), {
        logSeeds: false,
        seedTimeoutMs: 1_500,
        workers,
        onSeed: (row) => applied.push(row.seed),
      });
      return { report, applied };
    };
    const one = await run(1);
    const three = await run(3);
    const rows = (r: typeof one.report) => r.seeds.map((s) => [s.seed, s.ok, s.kind, s.traceHash]);
    expect(one.report.seeds.some((s) => s.kind === "wall-budget")).toBe(true);
    expect(one.report.seeds.some((s) => s.ok)).toBe(true);
    expect(rows(three.report)).toEqual(rows(one.report));
    expect(three.report.failingSeeds).toEqual(one.report.failingSeeds);
    // onSeed follows the plan's order whatever order the workers finish in
    expect(three.applied).toEqual(one.report.seeds.map((s) => s.seed));
  }, 120_000);

  it("reports a module without a builder clearly", async () => {
    await expect(runFile(fixture("not-a-sim.ts"), { logSeeds: false })).rejects.toThrow(
      /default export must be a SimulationBuilder/,
    );
    await expect(runFile(fixture("not-a-sim.ts"), { logSeeds: false, workers: 2 })).rejects.toThrow(
      /default export must be a SimulationBuilder/,
    );
  }, 60_000);
});

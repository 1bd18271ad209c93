// A run keeps every failing row and the first `keepSeedRows` rows; past the limit a passing row
// is only counted. Counters, averages, JSON and the streamed rows cover every seed.
import { describe, expect, it } from "vitest";
import { type SeedRow, SimulationBuilder, SimulationReport } from "../../src/index.ts";
import { SeedRows } from "../../src/runner/internal/seed-rows.ts";

/** Fails the seeds whose first draw is below 0.3 (about a third of them). */
const sometimesFails = () =>
  new SimulationBuilder().logSeeds(false).workload({
    name: "w",
    async run(ctx) {
      const x = ctx.random.random();
      await ctx.time.sleep(1 + Math.floor(x * 10));
      if (x < 0.3) throw new Error("unlucky");
    },
  });

/** A row without what differs between two runs of a seed (wall time, stack frames). */
const stable = (r: SeedRow) => ({
  seed: r.seed,
  ok: r.ok,
  events: r.events,
  simulatedMs: r.simulatedMs,
  traceHash: r.traceHash,
  error: r.error,
});

describe("kept seed rows", () => {
  it("keeps the failing rows and the first rows; counts the rest; streams every row", async () => {
    const streamed: SeedRow[] = [];
    const full = await sometimesFails().iterations(60).keepSeedRows("all").run();
    const kept = await sometimesFails()
      .iterations(60)
      .keepSeedRows(5)
      .run({ onSeedDone: (row) => streamed.push(row) });
    expect(full.failed).toBeGreaterThan(5);
    expect(streamed.map(stable)).toEqual(full.seeds.map(stable));
    expect(kept.iterations).toBe(60);
    expect(kept.failed).toBe(full.failed);
    expect(kept.passed).toBe(full.passed);
    expect(kept.failingSeeds).toEqual(full.failingSeeds);
    expect(kept.seeds).toEqual(streamed.filter((s, i) => i < 5 || !s.ok));
    const dropped = streamed.filter((s, i) => i >= 5 && s.ok);
    expect(kept.omittedSeeds).toEqual({
      passing: dropped.length,
      wallMs: dropped.reduce((a, s) => a + s.wallMs, 0),
      simulatedMs: dropped.reduce((a, s) => a + s.simulatedMs, 0),
      events: dropped.reduce((a, s) => a + s.events, 0),
    });
    const text = kept.format({ color: false });
    expect(text).toContain("60 seeds |");
    expect(text).toContain(`${dropped.length} passing seeds counted but not kept`);
    // Averages are those of every seed, as in the full report.
    const avg = (r: SimulationReport) => /avg simulated ([^|]+)\|/.exec(r.format({ color: false }))?.[1];
    expect(avg(kept)).toBe(avg(full));
    const back = SimulationReport.fromJSON(kept.toJSON());
    expect(back.toJSON()).toEqual(kept.toJSON());
    expect(back.iterations).toBe(60);
  });

  it("keeps every row when none is dropped: the report and its JSON are unchanged", async () => {
    const a = await sometimesFails().iterations(20).run();
    const b = await sometimesFails().iterations(20).keepSeedRows("all").run();
    expect(a.omittedSeeds).toBeUndefined();
    expect(a.seeds.map(stable)).toEqual(b.seeds.map(stable));
    expect(Object.keys(a.toJSON())).not.toContain("omittedSeeds");
  });

  it("refuses a bad limit, naming the argument", () => {
    expect(() => new SimulationBuilder().keepSeedRows(-1)).toThrow(/keepSeedRows\(limit\)/);
    expect(() => new SimulationBuilder().keepSeedRows(1.5)).toThrow(/keepSeedRows\(limit\)/);
    expect(() => new SimulationBuilder().keepSeedRows("some" as never)).toThrow(/keepSeedRows\(limit\)/);
  });

  it("SeedRows with limit 0 keeps only failing rows", () => {
    const rows = new SeedRows(0);
    const row = (seed: number, ok: boolean) =>
      ({ seed, ok, events: 2, simulatedMs: 3, wallMs: 1, traceHash: "x" }) as SeedRow;
    rows.add(row(1, true));
    rows.add(row(2, false));
    rows.add(row(3, true));
    expect(rows.length).toBe(3);
    expect(rows.kept.map((r) => r.seed)).toEqual([2]);
    expect(rows.omitted()).toEqual({ passing: 2, wallMs: 2, simulatedMs: 6, events: 4 });
  });
});

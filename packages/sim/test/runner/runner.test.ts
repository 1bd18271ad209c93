import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";
import { chooseExecutor } from "./executor-choice.ts";
import build, { raceWorkload } from "./fixtures/race.sim.ts";

beforeAll(chooseExecutor);

describe("lost-update race", () => {
  it("finds the intermittent lost update on some, but not all, of 200 seeds", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload(() => raceWorkload(false))
      .iterations(200)
      .run();
    expect(report.failed).toBeGreaterThan(0);
    expect(report.passed).toBeGreaterThan(0);
    const failing = report.seeds.find((s) => !s.ok)!;
    expect(failing.error).toMatch(/lost update: counter is 1, expected 2/);
    expect(failing.error).toContain(`seed ${failing.seed}`);
  });

  it("the correct version passes 1,000 seeds", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload(() => raceWorkload(true))
      .iterations(1_000)
      .run();
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(1_000);
  }, 60_000);
});

describe("determinism", () => {
  it("the same seed gives the same trace and traceHash, alone or in a batch", async () => {
    const batch = await build().seeds([11, 12, 13, 14]).logSeeds(false).recordTraces().run();
    const alone = await build().seeds([13]).logSeeds(false).recordTraces().run();
    expect(alone.seeds[0]!.traceHash).toBe(batch.seeds[2]!.traceHash);
    expect(alone.traces?.["13"]).toEqual(batch.traces?.["13"]);
    expect(alone.traces?.["13"]?.length).toBeGreaterThan(3);
    // different seeds give different histories
    expect(new Set(batch.seeds.map((s) => s.traceHash)).size).toBeGreaterThan(1);
  });

  it("gives the same traceHash in two separate processes", async () => {
    const script = fileURLToPath(new URL("./fixtures/print-hashes.ts", import.meta.url));
    const runChild = () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ["--conditions=@moonpool/source", "--import", "tsx", script, "3", "4", "5"],
          {
            encoding: "utf8",
          },
        ),
      ) as Record<string, string>;
    const first = runChild();
    const second = runChild();
    const here = await build().seeds([3, 4, 5]).logSeeds(false).run();
    expect(first).toEqual(second);
    expect(first).toEqual(Object.fromEntries(here.seeds.map((s) => [String(s.seed), s.traceHash])));
  }, 60_000);

  it("checkDeterminism() passes for a deterministic simulation and reports a divergence otherwise", async () => {
    const ok = await build().seeds([1, 2]).logSeeds(false).checkDeterminism().run();
    expect(ok.divergences).toEqual([]);
    let calls = 0;
    const bad = await new SimulationBuilder()
      .logSeeds(false)
      .workload({
        name: "leaky",
        async run(ctx) {
          ctx.random.int(0, 10);
          ctx.trace("leak", { call: calls++ });
        },
      })
      .checkDeterminism()
      .run();
    expect(bad.failed).toBe(1);
    const d = bad.divergences[0]!;
    expect(d.index).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(d.first)).toContain('"call":0');
    expect(JSON.stringify(d.second)).toContain('"call":1');
    expect(d.firstDraws.join()).toMatch(/leaky\.int\(0, 10\)/);
    expect(bad.format({ color: false })).toMatch(/diverged at event #\d+/);
  });
});

describe("report", () => {
  it("formats a summary, timing, failing seeds with replay commands and a seed table", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload(() => raceWorkload(false))
      .iterations(30)
      .run();
    const text = report.format({ color: false });
    expect(text).toMatch(/=== Simulation Report ===/);
    expect(text).toMatch(/FAILED\s+30 seeds \| \d+ passed \| \d+ failed/);
    expect(text).toMatch(/Timing: total wall/);
    const seed = report.failingSeeds[0]!;
    expect(text).toContain(`moonpool replay <file> --seed ${seed}`);
    expect(text).toMatch(/--- Seeds \(30\) ---/);
    expect(text.includes("\u001b[")).toBe(false);
    expect(report.format({ color: true }).includes("\u001b[31m")).toBe(true);
  });

  it("toJSON() is plain data with replay commands", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload({ name: "w", run: async (ctx) => ctx.trace("x", { big: 2n ** 70n }) })
      .seeds([5, 6])
      .recordTraces()
      .run();
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    expect(json.iterations).toBe(2);
    expect(json.passed).toBe(2);
    expect(json.failingSeeds).toEqual([]);
    expect((json.seeds as { seed: number; traceHash: string }[]).map((s) => s.seed)).toEqual([5, 6]);
    expect((json.seeds as { traceHash: string }[])[0]!.traceHash).toMatch(/^[0-9a-f]{16}$/);
    const trace = report.traces?.["5"] as { name: string; fields: Record<string, unknown> }[];
    expect(trace.find((e) => e.name === "x")?.fields.big).toBe((2n ** 70n).toString());
  });
});

import { assertionReport } from "@moonpool/assertions";
import { describe, expect, it } from "vitest";
import { explore } from "../src/index.ts";
import { floorsSimulation, plantedSimulation } from "./workloads.ts";

const stable = (e: object) => JSON.stringify({ ...e, wallMs: 0 });

describe("explore", () => {
  it("finds the planted 10% x 10% bug and its recipe replays it", async () => {
    // The root splits at "entry" (before the first draw): its children re-draw gate a.
    const report = await explore(plantedSimulation(), { seed: 3, runs: 200 });
    const bug = report.exploration.bugs[0];
    expect(bug?.message).toMatch(/planted bug/);
    expect(report.ok).toBe(false);
    const replay = await plantedSimulation().replay(bug!.seed, bug!.recipe);
    expect(replay.ok).toBe(false);
    expect(replay.seeds[0]?.error).toContain("planted bug");
    expect(replay.seeds[0]?.traceHash).toBe(bug!.traceHash);
  });

  it("the adaptive policy finds the planted bug, and its recipe replays it", async () => {
    const report = await explore(plantedSimulation(), { seed: 3, runs: 200, policy: "adaptive" });
    expect(report.exploration.policy).toBe("adaptive");
    const bug = report.exploration.bugs[0];
    expect(bug?.message).toMatch(/planted bug/);
    const replay = await plantedSimulation().replay(bug!.seed, bug!.recipe);
    expect(replay.seeds[0]?.traceHash).toBe(bug!.traceHash);
    await expect(
      explore(plantedSimulation(), { policy: "adaptive", adaptive: { batches: 3 } as never }),
    ).rejects.toThrow(/explore\(options\.adaptive\.batches\): unknown knob/);
    await expect(
      explore(plantedSimulation(), {
        policy: "adaptive",
        adaptive: { minTimelines: 300, maxTimelines: 200 },
      }),
    ).rejects.toThrow(/options\.adaptive\.minTimelines/);
  });

  it("clears 6 floors at p = 1/5 each where plain seeds (same budget) do not", async () => {
    // Brute force: 0.2^6 = 6.4e-5 per seed. A root that clears no floor discovers nothing and
    // dies, so the campaign spreads its budget over root seeds.
    const report = await explore(floorsSimulation(6), { seed: 7777, seeds: 20, runs: 40 });
    expect(report.exploration.bugTimelines).toBeGreaterThan(0);
    const budget = report.exploration.timelines;
    const plain = await floorsSimulation(6).seed(7777).iterations(budget).run();
    expect(plain.failed).toBe(0);
  });

  it("counts nothing twice: a replayed prefix's assertion calls are not accounted", async () => {
    const report = await explore(floorsSimulation(5, true), { rootSeeds: [11, 12], runs: 60 });
    const calls = Object.fromEntries(assertionReport().map((a) => [a.message, a.pass]));
    expect(report.exploration.timelines).toBeGreaterThan(10);
    // "start" runs before any draw, in every timeline's prefix: only the roots count it.
    expect(calls.start).toBe(2);
    // "end" runs once per timeline, after its split point unless it is the split point.
    expect(calls.end).toBeLessThanOrEqual(report.exploration.timelines);
    expect(calls.end).toBeGreaterThan(2);
    expect(report.assertions.find((a) => a.message === "start")?.pass).toBe(2);
  });

  it("gives the same campaign twice (timelines, recipes, bugs, coverage)", async () => {
    const a = await explore(plantedSimulation(), { seed: 5, seeds: 3, runs: 100 });
    const b = await explore(plantedSimulation(), { seed: 5, seeds: 3, runs: 100 });
    expect(a.exploration.timelines).toBeGreaterThan(3);
    expect(stable(b.exploration)).toBe(stable(a.exploration));
    expect(b.assertions).toEqual(a.assertions);
  });

  it("keeps coverage across root seeds: a seed with nothing new stops after one timeline", async () => {
    const report = await explore(plantedSimulation(), { seed: 3, seeds: 3, runs: 200 });
    const [first, ...later] = report.exploration.seeds;
    expect(first!.timelines).toBeGreaterThan(1);
    // Every mark is known after the first seed: later roots find nothing new and die.
    for (const s of later) expect(s.timelines).toBe(1);
  });

  it('with coverage: "seed", searches every root seed in full and sums their accounting', async () => {
    const options = { seed: 3, seeds: 3, runs: 200 };
    const campaign = await explore(plantedSimulation(), options);
    const perSeed = await explore(plantedSimulation(), { ...options, coverage: "seed" });
    const seeds = perSeed.exploration.seeds;
    expect(seeds[0]).toEqual(campaign.exploration.seeds[0]); // the first seed starts empty either way
    for (const s of seeds.slice(1)) expect(s.timelines).toBeGreaterThan(1);
    expect(perSeed.exploration.timelines).toBeGreaterThan(campaign.exploration.timelines);
    // Every seed's live assertion calls are counted in the report's table: more timelines, more counts.
    const calls = (r: typeof campaign) => r.assertions.reduce((n, a) => n + a.pass + a.fail, 0);
    expect(perSeed.assertions.map((a) => a.message)).toEqual(campaign.assertions.map((a) => a.message));
    expect(calls(perSeed)).toBeGreaterThan(calls(campaign));
    await expect(explore(plantedSimulation(), { coverage: "fresh" as never })).rejects.toThrow(
      /explore\(options\.coverage\): expected "campaign" or "seed"/,
    );
  });

  it("respects the depth limit and the budget", async () => {
    const report = await explore(plantedSimulation(), { seed: 7777, runs: 50, maxDepth: 1 });
    expect(report.exploration.depthHistogram.length).toBeLessThanOrEqual(2);
    expect(report.exploration.timelines).toBeLessThanOrEqual(50);
    const small = await explore(plantedSimulation(), { seed: 7777, runs: 5 });
    expect(small.exploration.timelines).toBe(5);
  });

  it("continuationDepthExponent makes continuations favour deep states", async () => {
    const meanDepth = (h: number[]) => h.reduce((n, c, d) => n + c * d, 0) / h.reduce((n, c) => n + c, 0);
    const options = { seed: 7777, runs: 300 };
    const flat = await explore(floorsSimulation(8, true), { ...options, continuationDepthExponent: 0 });
    const upstream = await explore(floorsSimulation(8, true), options);
    const deep = await explore(floorsSimulation(8, true), { ...options, continuationDepthExponent: 3 });
    const depths = [flat, upstream, deep].map((r) => meanDepth(r.exploration.depthHistogram));
    expect(depths[0]).toBeLessThan(depths[1]!);
    expect(depths[1]).toBeLessThan(depths[2]!);
    await expect(explore(floorsSimulation(), { continuationDepthExponent: -1 })).rejects.toThrow(
      /explore\(options\.continuationDepthExponent\): expected an integer >= 0/,
    );
  });

  it("rejects bad options, naming them", async () => {
    await expect(explore(floorsSimulation(), { runs: 0 })).rejects.toThrow(/explore\(options\.runs\)/);
    await expect(explore(floorsSimulation(), { policy: "x" as never })).rejects.toThrow(/options\.policy/);
    await expect(explore({} as never)).rejects.toThrow(/explore\(simulation\)/);
  });
});

// PCT scheduling through the builder: deterministic per seed, finds a depth-2 ordering bug.
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";

async function lostUpdate(seed: number, scheduling: Parameters<SimulationBuilder["scheduling"]>[0]) {
  let x = 0;
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .seeds([seed])
    .scheduling(scheduling)
    .workload({
      name: "w",
      async run(ctx) {
        const tasks = [0, 1, 2].map((i) =>
          ctx.task.spawn(`inc${i}`, async () => {
            const v = x;
            await ctx.task.yieldNow();
            x = v + 1;
          }),
        );
        for (const t of tasks) await t.join();
        ctx.trace("final", { x });
      },
    })
    .run();
  return { x, hash: report.seeds[0]?.traceHash };
}

describe("PCT scheduling", () => {
  it("is a function of the seed and finds the lost update", async () => {
    const outcomes = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const a = await lostUpdate(seed, { pct: { depth: 2, steps: 8 } });
      const b = await lostUpdate(seed, { pct: { depth: 2, steps: 8 } });
      expect(b).toEqual(a);
      outcomes.add(a.x);
    }
    expect([...outcomes].some((x) => x < 3)).toBe(true);
  });

  it("fast-path yields are accepted with a probability; bad options are refused naming the argument", async () => {
    expect((await lostUpdate(1, { fastPathYield: 0.5 })).hash).toBeDefined();
    expect(() => new SimulationBuilder().scheduling({ pct: { depth: 0, steps: 5 } })).toThrow(/options\.pct/);
    expect(() => new SimulationBuilder().scheduling({ fastPathYield: 2 })).toThrow(/fastPathYield/);
    expect(() => new SimulationBuilder().scheduling(null as never)).toThrow(/scheduling\(options\)/);
  });
});

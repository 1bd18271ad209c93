// References to builtins captured when a dependency loads (after @moonpool/sim) are routed to the
// simulated world while a seed drains: randomness from the seed, time from the virtual clock, and
// ticks observed so virtual time never jumps past a pending tick.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { SimulationBuilder, VIRTUAL_EPOCH_MS } from "../../src/index.ts";

const require = createRequire(import.meta.url);
const captured = require("./fixtures/captures.cjs") as {
  token(): string;
  now(): number;
  hrtime(): bigint;
  perfNow(): number;
  random(): number;
  tick(): Promise<void>;
  fill(): Promise<number[]>;
};

async function observe(seed: number): Promise<{ values: string; hash: string }> {
  let values = "";
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .seeds([seed])
    .workload({
      name: "w",
      async run(ctx) {
        await ctx.time.sleep(25);
        const fill = await captured.fill();
        values = JSON.stringify({
          token: captured.token(),
          now: captured.now() - VIRTUAL_EPOCH_MS,
          hrtime: String(captured.hrtime()),
          perfNow: captured.perfNow(),
          random: captured.random(),
          fill,
        });
      },
    })
    .run();
  expect(report.seeds[0]?.error ?? "ok").toBe("ok");
  return { values, hash: report.seeds[0]!.traceHash };
}

describe("references captured at module load", () => {
  it("route to the seed's world: the same seed gives the same values and hash, another seed others", async () => {
    const a = await observe(5);
    const b = await observe(5);
    const c = await observe(6);
    expect(b).toEqual(a);
    expect(c.values).not.toBe(a.values);
    const parsed = JSON.parse(a.values) as { now: number; hrtime: string; perfNow: number };
    expect(parsed.now).toBe(25);
    expect(parsed.hrtime).toBe(String(25_000_000));
    expect(parsed.perfNow).toBe(25);
  });

  it("a captured process.nextTick is observed: virtual time never passes a pending tick", async () => {
    const hops: number[] = [];
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .seeds([1, 2, 3])
      .workload({
        name: "ticker",
        async run(ctx) {
          const t0 = ctx.time.now();
          for (let i = 0; i < 200; i++) await captured.tick();
          hops.push(ctx.time.now() - t0);
        },
      })
      .workload({
        name: "sleeper",
        async run(ctx) {
          for (let i = 0; i < 50; i++) await ctx.time.sleep(1);
        },
      })
      .run();
    expect(report.ok).toBe(true);
    expect(hops).toEqual([0, 0, 0]);
  });
});

// Module state that outlives a seed (a library's clock, a cache) is reset before every seed:
// known libraries automatically, others through registerSeedReset.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { registerSeedReset, SimulationBuilder } from "../../src/index.ts";

const require = createRequire(import.meta.url);
const fakeUndiciTimers = require("./fixtures/lib/undici/lib/util/timers.js") as { tick(): number };

async function firstTicks(seeds: number[], tick: () => number): Promise<number[]> {
  const seen: number[] = [];
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .seeds(seeds)
    .workload({
      name: "w",
      async run() {
        seen.push(tick());
      },
    })
    .run();
  expect(report.ok).toBe(true);
  return seen;
}

describe("library state across seeds", () => {
  it("undici's fast-timer module (found in the module cache) starts every seed fresh", async () => {
    expect(await firstTicks([1, 2, 3], () => fakeUndiciTimers.tick())).toEqual([1, 1, 1]);
  });

  it("registerSeedReset resets user module state before each seed", async () => {
    let counter = 0;
    registerSeedReset("test.counter", () => {
      counter = 0;
    });
    expect(await firstTicks([1, 2], () => ++counter)).toEqual([1, 1]);
    expect(() => registerSeedReset("", () => undefined)).toThrow(/name/);
    expect(() => registerSeedReset("x", 1 as never)).toThrow(/reset/);
  });
});

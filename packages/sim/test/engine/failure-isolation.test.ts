// A failure inside simulated code (a throwing shutdown listener, an unhandled rejection, a
// throwing task) fails that seed only: the other seeds of the run, and the test file, go on.
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";
import { run } from "./helpers.ts";

const quiet = () => new SimulationBuilder().logSeeds(false);

describe("failure isolation through the runner", () => {
  it("a throwing shutdown listener fails that seed; the other seeds pass", async () => {
    let boots = 0;
    const report = await quiet()
      .processes(1, () => ({
        name: "server",
        async run(ctx) {
          const boot = ++boots; // one boot per seed: the second seed's listener throws
          ctx.shutdown.addEventListener("abort", () => {
            if (boot === 2) throw new Error("shutdown listener blew up");
          });
          while (!ctx.shutdown.aborted) await ctx.time.sleep(10, ctx.shutdown).catch(() => {});
        },
      }))
      .workload({
        name: "client",
        async run(ctx) {
          await ctx.time.sleep(25);
        },
      })
      .seeds([1, 2, 3])
      .run();
    expect(report.seeds.map((s) => s.ok)).toEqual([true, false, true]);
    const failing = report.seeds[1];
    expect(failing?.error).toMatch(/uncaught exception/);
    expect(failing?.error).toMatch(/shutdown listener blew up/);
    expect(failing?.error).toMatch(/^seed \d+: uncaught exception in task "main\/main"/); // the runner aborts shutdown
  });

  it("an unhandled rejection fails that seed only", async () => {
    let runs = 0;
    const report = await quiet()
      .workload({
        name: "client",
        async run(ctx) {
          await ctx.time.sleep(5);
          if (++runs === 2) void Promise.reject(new Error("dropped promise"));
          await ctx.time.sleep(5);
        },
      })
      .seeds([6, 7, 8])
      .run();
    expect(report.seeds.map((s) => s.ok)).toEqual([true, false, true]);
    expect(report.seeds[1]?.error).toMatch(/unhandled rejection.*dropped promise/s);
  });
});

describe("process error listeners while a seed yields to the real event loop", () => {
  it("an exception thrown by real code outside the simulation goes to the listeners around it, not the seed", async () => {
    const realSetImmediate = globalThis.setImmediate;
    const saved = process.rawListeners("uncaughtException") as ((e: unknown) => void)[];
    const received: unknown[] = [];
    process.removeAllListeners("uncaughtException");
    const mine = (error: unknown) => received.push(error);
    process.on("uncaughtException", mine);
    try {
      // Armed by the code around the seed, before it starts: it fires at the seed's first real yield.
      realSetImmediate(() => {
        throw new Error("not the simulation's fault");
      });
      const outcome = await run(80, async (_k, actors) => {
        const a = actors.createActor("a", "x");
        for (let i = 0; i < 10_000; i++) await a.time.sleep(1); // several real yields
      });
      expect(outcome.ok).toBe(true);
      expect(received).toHaveLength(1);
      expect((received[0] as Error).message).toBe("not the simulation's fault");
      expect(process.rawListeners("uncaughtException")).toEqual([mine]);
    } finally {
      process.removeAllListeners("uncaughtException");
      for (const l of saved) process.on("uncaughtException", l);
    }
  });
});

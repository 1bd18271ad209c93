// Hangs that used to escape the in-process runner or get a machine-dependent verdict (issue 9 §4).
import { beforeAll, describe, expect, it } from "vitest";
import { type Process, SimulationBuilder } from "../../src/index.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const quiet = () => new SimulationBuilder().logSeeds(false);

/** Accepts one connection and closes it at once (the client then reads end of stream forever). */
const closer = (): Process => ({
  name: "server",
  async run(ctx) {
    const listener = await ctx.network.listen(`${ctx.ip}:4500`);
    const conn = await listener.accept();
    await conn.close();
    while (!ctx.shutdown.aborted) await ctx.time.sleep(1_000, ctx.shutdown).catch(() => {});
  },
});

describe("microtask busy loops", () => {
  it("a loop on read() after end of stream fails the seed as busy, naming the task", async () => {
    // Before: `await conn.read()` resolved at once forever and builder.run() never returned.
    const report = await quiet()
      .processes(1, closer)
      .workload({
        name: "reader",
        async run(ctx) {
          const conn = await ctx.network.connect(`${ctx.peer("server")}:4500`);
          for (;;) await conn.read(); // a bug: ignores the null that says "end of stream"
        },
      })
      .wallClockBudget(2_000)
      .seeds([1])
      .run();
    const row = report.seeds[0]!;
    expect(row.ok).toBe(false);
    expect(row.kind).toBe("busy");
    expect(row.error).toMatch(/"reader\/reader.run"/);
    expect(row.error).toMatch(/read \(end of stream\)/);
  });
});

describe("the per-seed wall cap is the option's value", () => {
  it("seedTimeout(ms) and wallClockBudget(ms) set it (no fixed 60 s ceiling); bad values are refused", () => {
    const capOf = (b: SimulationBuilder) => (b as unknown as { seedWallMs: number }).seedWallMs;
    expect(capOf(quiet())).toBe(60_000);
    expect(capOf(quiet().seedTimeout(200))).toBe(200);
    expect(capOf(quiet().wallClockBudget(120_000))).toBe(120_000);
    expect(() => quiet().seedTimeout(0)).toThrow(/seedTimeout\(ms\)/);
  });
});

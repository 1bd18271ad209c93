// A timer handle kept in module state across seeds (undici's fast-timer clock refreshes the handle
// it made in an earlier seed) acts in the seed running now, exactly as a first seed's fresh timer.
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";

// Module state that outlives a seed, as a library's would.
let kept: ReturnType<typeof setTimeout> | undefined;
let firedAt: number[] = [];

async function runSeeds(seeds: number[]): Promise<Map<number, string>> {
  kept = undefined;
  const lines: string[] = [];
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .seeds(seeds)
    .workload({
      name: "refresher",
      async run(ctx) {
        firedAt = [];
        const delay = 10 + ctx.random.int(0, 40);
        if (kept === undefined) kept = setTimeout(() => firedAt.push(ctx.time.now()), delay);
        else kept.refresh();
        const id = Number(kept);
        await ctx.time.sleep(100);
        lines.push(`id=${id} fired=${firedAt.join(",")}`);
      },
    })
    .run();
  expect(report.ok).toBe(true);
  return new Map(seeds.map((seed, i) => [seed, lines[i] ?? "did not finish"]));
}

describe("timer handles kept across seeds", () => {
  it("a handle refreshed in a later seed fires in that seed, with that seed's numbering", async () => {
    const batch = await runSeeds([1, 2, 3]);
    for (const seed of [2, 3]) {
      const alone = await runSeeds([seed]);
      // Alone, the seed makes a fresh timer; in the batch it refreshes seed 1's handle. Both fire once.
      expect(batch.get(seed)).toMatch(/fired=\d+$/);
      expect(batch.get(seed)?.split(" ")[0]).toBe(alone.get(seed)?.split(" ")[0]);
    }
  });
});

describe("timer.unref()", () => {
  /** A server with a heartbeat interval that it never clears, as many libraries do. */
  async function heartbeatRun(unref: boolean, refAgain = false) {
    let beats = 0;
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .seeds([1, 2])
      .processes(1, () => ({
        name: "srv",
        async run(ctx) {
          const beat = setInterval(() => beats++, 1_000);
          if (unref) beat.unref();
          if (refAgain) beat.ref();
          await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
        },
      }))
      .workload({
        name: "w",
        async run(ctx) {
          await ctx.time.sleep(10_500);
        },
      })
      .run();
    return { report, beats };
  }

  it("an unref'd interval still fires but does not keep the seed running", async () => {
    const { report, beats } = await heartbeatRun(true);
    expect(report.seeds.map((s) => s.error ?? "ok")).toEqual(["ok", "ok"]);
    expect(beats).toBe(20); // ten beats per seed, while the workload ran
  });

  it("a ref'd interval keeps it running (the virtual-time budget ends it), also after ref()", async () => {
    for (const { report } of [await heartbeatRun(false), await heartbeatRun(true, true)]) {
      expect(report.seeds[0]?.kind).toBe("virtual-budget");
    }
  });
});

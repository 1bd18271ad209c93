import { describe, expect, it } from "vitest";
import { webSimulation } from "../src/simulation.ts";

describe("the web service in simulation", () => {
  it("passes seeds under chaos with crashes of the web process, reaching the cache through ioredis", async () => {
    const report = await webSimulation().logSeeds(false).seeds([1, 2, 3, 4, 5, 6]).run();
    expect(report.ok, report.format()).toBe(true);
    const text = report.format();
    expect(text).toMatch(/the cache answered through ioredis/);
  }, 120_000);

  it("a seed gives the same trace alone and in a batch", async () => {
    const batch = await webSimulation().logSeeds(false).seeds([7, 8]).run();
    const alone = await webSimulation().logSeeds(false).seeds([8]).run();
    expect(batch.ok && alone.ok).toBe(true);
    const hash = (r: typeof batch, seed: number) => r.seeds.find((s) => s.seed === seed)?.traceHash;
    expect(hash(alone, 8)).toBeDefined();
    expect(hash(alone, 8)).toBe(hash(batch, 8));
  }, 120_000);
});

describe("the planted bug", () => {
  it("ack-before-sync loses an acknowledged write after a crash, found within 30 seeds and replayed exactly", async () => {
    const seeds = Array.from({ length: 30 }, (_, i) => i + 1);
    const report = await webSimulation({ bug: "ack-before-sync" }).logSeeds(false).seeds(seeds).run();
    const failing = report.seeds.find((s) => !s.ok);
    expect(failing, "no seed found the bug").toBeDefined();
    expect(report.format()).toMatch(/an acknowledged (write is never lost|key never disappears)/);
    const again = await webSimulation({ bug: "ack-before-sync" })
      .logSeeds(false)
      .seeds([failing?.seed as number])
      .run();
    expect(again.ok).toBe(false);
    expect(again.seeds[0]?.traceHash).toBe(failing?.traceHash);
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { KV_BUGS, type KvBug } from "../src/bugs.ts";
import { kvSimulation } from "../src/simulation.ts";

// Each bug is found within this many seeds from base seed 1 (the figures today: ack-before-fsync
// ~14%, snapshot-no-dirsync ~20%, stale-read ~60% of seeds fail).
const SEED_BOUND = 100;

describe("kv-store simulation", () => {
  it("the correct store passes 30 seeds of network and storage chaos and zone outages", async () => {
    const report = await kvSimulation().seed(1).iterations(30).logSeeds(false).run();
    expect(report.failed, report.format()).toBe(0);
    expect(report.seeds.reduce((n, s) => n + s.events, 0)).toBeGreaterThan(30 * 500);
  }, 90_000);

  it.each(KV_BUGS.map((bug) => [bug]))(
    "finds the %s bug within the seed bound, and its failing seed replays exactly",
    async (bug: KvBug) => {
      const report = await kvSimulation({ bug }).seed(1).iterations(SEED_BOUND).logSeeds(false).run();
      const failing = report.seeds.find((s) => !s.ok);
      expect(failing, `${bug}: no failing seed in ${SEED_BOUND}`).toBeDefined();
      expect(failing!.error).toMatch(/acknowledged write lost|not linearizable/);
      const replay = await kvSimulation({ bug }).seeds([failing!.seed]).logSeeds(false).run();
      expect(replay.seeds[0]).toMatchObject({ ok: false, traceHash: failing!.traceHash });
      expect(replay.seeds[0]!.error).toBe(failing!.error);
    },
    // Up to 100 chaos seeds each: about 6 s alone, several times that on a loaded 2-core machine.
    90_000,
  );
});

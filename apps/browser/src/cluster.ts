// The simulation the page runs: the demo's counter cluster (3 nodes, 2 clients, network and
// storage chaos, reboots), exactly as `moonpool run apps/demo/src/counter.sim.ts` runs it. The
// page and the Node test both call this, so the only difference between them is the host.
import { counterSimulation } from "../../demo/src/simulation.ts";

/** What one seed did, as both hosts report it. */
export interface SeedSummary {
  readonly seed: number;
  readonly ok: boolean;
  readonly traceHash: string;
  readonly events: number;
  readonly simulatedMs: number;
}

/** Runs `count` seeds of the counter cluster from base seed 1. */
export async function runCluster(count: number): Promise<{ seeds: SeedSummary[]; text: string }> {
  const report = await counterSimulation({ durability: "fsync" })
    .logSeeds(false)
    .baseSeed(1)
    .iterations(count)
    .run();
  return {
    seeds: report.seeds.map((s) => ({
      seed: s.seed,
      ok: s.ok,
      traceHash: s.traceHash,
      events: s.events,
      simulatedMs: s.simulatedMs,
    })),
    text: report.format(),
  };
}

// Exploration works on a full simulation (processes, network, storage, chaos), with split points
// from the service's own assertions: the deep bug of rare-network.ts is found within a budget
// where the same number of plain seeds finds nothing, and its recipe replays it exactly.
import { describe, expect, it } from "vitest";
import { explore } from "../src/index.ts";
import { rareNetworkSimulation } from "./rare-network.ts";

const BUDGET = 600;

describe("exploring a networked simulation", () => {
  it("finds five rare steps in a row that plain seeds miss, and replays the bug", async () => {
    const report = await explore(rareNetworkSimulation(), { seed: 1, runs: BUDGET });
    const bug = report.exploration.bugs[0];
    expect(bug?.message).toContain("the server survives resets in a row");
    expect(bug!.timeline).toBeLessThan(BUDGET);
    const replay = await rareNetworkSimulation().replay(bug!.seed, bug!.recipe);
    expect(replay.ok).toBe(false);
    expect(replay.seeds[0]?.traceHash).toBe(bug!.traceHash);

    const plain = await rareNetworkSimulation().seed(1).iterations(BUDGET).run();
    expect(plain.seeds).toHaveLength(BUDGET);
    expect(plain.failed).toBe(0);
  }, 120_000);
});

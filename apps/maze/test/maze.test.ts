import { explore } from "@moonpool/explorer";
import { describe, expect, it } from "vitest";
import { mazeSimulation } from "../src/maze.sim.ts";

describe("maze", () => {
  it("exploration opens all 4 locks where plain random seeds (same number of timelines) do not", async () => {
    const report = await explore(mazeSimulation(), { rootSeeds: [7919], runs: 600 });
    const e = report.exploration;
    expect(e.bugTimelines).toBeGreaterThan(0);
    expect(e.bugs[0]?.message).toContain("maze bug: all 4 locks opened");
    // The bug needs ~20 nested splits: its recipe is deep.
    expect(e.bugs[0]!.depth).toBeGreaterThan(10);
    const plain = await mazeSimulation().seed(7919).iterations(e.timelines).run();
    expect(plain.failed).toBe(0);
    // And the recipe replays the bug with the same trace.
    const bug = e.bugs[0]!;
    const replay = await mazeSimulation().replay(bug.seed, bug.recipe);
    expect(replay.seeds[0]?.traceHash).toBe(bug.traceHash);
    expect(replay.ok).toBe(false);
  });
});

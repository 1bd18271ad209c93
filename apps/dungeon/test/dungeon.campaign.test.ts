// The long run (campaigns project, `pnpm test:campaigns`): exploration finds the treasure on
// floor 8, which 24,000 plain seeds never get near (they reach floor 2 three times).
import { exploreFile } from "@moonpool/explorer";
import { describe, expect, it } from "vitest";

const FILE = new URL("../src/dungeon.sim.ts", import.meta.url);

describe("dungeon campaign", () => {
  it("exploration finds the treasure on floor 8 (seed 1, 12,000 timelines, 2 workers)", async () => {
    const report = await exploreFile(FILE, { seed: 1, runs: 12_000, workers: 2 });
    const e = report.exploration;
    expect(e.bugTimelines).toBeGreaterThan(0);
    const bug = e.bugs[0]!;
    expect(bug.message).toContain("dungeon bug: treasure found on floor 8");
    // Seven keys, each behind a few splits: the recipe is deep.
    expect(bug.depth).toBeGreaterThan(20);
  }, 240_000);
});

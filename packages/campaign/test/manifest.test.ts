import { describe, expect, it } from "vitest";
import { manifestDifference, planExplore, planRun, seedsJobs } from "../src/index.ts";
import { root } from "./helpers/processes.ts";

const MAZE = "apps/maze/src/maze.sim.ts";
const SEEDS = "packages/campaign/test/fixtures/counter-chaos.sim.ts";

describe("campaign manifests", () => {
  it("names a campaign after its file, kind and a digest of simulation and options", () => {
    const a = planExplore({ file: MAZE, cwd: root, explore: { seeds: 2, runs: 100 } });
    const again = planExplore({ file: MAZE, cwd: root, explore: { runs: 100, seeds: 2 } });
    const other = planExplore({ file: MAZE, cwd: root, explore: { seeds: 3, runs: 100 } });
    expect(a.campaign).toMatch(/^maze-explore-[0-9a-f]{8}$/);
    expect(again.campaign).toBe(a.campaign);
    expect(other.campaign).not.toBe(a.campaign);
    expect(a.simulation).toEqual({ file: MAZE, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(manifestDifference(a, again)).toBeUndefined();
    expect(manifestDifference(a, { ...other, campaign: a.campaign })).toBe("options differ");
    expect(manifestDifference(a, { ...a, simulation: { file: MAZE, hash: "f".repeat(64) } })).toMatch(
      /sha256/,
    );
  });

  it("plans a seeds campaign as contiguous ranges of the planned seed list", async () => {
    const m = await planRun({ file: SEEDS, cwd: root, iterations: 60, jobSize: 25, seed: 9 });
    const jobs = seedsJobs(m);
    expect(jobs.map((j) => j.budget)).toEqual([25, 25, 10]);
    expect(jobs.flatMap((j) => j.seeds)).toEqual(m.run!.seeds);
    expect(m.run!.seeds[0]).toBe(9);
    expect(jobs.map((j) => j.index)).toEqual([0, 1, 2]);
  });

  it("refuses bad options, naming them", async () => {
    expect(() => planExplore({ file: MAZE, cwd: root, explore: { runs: 0 } })).toThrow(
      /planExplore\(options.runs\)/,
    );
    expect(() => planExplore({ file: MAZE, cwd: root, explore: {}, jobSize: 0 })).toThrow(/options.jobSize/);
    expect(() => planExplore({ file: "nope.sim.ts", cwd: root, explore: {} })).toThrow(
      /planExplore\(options.file\)/,
    );
    expect(() => planExplore({ file: MAZE, cwd: root, explore: {}, campaign: "a b" })).toThrow(
      /options.campaign/,
    );
    await expect(planRun({ file: SEEDS, cwd: root, iterations: 10, seedTimeoutMs: -1 })).rejects.toThrow(
      /planRun\(options.seedTimeoutMs\)/,
    );
  });
});

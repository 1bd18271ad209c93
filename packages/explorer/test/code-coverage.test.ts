import { describe, expect, it } from "vitest";
import { explore, exploreFile } from "../src/index.ts";
import { plantedSimulation } from "./workloads.ts";

// Two locks behind four 10% gates each, with no assertion marking a gate (fixtures/code).
const LOCKS = new URL("./fixtures/code/lock.sim.ts", import.meta.url);
const stable = (e: object) => JSON.stringify({ ...e, wallMs: 0 });

describe("code-edge coverage", () => {
  it("finds a bug behind branches that assertion coverage alone does not reach, in the same budget", async () => {
    const options = { rootSeeds: [2, 5, 6], runs: 400, coverage: "seed" as const };
    const plain = await exploreFile(LOCKS, options);
    const code = await exploreFile(LOCKS, { ...options, codeCoverage: true });
    expect(plain.exploration.timelines).toBe(1200);
    expect(code.exploration.timelines).toBe(1200);
    expect(plain.exploration.bugTimelines).toBe(0);
    expect(plain.exploration.codeCoverage).toBeUndefined();
    for (const seed of code.exploration.seeds) expect(seed.firstBugTimeline).not.toBeNull();
    expect(code.exploration.bugs.map((b) => b.message)).toEqual(
      Array(3).fill(`assertion violated: always "both locks opened"`),
    );
    // The fixture's functions and branch arms: the search took nearly all of them.
    const cc = code.exploration.codeCoverage!;
    expect(cc.edges).toBeGreaterThan(20);
    expect(cc.covered).toBeGreaterThan(20);
    expect(cc.covered).toBeLessThanOrEqual(cc.edges);
  });

  it("gives the same campaign on 1 and 2 workers", async () => {
    const options = { rootSeeds: [2, 9], runs: 160, batch: 8, codeCoverage: true };
    const one = await exploreFile(LOCKS, { ...options, workers: 1 });
    const two = await exploreFile(LOCKS, { ...options, workers: 2 });
    expect(one.exploration.splitPoints).toBeGreaterThan(10);
    expect(stable(two.exploration)).toBe(stable(one.exploration));
    expect(two.assertions).toEqual(one.assertions);
  });

  it("is refused in-process and checked", async () => {
    await expect(explore(plantedSimulation(), { codeCoverage: true })).rejects.toThrow(
      /explore\(options\.codeCoverage\).*exploreFile/,
    );
    await expect(exploreFile(LOCKS, { codeCoverage: "yes" as never })).rejects.toThrow(
      /exploreFile\(options\.codeCoverage\): expected a boolean/,
    );
  });
});

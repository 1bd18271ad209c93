import { describe, expect, it } from "vitest";
import { explore, exploreFile } from "../src/index.ts";
import { plantedSimulation } from "./workloads.ts";

const FIXTURE = new URL("./fixtures/planted.sim.ts", import.meta.url);
const stable = (e: object) => JSON.stringify({ ...e, wallMs: 0 });

describe("exploreFile", () => {
  it("gives the same campaign on 1 and 2 workers as in-process (timelines, recipes, bugs, coverage)", async () => {
    const options = { seed: 3, seeds: 3, runs: 120, batch: 8 };
    const one = await exploreFile(FIXTURE, { ...options, workers: 1 });
    const two = await exploreFile(FIXTURE, { ...options, workers: 2 });
    const inProcess = await explore(plantedSimulation(), options);
    expect(one.exploration.bugs.length).toBeGreaterThan(0);
    expect(stable(two.exploration)).toBe(stable(one.exploration));
    expect(stable(inProcess.exploration)).toBe(stable(one.exploration));
    expect(two.assertions).toEqual(one.assertions);
  });

  it("rejects a missing file and bad worker counts", async () => {
    await expect(exploreFile("/nonexistent/x.sim.ts")).rejects.toThrow(/exploreFile\(url\)/);
    await expect(exploreFile(FIXTURE, { workers: 0 })).rejects.toThrow(/options\.workers/);
  });
});

import { describe, expect, it } from "vitest";
import { explore, exploreFile } from "../src/index.ts";
import { plantedSimulation } from "./workloads.ts";

const FIXTURE = new URL("./fixtures/planted.sim.ts", import.meta.url);
const HANG = new URL("./fixtures/hang.sim.ts", import.meta.url);
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
    const perSeed = { ...options, coverage: "seed" as const };
    const twoPerSeed = await exploreFile(FIXTURE, { ...perSeed, workers: 2 });
    const inProcessPerSeed = await explore(plantedSimulation(), perSeed);
    expect(stable(twoPerSeed.exploration)).toBe(stable(inProcessPerSeed.exploration));
    expect(twoPerSeed.assertions).toEqual(inProcessPerSeed.assertions);
    const adaptive = { ...options, policy: "adaptive" as const, adaptive: { batch: 4, minTimelines: 8 } };
    const twoAdaptive = await exploreFile(FIXTURE, { ...adaptive, workers: 2 });
    const inProcessAdaptive = await explore(plantedSimulation(), adaptive);
    expect(stable(twoAdaptive.exploration)).toBe(stable(inProcessAdaptive.exploration));
  });

  it("a timeline stuck in a synchronous loop fails with kind wall-budget and the campaign goes on, same on 1 and 2 workers", async () => {
    const options = { seed: 3, runs: 60, batch: 8, timelineWallMs: 150 };
    const one = await exploreFile(HANG, { ...options, workers: 1 });
    const two = await exploreFile(HANG, { ...options, workers: 2 });
    const e = one.exploration;
    const hang = e.bugs.find((b) => b.kind === "wall-budget");
    expect(hang?.message).toMatch(/timeline hang \(wall-budget\)/);
    expect(e.timelines).toBe(60);
    // The campaign went on after the hung timeline.
    expect(hang!.timeline).toBeLessThan(e.timelines);
    expect(stable(two.exploration)).toBe(stable(e));
  });

  it("rejects a missing file and bad worker counts", async () => {
    await expect(exploreFile("/nonexistent/x.sim.ts")).rejects.toThrow(/exploreFile\(url\)/);
    await expect(exploreFile(FIXTURE, { workers: 0 })).rejects.toThrow(/options\.workers/);
  });
});

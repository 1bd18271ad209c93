import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkSimulation,
  manifestDifference,
  planExplore,
  planRun,
  SimulationMismatchError,
  seedsJobs,
  simulationRef,
} from "../src/index.ts";
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
    expect(a.simulation).toEqual({
      file: MAZE,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      modules: expect.objectContaining({ [MAZE]: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    });
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

  it("hashes the simulation with every local file it imports, and names the one that differs", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-graph-"));
    try {
      writeFileSync(
        join(dir, "a.sim.ts"),
        'import { step } from "./lib/step.js";\nimport "@moonpool/sim";\nexport default step;\n',
      );
      writeFileSync(join(dir, "lib-marker.ts"), "export const unused = 1;\n");
      const lib = join(dir, "lib");
      mkdirSync(lib);
      writeFileSync(join(lib, "step.ts"), 'import type { X } from "../types.ts";\nexport const step = 1;\n');
      writeFileSync(join(dir, "types.ts"), "export type X = number;\n");
      const ref = simulationRef("a.sim.ts", dir);
      // The .js specifier names the .ts file, as NodeNext code writes it; packages are left out.
      expect(Object.keys(ref.modules!)).toEqual(["a.sim.ts", "lib/step.ts"]);
      expect(checkSimulation(ref, dir)).toMatch(/a\.sim\.ts$/);
      // A file the module never imports does not matter; one it imports does.
      writeFileSync(join(dir, "lib-marker.ts"), "export const unused = 2;\n");
      expect(checkSimulation(ref, dir)).toMatch(/a\.sim\.ts$/);
      writeFileSync(join(lib, "step.ts"), "export const step = 2;\n");
      expect(simulationRef("a.sim.ts", dir).hash).not.toBe(ref.hash);
      let thrown: unknown;
      try {
        checkSimulation(ref, dir);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(SimulationMismatchError);
      expect((thrown as Error).message).toContain(ref.hash);
      expect((thrown as Error).message).toContain("lib/step.ts has other content here");
      // An import that does not resolve is named when planning.
      writeFileSync(join(dir, "b.sim.ts"), 'import "./missing.ts";\n');
      expect(() => simulationRef("b.sim.ts", dir, "planRun(options.file)")).toThrow(
        /planRun\(options.file\).*missing\.ts/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

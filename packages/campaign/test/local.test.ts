// The local backend (this machine's worker threads) folds to the in-process exploration's
// report, byte for byte once wall times are zeroed, on any number of workers.
import { join } from "node:path";
import { exploreFile } from "@moonpool/explorer";
import { describe, expect, it } from "vitest";
import { localBackend, planExplore, runCampaignOn } from "../src/index.ts";
import { root, withoutWallTimes } from "./helpers/processes.ts";

const MAZE = "apps/maze/src/maze.sim.ts";
const EXPLORE = { seeds: 2, runs: 60, batch: 8 } as const;

describe("localBackend", () => {
  it("gives the in-process exploration's report on 1 and 2 workers", async () => {
    const baseline = await exploreFile(join(root, MAZE), { ...EXPLORE, file: MAZE });
    const manifest = planExplore({ file: MAZE, cwd: root, explore: EXPLORE, jobSize: 3 });
    for (const workers of [1, 2]) {
      const backend = localBackend({ workers, cwd: root });
      const report = await runCampaignOn(backend, manifest).finally(() => backend.close());
      expect(withoutWallTimes(JSON.stringify(report.toJSON()))).toBe(
        withoutWallTimes(JSON.stringify(baseline.toJSON())),
      );
    }
  }, 60_000);

  it("refuses a bad worker count, naming it", () => {
    expect(() => localBackend({ workers: 0 })).toThrow(/localBackend\(options.workers\)/);
  });
});

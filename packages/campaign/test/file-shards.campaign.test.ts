// The file-shard backend, no Redis: shards write one result file per job, a merge folds them.
// Its reports must equal the in-process run's JSON byte for byte (wall times zeroed), after a
// shard was cut short and re-run, and a shard of another simulation file is refused.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { exploreFile } from "@moonpool/explorer";
import { runFile } from "@moonpool/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeShards, planExplore, planRun, runShard, SimulationMismatchError } from "../src/index.ts";
import { root, withoutWallTimes } from "./helpers/processes.ts";

const SEEDS_FILE = "packages/campaign/test/fixtures/counter-chaos.sim.ts";
const MAZE_FILE = "apps/maze/src/maze.sim.ts";
const EXPLORE = { seeds: 2, runs: 150, batch: 16 } as const;

describe("campaigns on file shards", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "moonpool-shards-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("two seeds shards merge into the in-process run; a shard cut short resumes; a re-run executes nothing", async () => {
    const baseline = await runFile(join(root, SEEDS_FILE), {
      iterations: 200,
      file: SEEDS_FILE,
      logSeeds: false,
    });
    const manifest = await planRun({ file: SEEDS_FILE, cwd: root, iterations: 200, jobSize: 25 });
    const out = join(dir, "seeds");
    await Promise.all([1, 2].map((i) => runShard(manifest, { dir: out, shard: [i, 2], cwd: root })));
    const results = readdirSync(out).filter((f) => f !== "manifest.json");
    expect(results).toHaveLength(8);
    const merged = await mergeShards(out);
    expect(withoutWallTimes(JSON.stringify(merged.toJSON()))).toBe(
      withoutWallTimes(JSON.stringify(baseline.toJSON())),
    );
    // Shard 2 "died" after its first job: run again, it only runs the missing jobs.
    const kept = join(out, `${manifest.campaign}-j1.json`);
    const keptAt = statSync(kept).mtimeMs;
    rmSync(join(out, `${manifest.campaign}-j3.json`));
    await expect(mergeShards(out)).rejects.toThrow(/lacks the results of 1 job\(s\) \(.*-j3\)/);
    await runShard(manifest, { dir: out, shard: [2, 2], cwd: root });
    expect(statSync(kept).mtimeMs).toBe(keptAt);
    const resumed = await mergeShards(out);
    expect(withoutWallTimes(JSON.stringify(resumed.toJSON()))).toBe(
      withoutWallTimes(JSON.stringify(baseline.toJSON())),
    );
  }, 120_000);

  it("an exploration on two shards sharing a directory equals the in-process exploration", async () => {
    const baseline = await exploreFile(join(root, MAZE_FILE), { ...EXPLORE, file: MAZE_FILE });
    const manifest = planExplore({ file: MAZE_FILE, cwd: root, explore: EXPLORE, jobSize: 4 });
    const out = join(dir, "explore");
    const reports = await Promise.all(
      [1, 2].map((i) => runShard(manifest, { dir: out, shard: [i, 2], cwd: root })),
    );
    const expected = withoutWallTimes(JSON.stringify(baseline.toJSON()));
    for (const r of reports) expect(withoutWallTimes(JSON.stringify(r!.toJSON()))).toBe(expected);
    expect(withoutWallTimes(JSON.stringify((await mergeShards(out)).toJSON()))).toBe(expected);
  }, 120_000);

  it("a shard whose simulation file differs is refused, naming both hashes", async () => {
    const manifest = await planRun({ file: SEEDS_FILE, cwd: root, iterations: 20 });
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(dirname(join(elsewhere, SEEDS_FILE)), { recursive: true });
    writeFileSync(join(elsewhere, SEEDS_FILE), `${readFileSync(join(root, SEEDS_FILE), "utf8")}// edited\n`);
    const refused = runShard(manifest, { dir: join(dir, "mismatch"), shard: [1, 1], cwd: elsewhere });
    await expect(refused).rejects.toThrow(SimulationMismatchError);
    await expect(refused).rejects.toThrow(manifest.simulation.hash);
  }, 30_000);
});

// The maze (apps/maze): the frontier and power policies against plain random seeds on the same
// budget, in one run. Figures: seeds that find the bug, median first-bug timeline, timelines/s
// (ratio to plain seeds/s, the baseline), replay overhead, and the 2-worker speed-up with
// identical results.
import { explore, exploreFile } from "@moonpool/explorer";
import { mazeSimulation } from "../../../apps/maze/src/maze.sim.ts";
import type { BenchSuite } from "../harness.ts";

const SEEDS = Array.from({ length: 10 }, (_, k) => 7919 * (k + 1));
const RUNS = 600;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
}

export default (async (r) => {
  // Warm-up (JIT) on a small campaign.
  await explore(mazeSimulation(), { rootSeeds: [1], runs: 100 });

  let t = performance.now();
  const plain = await mazeSimulation()
    .seed(1)
    .iterations(SEEDS.length * RUNS)
    .run();
  const plainPerSecond = (SEEDS.length * RUNS) / ((performance.now() - t) / 1000);
  r.figure(`plain seeds: failing of ${SEEDS.length * RUNS}`, plain.failed, "seeds");
  r.figure("plain seeds: speed (baseline)", plainPerSecond, "seeds/s");

  // "frontier, depth^3": continuations weigh depth as (depth + 1)^3 instead of upstream's depth + 1.
  const variants = [
    ["frontier", "frontier", 1],
    ["power", "power", 1],
    ["frontier, depth^3", "frontier", 3],
  ] as const;
  for (const [name, policy, continuationDepthExponent] of variants) {
    // Each root seed is its own campaign (coverage kept across seeds would starve later ones).
    t = performance.now();
    const firsts: number[] = [];
    const e = { bugTimelines: 0, timelines: 0, replay: { steps: 0, forkSteps: 0, overhead: 0 } };
    for (const seed of SEEDS) {
      const options = { rootSeeds: [seed], runs: RUNS, policy, continuationDepthExponent };
      const x = (await explore(mazeSimulation(), options)).exploration;
      if (x.seeds[0]!.firstBugTimeline !== null) firsts.push(x.seeds[0]!.firstBugTimeline);
      e.bugTimelines += x.bugTimelines;
      e.timelines += x.timelines;
      e.replay.steps += x.replay.steps;
      e.replay.forkSteps += x.replay.forkSteps;
    }
    e.replay.overhead = e.replay.steps / Math.max(1, e.replay.forkSteps);
    const seconds = (performance.now() - t) / 1000;
    r.figure(
      `${name}: seeds finding the bug (of ${SEEDS.length}, ${RUNS} runs each)`,
      firsts.length,
      "seeds",
    );
    r.figure(
      `${name}: median first-bug timeline (-1: none)`,
      firsts.length ? median(firsts) : -1,
      "timelines",
    );
    r.figure(`${name}: bug timelines`, e.bugTimelines, "timelines");
    r.figure(`${name}: speed`, e.timelines / seconds, "timelines/s");
    r.ratio(
      `${name}: timelines/s vs plain seeds/s`,
      e.timelines / seconds / plainPerSecond,
      "replay + coordination cost",
    );
    r.ratio(
      `${name}: replay overhead (draws executed / fork-based suffix draws)`,
      e.replay.overhead,
      "prefix replay cost",
    );
  }

  const url = new URL("../../../apps/maze/src/maze.sim.ts", import.meta.url);
  const options = { rootSeeds: SEEDS.slice(0, 1), runs: RUNS };
  t = performance.now();
  const one = await exploreFile(url, { ...options, workers: 1 });
  const oneSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const two = await exploreFile(url, { ...options, workers: 2 });
  const twoSeconds = (performance.now() - t) / 1000;
  const same =
    JSON.stringify({ ...one.exploration, wallMs: 0 }) === JSON.stringify({ ...two.exploration, wallMs: 0 });
  r.figure("exploreFile, 1 worker", one.exploration.timelines / oneSeconds, "timelines/s");
  r.figure("exploreFile, 2 workers", two.exploration.timelines / twoSeconds, "timelines/s");
  r.ratio(
    "2 workers vs 1 worker speed-up",
    oneSeconds / twoSeconds,
    same ? "identical results" : "RESULTS DIFFER",
  );
}) satisfies BenchSuite;

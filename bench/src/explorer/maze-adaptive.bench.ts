// The maze (apps/maze) under moonpool v0.8's adaptive policy beside the frontier policy, in one
// run: seeds that find the bug out of 10 (600 timelines each), the median first-bug timeline,
// and on one root seed with 2,400 timelines the bug timelines each policy finds and its speed.
import { explore } from "@moonpool/explorer";
import { mazeSimulation } from "../../../apps/maze/src/maze.sim.ts";
import type { BenchSuite } from "../harness.ts";

const SEEDS = Array.from({ length: 10 }, (_, k) => 7919 * (k + 1));
const RUNS = 600;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? -1 : s[Math.floor(s.length / 2)]!;
}

export default (async (r) => {
  await explore(mazeSimulation(), { rootSeeds: [1], runs: 100, policy: "adaptive" }); // warm-up
  const firsts: number[] = [];
  for (const seed of SEEDS) {
    const x = (await explore(mazeSimulation(), { rootSeeds: [seed], runs: RUNS, policy: "adaptive" }))
      .exploration;
    const first = x.seeds[0]!.firstBugTimeline;
    if (first !== null) firsts.push(first);
  }
  r.figure(`adaptive: seeds finding the bug (of ${SEEDS.length}, ${RUNS} runs each)`, firsts.length, "seeds");
  r.figure("adaptive: median first-bug timeline (-1: none)", median(firsts), "timelines");

  const perSecond: Record<string, number> = {};
  for (const policy of ["frontier", "adaptive"] as const) {
    const t = performance.now();
    const x = (await explore(mazeSimulation(), { seed: 1, runs: 2_400, policy })).exploration;
    const seconds = (performance.now() - t) / 1000;
    perSecond[policy] = x.bugTimelines / seconds;
    r.figure(`${policy}, seed 1, 2,400 timelines: bug timelines`, x.bugTimelines, "timelines");
    r.figure(`${policy}, seed 1, 2,400 timelines: first bug`, x.seeds[0]!.firstBugTimeline ?? -1, "timeline");
    r.figure(`${policy}, seed 1, 2,400 timelines: wall time`, seconds, "s");
  }
  r.ratio(
    "adaptive / frontier: bug timelines per second (seed 1)",
    (perSecond.adaptive ?? 0) / Math.max(1e-9, perSecond.frontier ?? 0),
    "goal > 1",
  );
}) satisfies BenchSuite;

// Code-edge coverage (exploreFile's codeCoverage): its cost (timelines/s with vs without on the
// maze, interleaved rounds in this run, medians) and its gain (seeds finding the bug in the same
// budget) on the two-lock fixture, whose gates only the code's branches tell apart, and on the maze.
import { type ExploreFileOptions, exploreFile } from "@moonpool/explorer";
import type { BenchSuite } from "../harness.ts";

const LOCKS = new URL("../../../packages/explorer/test/fixtures/code/lock.sim.ts", import.meta.url);
const MAZE = new URL("../../../apps/maze/src/maze.sim.ts", import.meta.url);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
}

async function campaign(url: URL, options: ExploreFileOptions) {
  const t = performance.now();
  const x = (await exploreFile(url, { coverage: "seed", ...options })).exploration;
  const seconds = (performance.now() - t) / 1000;
  const firsts = x.seeds.map((s) => s.firstBugTimeline).filter((n): n is number => n !== null);
  return { x, seconds, firsts, perSecond: x.timelines / seconds };
}

export default (async (r) => {
  // Warm-up: worker start, tsx and the instrumenter's first compile.
  await campaign(MAZE, { rootSeeds: [1], runs: 50, codeCoverage: true });

  const plainSpeeds: number[] = [];
  const codeSpeeds: number[] = [];
  for (let round = 0; round < 3; round++) {
    // Three root seeds per campaign, so the worker's start is a small part of it.
    const options = { rootSeeds: [11, 22, 33].map((k) => k + round), runs: 300 };
    plainSpeeds.push((await campaign(MAZE, options)).perSecond);
    codeSpeeds.push((await campaign(MAZE, { ...options, codeCoverage: true })).perSecond);
  }
  r.figure("maze, without code coverage (baseline)", median(plainSpeeds), "timelines/s");
  r.figure("maze, with code coverage", median(codeSpeeds), "timelines/s");
  r.ratio(
    "maze: timelines/s with / without code coverage",
    median(codeSpeeds) / median(plainSpeeds),
    "instrumentation + per-call edge checks (one worker start per 900 timelines)",
  );

  const lockSeeds = [1, 2, 3, 4, 5];
  for (const codeCoverage of [false, true]) {
    const c = await campaign(LOCKS, { rootSeeds: lockSeeds, runs: 400, codeCoverage });
    const name = codeCoverage ? "with" : "without";
    r.figure(
      `locks, ${name} code coverage: seeds finding the bug (of 5, 400 runs each)`,
      c.firsts.length,
      "seeds",
    );
    r.figure(
      `locks, ${name} code coverage: median first-bug timeline (-1: none)`,
      c.firsts.length ? median(c.firsts) : -1,
      "timelines",
    );
    if (c.x.codeCoverage) r.figure("locks: edges taken", c.x.codeCoverage.covered, "edges");
  }

  const mazeSeeds = [7919, 15838, 23757];
  for (const codeCoverage of [false, true]) {
    const c = await campaign(MAZE, { rootSeeds: mazeSeeds, runs: 600, codeCoverage });
    const name = codeCoverage ? "with" : "without";
    r.figure(
      `maze, ${name} code coverage: seeds finding the bug (of 3, 600 runs each)`,
      c.firsts.length,
      "seeds",
    );
    r.figure(
      `maze, ${name} code coverage: median first-bug timeline (-1: none)`,
      c.firsts.length ? median(c.firsts) : -1,
      "timelines",
    );
    r.figure(`maze, ${name} code coverage: bug timelines`, c.x.bugTimelines, "timelines");
  }
}) satisfies BenchSuite;

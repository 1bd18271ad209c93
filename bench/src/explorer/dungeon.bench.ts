// The dungeon (apps/dungeon): exploration against plain random seeds on the same budget, in one
// run. Figures: the deepest floor reached and bug timelines (plain seeds are the baseline),
// timelines/s as a ratio to plain seeds/s, replay overhead, and the 2-worker speed-up with
// identical results. The treasure itself needs ~10K timelines (see the app's README).
import { assertionReport, resetAssertions } from "@moonpool/assertions";
import { explore, exploreFile } from "@moonpool/explorer";
import { dungeonSimulation } from "../../../apps/dungeon/src/dungeon.sim.ts";
import type { BenchSuite } from "../harness.ts";

const RUNS = 3000;

/** The "dungeon level reached" watermark of the process's assertion table. */
function deepestFloor(): number {
  return assertionReport().find((a) => a.message === "dungeon level reached")?.watermark ?? 0;
}

export default (async (r) => {
  // Warm-up (JIT) on a small campaign.
  await explore(dungeonSimulation(), { rootSeeds: [2], runs: 200 });

  resetAssertions();
  let t = performance.now();
  const plain = await dungeonSimulation().seed(1).iterations(RUNS).run();
  const plainPerSecond = RUNS / ((performance.now() - t) / 1000);
  r.figure(`plain seeds: deepest floor in ${RUNS} seeds (baseline)`, deepestFloor(), "floor");
  r.figure(`plain seeds: failing of ${RUNS}`, plain.failed, "seeds");
  r.figure("plain seeds: speed (baseline)", plainPerSecond, "seeds/s");

  t = performance.now();
  const e = (await explore(dungeonSimulation(), { rootSeeds: [1], runs: RUNS })).exploration;
  const seconds = (performance.now() - t) / 1000;
  r.figure(`frontier: deepest floor in ${RUNS} timelines`, deepestFloor(), "floor");
  r.figure("frontier: bug timelines", e.bugTimelines, "timelines");
  r.figure("frontier: speed", e.timelines / seconds, "timelines/s");
  r.ratio("frontier: timelines/s vs plain seeds/s", e.timelines / seconds / plainPerSecond, "replay cost");
  r.ratio(
    "frontier: replay overhead (draws executed / fork-based suffix draws)",
    e.replay.overhead,
    "prefix replay",
  );

  const url = new URL("../../../apps/dungeon/src/dungeon.sim.ts", import.meta.url);
  const options = { rootSeeds: [1], runs: RUNS };
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

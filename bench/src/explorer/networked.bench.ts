// Exploration on a networked simulation (packages/explorer/test/rare-network.ts: a log server and
// a client over the simulated network, storage, network chaos; the bug needs five p = 0.05 steps
// in a row). Figures: timelines and seconds to the first bug with exploration, against plain seeds
// (and their seconds) for a budget five times larger; the ratio is plain seeds per second to
// exploration timelines per second (the cost of replay and coordination).
import { explore } from "@moonpool/explorer";
import { rareNetworkSimulation } from "../../../packages/explorer/test/rare-network.ts";
import type { BenchSuite } from "../harness.ts";

const RUNS = 1200;
const PLAIN_SEEDS = 6_000;

export default (async (r) => {
  await explore(rareNetworkSimulation(), { seed: 99, runs: 100 }); // JIT warm-up
  let t = performance.now();
  const report = await explore(rareNetworkSimulation(), { seed: 1, runs: RUNS });
  const exploreSeconds = (performance.now() - t) / 1000;
  const first = report.exploration.seeds[0]?.firstBugTimeline ?? null;
  r.figure("exploration: first bug at timeline (-1: none)", first ?? -1, "timelines");
  r.figure(
    "exploration: seconds to the first bug (share of the run's wall time)",
    first === null ? -1 : (exploreSeconds * first) / report.exploration.timelines,
    "s",
  );
  r.figure("exploration: bug timelines", report.exploration.bugTimelines, "timelines");
  r.figure("exploration: speed", report.exploration.timelines / exploreSeconds, "timelines/s");

  t = performance.now();
  const plain = await rareNetworkSimulation().seed(1).iterations(PLAIN_SEEDS).run();
  const plainSeconds = (performance.now() - t) / 1000;
  r.figure(`plain seeds: failing of ${PLAIN_SEEDS}`, plain.failed, "seeds");
  r.figure(`plain seeds: seconds for ${PLAIN_SEEDS}`, plainSeconds, "s");
  r.figure("plain seeds: speed (baseline)", PLAIN_SEEDS / plainSeconds, "seeds/s");
  r.ratio(
    "exploration timelines/s vs plain seeds/s",
    report.exploration.timelines / exploreSeconds / (PLAIN_SEEDS / plainSeconds),
    "replay + coordination cost",
  );
}) satisfies BenchSuite;

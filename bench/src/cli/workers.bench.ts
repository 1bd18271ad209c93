// `moonpool run --workers W`: seeds per second of the demo simulation (apps/demo counter.sim.ts)
// in worker threads for W = 1 and 2 (goal >= 1.7x on 2 cores), and the time to draw a
// 100k-event seed's timeline (HTML page + Perfetto trace; goal < 2 s) against just serializing
// its events.
import { execFile } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { promisify } from "node:util";
import { buildTimeline, perfettoTrace, timelineHtml } from "@moonpool/cli";
import { runFile } from "@moonpool/sim";
import type { BenchSuite } from "../harness.ts";
import { bigTrace } from "./big-trace.ts";

const demo = new URL("../../../apps/demo/src/counter.sim.ts", import.meta.url);
const soloRun = new URL("./internal/solo-run.ts", import.meta.url);
const run = promisify(execFile);

/**
 * Mean wall time per seed (ms) of each of `processes` OS processes running `seeds` demo seeds
 * each at the same time, one worker each: no pool, no shared isolate. Two at once against one
 * alone is what the machine itself gives two independent runs (caches, memory bandwidth, the
 * cores GC and JIT threads use when one is idle): the ceiling of any pool's speed-up.
 */
async function perSeedMsInParallelProcesses(processes: number, seeds: number): Promise<number[]> {
  const runs = Array.from({ length: processes }, (_, i) =>
    run(
      process.execPath,
      [...process.execArgv, soloRun.pathname, demo.href, String(1 + i * 100_000), String(seeds)],
      { maxBuffer: 1 << 20 },
    ),
  );
  return (await Promise.all(runs)).map(({ stdout }) => Number(stdout.trim()));
}

/**
 * Seeds per second of `seeds` seeds of the demo on `workers` worker threads; the share of the
 * workers' wall time spent inside seeds (the rest: worker start-up and module load, waiting for
 * the next seed, the tail); and the CPU time per seed of the whole process (all its threads).
 * The last two hardly move when other processes compete for the cores, so they tell the pool's
 * own overhead apart from a busy machine.
 */
async function seedsPerSecond(
  workers: number,
  seeds: number,
): Promise<{ rate: number; busy: number; cpuMsPerSeed: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const report = await runFile(demo, { iterations: seeds, workers, logSeeds: false });
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (report.iterations !== seeds) throw new Error(`ran ${report.iterations} of ${seeds} seeds`);
  const inSeeds = report.seeds.reduce((ms, s) => ms + s.wallMs, 0);
  return {
    rate: seeds / (wallMs / 1000),
    busy: inSeeds / (workers * wallMs),
    cpuMsPerSeed: (used.user + used.system) / 1000 / seeds,
  };
}

const suite: BenchSuite = async (r) => {
  // The speed-up needs two idle cores: say how busy the machine was.
  r.figure(
    "load average (1 min) before the runs",
    loadavg()[0]!,
    `runnable processes on ${cpus().length} cores`,
  );
  await seedsPerSecond(2, 20); // warm-up: module caches, worker start-up paths
  const seeds = 300; // enough for each worker to warm its JIT up (the first seeds run ~2x slower)
  const one = await seedsPerSecond(1, seeds);
  const two = await seedsPerSecond(2, seeds);
  r.figure("moonpool run demo counter.sim.ts, --workers 1", one.rate, "seeds/s");
  r.figure("moonpool run demo counter.sim.ts, --workers 2", two.rate, "seeds/s");
  r.figure(
    "--workers 2: share of the workers' wall time inside seeds",
    two.busy * 100,
    "% (100 = no pool overhead)",
  );
  r.ratio(
    "--workers 2 vs --workers 1 (same run, 300 seeds)",
    two.rate / one.rate,
    "goal >= 1.7x on 2 idle cores",
  );
  // The machine's own ceiling: per-seed time of two independent processes at once vs one alone.
  const [alone] = await perSeedMsInParallelProcesses(1, 150);
  const pair = await perSeedMsInParallelProcesses(2, 150);
  const together = (pair[0]! + pair[1]!) / 2;
  r.figure("one process alone: wall time per demo seed", alone!, "ms (150 seeds, one worker)");
  r.figure("two processes at once: wall time per demo seed", together, "ms (150 seeds each)");
  const ceiling = (2 * alone!) / together;
  r.ratio(
    "ceiling: two independent processes vs one (2 x alone / together)",
    ceiling,
    "what this machine gives two runs with no pool at all",
  );
  r.ratio(
    "--workers 2 speed-up / the ceiling",
    two.rate / one.rate / ceiling,
    "the pool's own efficiency (1 = as good as two separate processes)",
  );
  r.ratio(
    "--workers 2 vs --workers 1: CPU time per seed (all threads)",
    two.cpuMsPerSeed / one.cpuMsPerSeed,
    "2 / this = the speed-up 2 idle cores allow",
  );

  const events = bigTrace(100_000);
  const draw = () => {
    const timeline = buildTimeline("big.sim.ts", "1", events, {
      ok: false,
      traceHash: "0",
      simulatedMs: 25_000,
      error: "boom",
    });
    return timelineHtml(timeline).length + JSON.stringify(perfettoTrace(timeline)).length;
  };
  draw(); // warm-up
  let start = performance.now();
  draw();
  const reportMs = performance.now() - start;
  JSON.stringify(events);
  start = performance.now();
  JSON.stringify(events);
  const serializeMs = performance.now() - start;
  r.figure("moonpool report: HTML + Perfetto of a 100k-event seed", reportMs, "ms");
  r.ratio(
    "report of 100k events vs JSON.stringify of its events",
    reportMs / serializeMs,
    "goal: report < 2 s",
  );
};

export default suite;

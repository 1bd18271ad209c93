// Campaigns through BullMQ on a private redis-server (loopback) against the local worker pool on
// the same maze exploration: jobs/s and timelines/s with 1 and 2 workers (the baseline is the
// local pool with as many threads, measured in this run), and the job size (timelines per job)
// at which going through Redis costs less than 10%. Workers run in this process (runWorker),
// their jobs on worker threads like `moonpool worker`'s, so process start-up is not measured.
import {
  BullmqBackend,
  type CampaignManifest,
  localBackend,
  planExplore,
  runCampaignOn,
  runWorker,
} from "../../../packages/campaign/src/index.ts";
import { RedisServer, redisAvailability } from "../../../packages/campaign/test/helpers/redis-server.ts";
import type { BenchReporter, BenchSuite } from "../harness.ts";

const root = new URL("../../../", import.meta.url).pathname;
const FILE = "apps/maze/src/maze.sim.ts";
const EXPLORE = { seeds: 2, runs: 256, batch: 32 } as const;
let campaigns = 0;

function plan(jobSize: number): CampaignManifest {
  return planExplore({ file: FILE, cwd: root, explore: EXPLORE, jobSize, campaign: `bench-${++campaigns}` });
}

/** Seconds, timelines and jobs of the campaign on the local pool. */
async function local(
  workers: number,
  jobSize: number,
): Promise<{ s: number; timelines: number; jobs: number }> {
  const manifest = plan(jobSize);
  const backend = localBackend({ workers, cwd: root });
  let jobs = 0;
  const counting = {
    run: (j: Parameters<typeof backend.run>[0], m: CampaignManifest) => (
      (jobs += j.length), backend.run(j, m)
    ),
    close: () => backend.close(),
  };
  const t = performance.now();
  const report = await runCampaignOn(counting, manifest);
  const s = (performance.now() - t) / 1000;
  await backend.close();
  return { s, timelines: (report.exploration as { timelines: number }).timelines, jobs };
}

/** The same through Redis with `workers` BullMQ workers. */
async function queued(
  url: string,
  workers: number,
  jobSize: number,
): Promise<{ s: number; timelines: number; jobs: number }> {
  const manifest = plan(jobSize);
  const backend = await BullmqBackend.open(manifest, { url, pollMs: 5 });
  const running = Array.from({ length: workers }, () =>
    runWorker({ queue: url, campaign: manifest.campaign, cwd: root }),
  );
  while ((await backend.progress(0)).workers < workers) await new Promise((r) => setTimeout(r, 20));
  let jobs = 0;
  const counting = {
    run: (j: Parameters<typeof backend.run>[0]) => ((jobs += j.length), backend.run(j)),
    close: () => backend.close(),
  };
  const t = performance.now();
  const report = await runCampaignOn(counting, manifest);
  const s = (performance.now() - t) / 1000;
  await backend.finish();
  await Promise.all(running);
  await backend.close();
  return { s, timelines: (report.exploration as { timelines: number }).timelines, jobs };
}

function figures(r: BenchReporter, name: string, m: { s: number; timelines: number; jobs: number }): void {
  r.figure(`${name}: timelines/s`, m.timelines / m.s, "timelines/s");
  r.figure(`${name}: jobs/s`, m.jobs / m.s, "jobs/s");
}

export default (async (r) => {
  const redis = redisAvailability();
  if (!redis.available) throw new Error(`the campaign bench needs redis-server: ${redis.reason}`);
  const server = await RedisServer.start();
  try {
    // Warm-up (JIT, module caches) of both paths.
    await local(1, 8);
    await queued(server.url, 1, 8);
    for (const workers of [1, 2]) {
      const base = await local(workers, 8);
      const viaRedis = await queued(server.url, workers, 8);
      figures(r, `local pool, ${workers} worker(s), 8 timelines/job (baseline)`, base);
      figures(r, `BullMQ, ${workers} worker(s), 8 timelines/job`, viaRedis);
      r.ratio(`BullMQ vs local pool, ${workers} worker(s): time`, viaRedis.s / base.s, "1.00 = no overhead");
    }
    let below: number | undefined;
    for (const size of [1, 2, 4, 8, 16, 32]) {
      const base = await local(1, size);
      const viaRedis = await queued(server.url, 1, size);
      const overhead = viaRedis.s / base.s - 1;
      r.ratio(
        `BullMQ overhead at ${size} timelines/job (1 worker)`,
        overhead,
        "time over the local pool's, minus 1",
      );
      if (below === undefined && overhead < 0.1) below = size;
    }
    r.figure("smallest job size with < 10% overhead (1 worker)", below ?? Number.NaN, "timelines/job");
  } finally {
    await server.stop();
  }
}) satisfies BenchSuite;

// Campaigns through BullMQ on a private redis-server (loopback) against the local worker pool on
// the same maze exploration: jobs/s and timelines/s with 1 and 2 workers (the baseline is the
// local pool with as many threads, measured in this run, interleaved with the Redis runs), and
// the job size (seeds per job) at which going through Redis costs less than 10%. Both paths
// run the jobs on the same warmed-up runners (a loaded worker thread each, as a long-lived
// `moonpool worker` has), so the difference is the queue's: enqueue, fetch, store, poll.
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runAll } from "../../../packages/campaign/src/backends/local.ts";
import {
  BullmqBackend,
  type CampaignBackend,
  type CampaignJob,
  type CampaignManifest,
  JobRunner,
  planExplore,
  planRun,
  runCampaignOn,
  runWorker,
} from "../../../packages/campaign/src/index.ts";
import { RedisServer, redisAvailability } from "../../../packages/campaign/test/helpers/redis-server.ts";
import type { BenchReporter, BenchSuite } from "../harness.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const FILE = "apps/maze/src/maze.sim.ts";
const EXPLORE = { seeds: 1, runs: 160, batch: 32 } as const;
/** Rounds of each pair of measurements; the fastest of each is kept (the machine is shared). */
const ROUNDS = 2;
let campaigns = 0;

type Measured = { s: number; timelines: number; jobs: number; waves: number; commands?: number };

/** Commands Redis has executed so far (INFO commandstats through redis-cli, which ships with redis-server). */
function commandsSoFar(url: string): number {
  const info = execFileSync("redis-cli", ["-u", url, "info", "commandstats"], { encoding: "utf8" });
  let calls = 0;
  for (const m of info.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
  return calls;
}

/** Seeds of the seeds campaigns (the maze's plain seeds). */
const SEEDS = 64;

async function plan(
  jobSize: number,
  batch: number = EXPLORE.batch,
  seeds?: number,
): Promise<CampaignManifest> {
  if (seeds !== undefined) {
    return planRun({ file: FILE, cwd: root, iterations: seeds, jobSize, campaign: `bench-${++campaigns}` });
  }
  return planExplore({
    file: FILE,
    cwd: root,
    explore: { ...EXPLORE, runs: Math.max(EXPLORE.runs, 3 * batch), batch },
    jobSize,
    campaign: `bench-${++campaigns}`,
  });
}

/** `backend`, counting the jobs it is handed. */
function counted(backend: CampaignBackend): CampaignBackend & { jobs: number; waves: number } {
  const wrapper = {
    jobs: 0,
    waves: 0,
    run(jobs: readonly CampaignJob[], manifest: CampaignManifest) {
      wrapper.jobs += jobs.length;
      wrapper.waves++;
      return backend.run(jobs, manifest);
    },
    close: () => backend.close(),
  };
  return wrapper;
}

async function timed(backend: CampaignBackend, manifest: CampaignManifest): Promise<Measured> {
  const counting = counted(backend);
  const t = performance.now();
  const report = await runCampaignOn(counting, manifest);
  const s = (performance.now() - t) / 1000;
  const timelines = (report.exploration as { timelines: number } | undefined)?.timelines ?? report.iterations;
  return { s, timelines, jobs: counting.jobs, waves: counting.waves };
}

/** The local pool: the runners take the wave's jobs directly. */
async function local(
  runners: readonly JobRunner[],
  jobSize: number,
  batch?: number,
  seeds?: number,
): Promise<Measured> {
  return timed(
    { run: (jobs) => runAll(runners, jobs), close: async () => {} },
    await plan(jobSize, batch, seeds),
  );
}

/** The same through Redis, one BullMQ worker per runner. */
async function queued(
  url: string,
  runners: readonly JobRunner[],
  jobSize: number,
  batch?: number,
  seeds?: number,
): Promise<Measured> {
  const manifest = await plan(jobSize, batch, seeds);
  const backend = await BullmqBackend.open(manifest, { url });
  const working = runners.map((runner) =>
    runWorker({ queue: url, campaign: manifest.campaign, cwd: root, runner }),
  );
  while ((await backend.progress(0)).workers < runners.length) await new Promise((r) => setTimeout(r, 20));
  const before = commandsSoFar(url);
  const m = await timed(backend, manifest);
  m.commands = commandsSoFar(url) - before - 1; // minus this INFO
  await backend.finish();
  await Promise.all(working);
  await backend.close();
  return m;
}

/** Both, interleaved, fastest of `ROUNDS` each. */
async function pair(
  url: string,
  runners: readonly JobRunner[],
  jobSize: number,
  batch?: number,
  seeds?: number,
): Promise<{ base: Measured; viaRedis: Measured }> {
  let base: Measured | undefined;
  let viaRedis: Measured | undefined;
  for (let i = 0; i < ROUNDS; i++) {
    const b = await local(runners, jobSize, batch, seeds);
    const q = await queued(url, runners, jobSize, batch, seeds);
    if (base === undefined || b.s < base.s) base = b;
    if (viaRedis === undefined || q.s < viaRedis.s) viaRedis = q;
  }
  return { base: base!, viaRedis: viaRedis! };
}

function figures(r: BenchReporter, name: string, m: Measured): void {
  r.figure(`${name}: timelines/s`, m.timelines / m.s, "timelines/s");
  r.figure(`${name}: jobs/s`, m.jobs / m.s, "jobs/s");
  r.figure(`${name}: timelines per wave`, m.timelines / m.waves, `mean of ${m.waves} waves`);
  if (m.commands !== undefined) {
    r.figure(`${name}: Redis commands per job`, m.commands / m.jobs, "all clients (poll loops included)");
    r.figure(`${name}: wall ms per wave`, (m.s * 1000) / m.waves, "ms");
  } else r.figure(`${name}: wall ms per wave`, (m.s * 1000) / m.waves, "ms");
}

export default (async (r) => {
  const redis = redisAvailability();
  if (!redis.available) throw new Error(`the campaign bench needs redis-server: ${redis.reason}`);
  const server = await RedisServer.start();
  const href = pathToFileURL(`${root}${FILE}`).href;
  const runners = [new JobRunner(href), new JobRunner(href)];
  try {
    // Warm-up: each runner loads the module in its thread and runs a wave; both paths once.
    await Promise.all(runners.map((runner) => local([runner], 8)));
    await Promise.all(runners.map((runner) => local([runner], 8, undefined, 16)));
    await queued(server.url, runners, 8);
    for (const workers of [1, 2]) {
      const { base, viaRedis } = await pair(server.url, runners.slice(0, workers), 8);
      figures(r, `local pool, ${workers} worker(s), 8 timelines/job (baseline)`, base);
      figures(r, `BullMQ, ${workers} worker(s), 8 timelines/job`, viaRedis);
      r.ratio(`BullMQ vs local pool, ${workers} worker(s): time`, viaRedis.s / base.s, "1.00 = no overhead");
    }
    // An exploration's wave waits for its jobs, so each wave costs a round trip through Redis,
    // and a narrow frontier (the maze often has one timeline ready) makes many small waves. Seeds
    // jobs are all known up front: their job size alone sets the overhead.
    const sizes = [1, 4, 16, 64];
    let below: number | undefined;
    for (const size of sizes) {
      const { base, viaRedis } = await pair(server.url, runners.slice(0, 1), size, undefined, SEEDS);
      const overhead = viaRedis.s / base.s - 1;
      r.ratio(
        `BullMQ overhead at ${size} seeds/job (1 worker)`,
        overhead,
        "time over the local pool's, minus 1",
      );
      if (below === undefined && overhead < 0.1) below = size;
    }
    if (below !== undefined)
      r.figure("smallest job size with < 10% overhead (seeds, 1 worker)", below, "seeds/job");
    else
      r.ratio(`no job size up to ${sizes.at(-1)} seeds reached < 10% overhead`, 0, "see the overheads above");
  } finally {
    await Promise.all(runners.map((runner) => runner.close()));
    await server.stop();
  }
}) satisfies BenchSuite;

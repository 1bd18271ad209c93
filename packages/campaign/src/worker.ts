/**
 * `runWorker`: a campaign's worker on any machine with the same simulation files. It reads the
 * campaign's manifest from Redis (waiting for the coordinator to write it), refuses to start
 * when its simulation file hashes differently, then runs the queue's jobs one at a time until
 * the campaign is done or `signal` aborts. A killed worker's job is retried by BullMQ's stalled
 * check (tune `lockDuration` / `stalledInterval`: a job comes back after about their sum).
 *
 * @example
 * ```ts
 * import { runWorker } from "@moonpool/campaign";
 * const controller = new AbortController();
 * process.on("SIGTERM", () => controller.abort());
 * await runWorker({ queue: "redis://127.0.0.1:6379", campaign: "nightly", signal: controller.signal });
 * ```
 */
import { setTimeout as sleep } from "node:timers/promises";
import { InvalidArgumentError } from "@moonpool/core";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { campaignKeys, queueName, redisOptionsOf } from "./internal/redis.ts";
import { JobRunner } from "./job-runner.ts";
import { checkManifest } from "./manifest.ts";
import { type CampaignJob, checkCampaignName, jobIdOf } from "./protocol.ts";
import { checkSimulation, SimulationMismatchError } from "./simulation-ref.ts";

export interface WorkerOptions {
  /** `redis://host:port[/db]`. */
  readonly queue: string;
  readonly campaign: string;
  /** Where the simulation file named by the manifest is resolved (default `process.cwd()`). */
  readonly cwd?: string;
  /** Stops taking jobs (the current one finishes first). */
  readonly signal?: AbortSignal;
  /** BullMQ's job lock (default 30 s): a killed worker's job is retried once it expires. */
  readonly lockDuration?: number;
  /** BullMQ's stalled-job check interval (default 30 s). */
  readonly stalledInterval?: number;
  /** How long to wait for the coordinator's manifest (default: until `signal`). */
  readonly manifestTimeoutMs?: number;
  /** Called when a job starts and ends (logging). */
  readonly onJob?: (event: { readonly id: string; readonly phase: "start" | "done" }) => void;
  /**
   * A runner with the module already loaded, kept by the caller across campaigns (benchmarks);
   * the campaign's hash is still checked. Default: a runner of its own, closed at the end.
   */
  readonly runner?: JobRunner;
  /** Option names in errors (the CLI passes its flags). */
  readonly arguments?: { readonly queue?: string; readonly campaign?: string };
}

/** What a worker did. */
export interface WorkerSummary {
  readonly jobs: number;
  /** Why it stopped. */
  readonly stopped: "done" | "signal";
}

/** Runs jobs of `options.campaign` until the campaign is done or `options.signal` aborts. */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const connection = redisOptionsOf(options.queue, options.arguments?.queue ?? "runWorker(options.queue)");
  const campaign = checkCampaignName(
    options.campaign,
    options.arguments?.campaign ?? "runWorker(options.campaign)",
  );
  const keys = campaignKeys(campaign);
  const redis = new Redis(connection);
  redis.on("error", () => {});
  let worker: Worker | undefined;
  let runner: JobRunner | undefined;
  try {
    const manifest = await waitForManifest(redis, keys.manifest, options);
    if (manifest === undefined) return { jobs: 0, stopped: "signal" };
    // Refused before any job is taken: a different file would run a different simulation.
    const href = checkSimulation(manifest.simulation, options.cwd ?? process.cwd());
    const jobRunner = options.runner ?? new JobRunner(href);
    if (jobRunner.href !== href) {
      throw new InvalidArgumentError(
        "runWorker(options.runner)",
        `runs ${jobRunner.href}, not the campaign's ${href}`,
      );
    }
    if (options.runner === undefined) runner = jobRunner;
    let jobs = 0;
    worker = new Worker(
      queueName(campaign),
      async (job) => {
        const data = job.data as CampaignJob;
        if (data.simulation?.hash !== manifest.simulation.hash) {
          throw new SimulationMismatchError(
            manifest.simulation.file,
            manifest.simulation.hash,
            String(data.simulation?.hash),
          );
        }
        const id = jobIdOf(data);
        // Sent before the job runs and not awaited: the count is evidence for "runs once", not a
        // gate, and waiting for it would add a round trip to every job.
        redis.hincrby(keys.executions, id, 1).catch(() => {});
        options.onJob?.({ id, phase: "start" });
        const result = await jobRunner.run(data);
        jobs++;
        options.onJob?.({ id, phase: "done" });
        return result;
      },
      {
        connection,
        concurrency: 1,
        lockDuration: options.lockDuration ?? 30_000,
        stalledInterval: options.stalledInterval ?? 30_000,
        // A machine may die more than once under a job; each time it is retried, never lost.
        maxStalledCount: 100,
      },
    );
    worker.on("error", () => {});
    for (;;) {
      if (options.signal?.aborted) return { jobs, stopped: "signal" };
      if ((await redis.get(keys.done)) !== null) return { jobs, stopped: "done" };
      await sleep(200, undefined, { signal: options.signal }).catch(() => {});
    }
  } finally {
    await worker?.close().catch(() => {});
    await runner?.close();
    redis.disconnect();
  }
}

async function waitForManifest(
  redis: Redis,
  key: string,
  options: WorkerOptions,
): Promise<ReturnType<typeof checkManifest> | undefined> {
  const started = performance.now();
  for (;;) {
    const stored = await redis.get(key);
    if (stored !== null) return checkManifest(JSON.parse(stored), key);
    if (options.signal?.aborted) return undefined;
    if (options.manifestTimeoutMs !== undefined && performance.now() - started > options.manifestTimeoutMs) {
      throw new InvalidArgumentError(
        options.arguments?.campaign ?? "runWorker(options.campaign)",
        `no campaign ${options.campaign} in Redis after ${options.manifestTimeoutMs} ms (start its coordinator: moonpool run|explore <file> --queue ... --campaign ${options.campaign})`,
      );
    }
    await sleep(200, undefined, { signal: options.signal }).catch(() => {});
  }
}

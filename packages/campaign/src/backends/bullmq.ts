/**
 * The BullMQ backend: the coordinator's side of a campaign on BullMQ over Redis. Jobs go to the
 * queue `moonpool-<campaign>` under their deterministic ids (a duplicate add is a no-op) and
 * stay there once completed (`removeOnComplete: false`): the campaign's state is in Redis, not
 * in this process. A restarted coordinator re-derives the same ids and reads the stored
 * results; a job missing after a Redis restart is added again under the same id.
 *
 * @example
 * ```ts
 * import { BullmqBackend, planRun, runCampaignOn } from "@moonpool/campaign";
 * const manifest = await planRun({ file: "apps/demo/src/counter.sim.ts", iterations: 200 });
 * const backend = await BullmqBackend.open(manifest, { url: "redis://127.0.0.1:6379" });
 * try {
 *   const report = await runCampaignOn(backend, manifest);
 *   await backend.finish();
 *   console.log(report.format());
 * } finally {
 *   await backend.close();
 * }
 * ```
 */
import { setTimeout as sleep } from "node:timers/promises";
import { InvalidArgumentError } from "@moonpool/core";
import type { SimulationReport } from "@moonpool/sim";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { type CampaignBackend, type CoordinatorOptions, runCampaignOn } from "../coordinator.ts";
import { campaignKeys, queueName, redisOptionsOf } from "../internal/redis.ts";
import { type CampaignManifest, checkManifest, manifestDifference } from "../manifest.ts";
import { type CampaignJob, type CampaignJobResult, jobIdOf } from "../protocol.ts";

/** What the coordinator sees of the queue (progress). */
export interface QueueProgress {
  readonly campaign: string;
  /** Jobs of the current call (a seeds campaign's all, or one wave's). */
  readonly jobs: number;
  readonly queued: number;
  readonly running: number;
  /** Jobs of the whole campaign with a stored result. */
  readonly done: number;
  /** Distinct workers seen on the queue so far. */
  readonly workers: number;
}

export interface BullmqBackendOptions {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  /** Polling interval of results (default 100 ms; a job's completion event wakes it sooner). */
  readonly pollMs?: number;
  /** Attempts of a job that throws (default 2); a killed worker's job is retried as stalled. */
  readonly attempts?: number;
  /** Called about twice a second while jobs are pending. */
  readonly onProgress?: (p: QueueProgress) => void;
  /** The option name in errors (default "url"; the CLI says "--queue"). */
  readonly argument?: string;
}

/** What `states` reads of a job's hash: BullMQ stores `returnvalue` as JSON. */
interface StoredJob {
  readonly state: "missing" | "pending" | "finished";
  readonly returnvalue: string | null;
  readonly failedReason: string | null;
}

/** A campaign's queue, seen from its coordinator. */
export class BullmqBackend implements CampaignBackend {
  private reconnected = false;
  private events: QueueEvents | undefined;
  private wake: (() => void) | undefined;
  private readonly workersSeen = new Set<string>();

  private readonly manifest: CampaignManifest;
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly options: BullmqBackendOptions;

  private constructor(manifest: CampaignManifest, redis: Redis, queue: Queue, options: BullmqBackendOptions) {
    this.manifest = manifest;
    this.redis = redis;
    this.queue = queue;
    this.options = options;
    let connected = false;
    redis.on("ready", () => {
      // Every ready after the first is a reconnection: re-add the pending jobs (idempotent).
      if (connected) this.reconnected = true;
      connected = true;
    });
    // Reconnections are handled here; ioredis reports each failed attempt as an error event.
    redis.on("error", () => {});
    queue.on("error", () => {});
  }

  /** Connects, then stores the manifest or checks the stored one is the same campaign. */
  static async open(manifest: CampaignManifest, options: BullmqBackendOptions): Promise<BullmqBackend> {
    const connection = redisOptionsOf(options.url, options.argument ?? "url");
    const redis = new Redis({ ...connection, lazyConnect: true });
    const queue = new Queue(queueName(manifest.campaign), { connection });
    const backend = new BullmqBackend(manifest, redis, queue, options);
    try {
      await redis.connect();
      // A finished job wakes the poll at once (a wave's round trip is the campaign's latency);
      // the poll itself stays the source of truth, events may be missed across a reconnection.
      const events = new QueueEvents(queueName(manifest.campaign), { connection });
      backend.events = events;
      events.on("error", () => {});
      const wakeUp = () => backend.wake?.();
      events.on("completed", wakeUp);
      events.on("failed", wakeUp);
      await events.waitUntilReady();
      const key = campaignKeys(manifest.campaign).manifest;
      const stored = await redis.get(key);
      if (stored === null) await redis.set(key, JSON.stringify(manifest), "NX");
      else {
        const difference = manifestDifference(checkManifest(JSON.parse(stored), key), manifest);
        if (difference !== undefined) {
          throw new InvalidArgumentError(
            "campaign",
            `campaign ${manifest.campaign} already exists in Redis with other settings (${difference}): name a new campaign`,
          );
        }
      }
    } catch (e) {
      await backend.close();
      throw e;
    }
    return backend;
  }

  async run(jobs: readonly CampaignJob[]): Promise<CampaignJobResult[]> {
    const pending = new Map(jobs.map((job) => [jobIdOf(job), job]));
    const results: CampaignJobResult[] = [];
    await this.enqueue(jobs);
    let reported = 0;
    while (pending.size > 0) {
      if (this.reconnected) {
        this.reconnected = false;
        await this.enqueue([...pending.values()]);
      }
      const lost: CampaignJob[] = [];
      for (const [id, stored] of await this.states([...pending.keys()])) {
        if (stored.state === "missing") {
          // Lost (Redis restarted from an older AOF): the same id again, run again, same result.
          lost.push(pending.get(id)!);
        } else if (stored.state === "finished") {
          if (stored.returnvalue !== null) {
            results.push(JSON.parse(stored.returnvalue) as CampaignJobResult);
            pending.delete(id);
          } else if (stored.failedReason !== null && (await this.queue.getJobState(id)) === "failed") {
            throw new Error(
              `campaign ${this.manifest.campaign}: job ${id} failed on a worker: ${stored.failedReason}`,
            );
          }
        }
      }
      await this.enqueue(lost);
      if (this.options.onProgress && performance.now() - reported > 500) {
        reported = performance.now();
        this.options.onProgress(await this.progress(jobs.length));
      }
      if (pending.size > 0) await this.nextPoll();
    }
    return results;
  }

  private nextPoll(): Promise<void> {
    const controller = new AbortController();
    return Promise.race([
      sleep(this.options.pollMs ?? 100, undefined, { signal: controller.signal }).catch(() => {}),
      new Promise<void>((resolve) => {
        this.wake = resolve;
      }),
    ]).finally(() => {
      this.wake = undefined;
      controller.abort();
    });
  }

  // One round trip for every pending job, reading four fields of each job's hash (not its data,
  // which carries the wave's timelines): has it been added, has it finished, and its result or
  // failure. A wave's results arrive in the same round trip that sees them finish.
  private async states(ids: readonly string[]): Promise<Map<string, StoredJob>> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(this.queue.toKey(id), "timestamp", "finishedOn", "returnvalue", "failedReason");
    }
    const replies = (await pipeline.exec()) ?? [];
    const states = new Map<string, StoredJob>();
    ids.forEach((id, i) => {
      const [error, fields] = replies[i] ?? [null, null];
      if (error) throw error;
      const [timestamp, finishedOn, returnvalue, failedReason] = (fields as (string | null)[] | null) ?? [];
      states.set(id, {
        state: timestamp == null ? "missing" : finishedOn == null ? "pending" : "finished",
        returnvalue: returnvalue ?? null,
        failedReason: failedReason ?? null,
      });
    });
    return states;
  }

  /** Adds `jobs` under their ids (BullMQ ignores an id it already holds). */
  async enqueue(jobs: readonly CampaignJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: job.kind,
        data: job,
        opts: {
          jobId: jobIdOf(job),
          removeOnComplete: false,
          removeOnFail: false,
          attempts: this.options.attempts ?? 2,
        },
      })),
    );
  }

  /** The queue's figures now. */
  async progress(jobs: number): Promise<QueueProgress> {
    const counts = await this.queue.getJobCounts("waiting", "prioritized", "delayed", "active", "completed");
    for (const w of await this.queue.getWorkers()) this.workersSeen.add(String(w.id ?? w.addr ?? w.name));
    return {
      campaign: this.manifest.campaign,
      jobs,
      queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      running: counts.active ?? 0,
      done: counts.completed ?? 0,
      workers: this.workersSeen.size,
    };
  }

  /** Marks the campaign done: its workers stop once their current job is over. */
  async finish(): Promise<void> {
    await this.redis.set(campaignKeys(this.manifest.campaign).done, "1");
  }

  async close(): Promise<void> {
    await this.events?.close().catch(() => {});
    await this.queue.close().catch(() => {});
    this.redis.disconnect();
  }
}

/** Coordinates `manifest` on the queue at `options.url`, marks it done and reports. */
export async function runQueuedCampaign(
  manifest: CampaignManifest,
  options: BullmqBackendOptions & CoordinatorOptions,
): Promise<SimulationReport> {
  const backend = await BullmqBackend.open(manifest, options);
  try {
    const report = await runCampaignOn(backend, manifest, options);
    await backend.finish();
    return report;
  } finally {
    await backend.close();
  }
}

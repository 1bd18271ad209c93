/**
 * Runs campaign jobs where the simulation files are (a BullMQ worker, a shard, this process).
 * Seeds jobs run through `runFile` and timelines jobs through explorer's pool, both on a worker
 * thread: a seed stuck in a synchronous loop is stopped by their watchdogs, and this thread
 * stays free (a queue worker keeps renewing its job lock while the simulation runs).
 */
import { ExplorerPool } from "@moonpool/explorer/campaign";
import { runFile, SimulationReport } from "@moonpool/sim";
import { SeedsThread } from "./internal/seeds-thread.ts";
import { type CampaignJob, type CampaignJobResult, jobIdOf, PROTOCOL_VERSION } from "./protocol.ts";

/** Runs the jobs of one simulation module, one at a time. */
export class JobRunner {
  private pool: Promise<ExplorerPool> | undefined;
  private poolWallMs = 0;
  private seedsThread: SeedsThread | undefined;

  /** The simulation module's file URL (checked against the campaign's hash by the caller). */
  readonly href: string;

  constructor(href: string) {
    this.href = href;
  }

  /** Runs `job` and returns its result (plain data). */
  async run(job: CampaignJob): Promise<CampaignJobResult> {
    if (job.version !== PROTOCOL_VERSION) {
      throw new Error(
        `job ${jobIdOf(job)}: protocol ${String(job.version)}, this worker speaks ${PROTOCOL_VERSION}`,
      );
    }
    return job.kind === "seeds" ? this.runSeeds(job) : this.runTimelines(job);
  }

  private async runSeeds(job: CampaignJob): Promise<CampaignJobResult> {
    this.seedsThread ??= new SeedsThread(this.href);
    const outcome = await this.seedsThread.run({
      id: jobIdOf(job),
      seeds: job.seeds ?? [],
      wallMs: job.wallMs,
      file: job.simulation.file,
      ...(job.recipe !== undefined ? { recipe: job.recipe } : {}),
    });
    if (outcome !== "hung") return seedsResult(job, SimulationReport.fromJSON(outcome.report));
    // A seed hung: this job again with runFile, which reports the hang as a local run does.
    await this.seedsThread.terminate();
    this.seedsThread = undefined;
    const report = await runFile(this.href, {
      seeds: job.seeds ?? [],
      file: job.simulation.file,
      logSeeds: false,
      seedTimeoutMs: job.wallMs,
      ...(job.recipe !== undefined ? { recipe: job.recipe } : {}),
    });
    return seedsResult(job, report);
  }

  private async runTimelines(job: CampaignJob): Promise<CampaignJobResult> {
    const pool = await this.explorerPool(job.wallMs);
    const timelines = await pool.run(
      [...(job.timelines ?? [])],
      job.preload ?? { assertions: [], buckets: [] },
    );
    const order = new Map((job.timelines ?? []).map((t, i) => [t.id, i]));
    timelines.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return {
      version: PROTOCOL_VERSION,
      id: jobIdOf(job),
      kind: "timelines",
      rows: [],
      failingSeeds: [],
      assertions: [],
      timelines,
    };
  }

  // One pool thread, loaded once, kept for the following jobs (restarted if the wall cap changes).
  private async explorerPool(wallMs: number): Promise<ExplorerPool> {
    if (this.pool !== undefined && this.poolWallMs !== wallMs) await this.close();
    if (this.pool === undefined) {
      this.poolWallMs = wallMs;
      this.pool = ExplorerPool.start(this.href, 1, wallMs);
      this.pool.catch(() => {
        this.pool = undefined;
      });
    }
    return this.pool;
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const thread = this.seedsThread;
    this.seedsThread = undefined;
    await thread?.terminate();
    const pool = this.pool;
    this.pool = undefined;
    if (pool !== undefined) await (await pool.catch(() => undefined))?.close();
  }
}

function seedsResult(job: CampaignJob, report: SimulationReport): CampaignJobResult {
  return {
    version: PROTOCOL_VERSION,
    id: jobIdOf(job),
    kind: "seeds",
    rows: report.seeds,
    failingSeeds: report.failingSeeds,
    assertions: report.assertions,
  };
}

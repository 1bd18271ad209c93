/**
 * The file-shard backend: shard i of n runs every n-th job (i-1, i-1+n, ...) and writes each
 * result as `<dir>/<job id>.json`; a merge reads them all and folds them in job order. Seeds
 * shards are independent (a CI matrix or a Kubernetes Indexed Job, each shard uploading its
 * files). An exploration's waves depend on every earlier result, so its shards share the
 * directory (a shared volume): each runs the same coordinator, runs its own jobs and waits for
 * the others' files.
 *
 * @example
 * ```ts
 * import { mergeShards, planRun, runShard } from "@moonpool/campaign";
 * const manifest = await planRun({ file: "apps/demo/src/counter.sim.ts", iterations: 40 });
 * for (const index of [1, 2]) await runShard(manifest, { dir: "results/", shard: [index, 2] });
 * console.log((await mergeShards("results/")).format());
 * ```
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { InvalidArgumentError } from "@moonpool/core";
import type { SimulationReport } from "@moonpool/sim";
import { type CampaignBackend, runCampaignOn, seedsJobs } from "../coordinator.ts";
import { JobRunner } from "../job-runner.ts";
import { type CampaignManifest, checkManifest, manifestDifference } from "../manifest.ts";
import { type CampaignJob, type CampaignJobResult, jobIdOf } from "../protocol.ts";
import { checkSimulation } from "../simulation-ref.ts";

export interface ShardOptions {
  /** The results directory (shared by every shard of an exploration). */
  readonly dir: string;
  /** This shard, 1-based: `[index, count]`. */
  readonly shard: readonly [index: number, count: number];
  /** Where the simulation file is resolved (default `process.cwd()`). */
  readonly cwd?: string;
  /** Polling interval while waiting for other shards' results (default 100 ms). */
  readonly pollMs?: number;
}

/**
 * Runs shard `options.shard` of the campaign. A seeds shard runs its jobs and returns
 * undefined; an exploration shard returns the campaign's report once every wave is done.
 */
export async function runShard(
  manifest: CampaignManifest,
  options: ShardOptions,
): Promise<SimulationReport | undefined> {
  const [index, count] = options.shard;
  if (
    !Number.isSafeInteger(count) ||
    count < 1 ||
    !Number.isSafeInteger(index) ||
    index < 1 ||
    index > count
  ) {
    throw new InvalidArgumentError(
      "runShard(options.shard)",
      `expected [index, count] with 1 <= index <= count, got ${String(options.shard)}`,
    );
  }
  const backend = new FileShardBackend(options.dir, options);
  try {
    if (manifest.kind === "explore") return await runCampaignOn(backend, manifest);
    await backend.run(seedsJobs(manifest), manifest, { ownOnly: true });
    return undefined;
  } finally {
    await backend.close();
  }
}

/** Folds the results in `dir` (every shard's) into the campaign's report. */
export async function mergeShards(dir: string): Promise<SimulationReport> {
  const file = join(dir, "manifest.json");
  if (!existsSync(file))
    throw new InvalidArgumentError("mergeShards(dir)", `no campaign manifest at ${file}`);
  const manifest = checkManifest(JSON.parse(readFileSync(file, "utf8")), file);
  return runCampaignOn(new FileShardBackend(dir, undefined), manifest);
}

/** Reads (and, for a shard, runs and writes) job results in a directory. */
class FileShardBackend implements CampaignBackend {
  private runner: JobRunner | undefined;
  private ordinal = 0;
  private checked = false;

  private readonly dir: string;
  private readonly shard: ShardOptions | undefined;

  constructor(dir: string, shard: ShardOptions | undefined) {
    this.dir = dir;
    this.shard = shard;
  }

  async run(
    jobs: readonly CampaignJob[],
    manifest: CampaignManifest,
    mode: { ownOnly?: boolean } = {},
  ): Promise<CampaignJobResult[]> {
    this.checkManifest(manifest);
    const results: CampaignJobResult[] = [];
    const others: CampaignJob[] = [];
    for (const job of jobs) {
      const mine =
        this.shard !== undefined && this.ordinal++ % this.shard.shard[1] === this.shard.shard[0] - 1;
      if (!mine) {
        others.push(job);
        continue;
      }
      const stored = this.read(job);
      if (stored !== undefined) {
        results.push(stored);
        continue;
      }
      this.runner ??= new JobRunner(checkSimulation(manifest.simulation, this.shard?.cwd ?? process.cwd()));
      const result = await this.runner.run(job);
      this.write(job, result);
      results.push(result);
    }
    if (mode.ownOnly) return results;
    if (this.shard === undefined) {
      const missing = others.filter((job) => this.read(job) === undefined).map(jobIdOf);
      if (missing.length > 0) {
        throw new InvalidArgumentError(
          "mergeShards(dir)",
          `${this.dir} lacks the results of ${missing.length} job(s) (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}): a shard did not finish`,
        );
      }
    }
    for (const job of others) {
      let result = this.read(job);
      while (result === undefined) {
        await sleep(this.shard?.pollMs ?? 100);
        result = this.read(job);
      }
      results.push(result);
    }
    return results;
  }

  async close(): Promise<void> {
    await this.runner?.close();
    this.runner = undefined;
  }

  private path(job: CampaignJob): string {
    return join(this.dir, `${jobIdOf(job)}.json`);
  }

  private read(job: CampaignJob): CampaignJobResult | undefined {
    const path = this.path(job);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as CampaignJobResult) : undefined;
  }

  // Written under a temporary name, then renamed: a reader never sees half a file.
  private write(job: CampaignJob, result: CampaignJobResult): void {
    const path = this.path(job);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, path);
  }

  // The directory holds one campaign: the first shard writes its manifest, the others compare.
  private checkManifest(manifest: CampaignManifest): void {
    if (this.checked) return;
    this.checked = true;
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, "manifest.json");
    if (existsSync(file)) {
      const stored = checkManifest(JSON.parse(readFileSync(file, "utf8")), file);
      const difference = manifestDifference(stored, manifest);
      if (difference !== undefined) {
        throw new InvalidArgumentError(
          "runShard(options.dir)",
          `${file} is another campaign's (${difference})`,
        );
      }
      return;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(manifest));
    renameSync(tmp, file);
  }
}

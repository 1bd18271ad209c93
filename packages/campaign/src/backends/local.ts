/**
 * The local backend: jobs run on this machine, `workers` at a time, each runner on a worker
 * thread of its own. With one worker it is the in-process form of a campaign; either way the
 * coordinator applies results in job order, so the count never shows in the report.
 *
 * @example
 * ```ts
 * import { localBackend, planExplore, runCampaignOn } from "@moonpool/campaign";
 * const manifest = planExplore({ file: "apps/maze/src/maze.sim.ts", explore: { seeds: 2, runs: 200 } });
 * const backend = localBackend({ workers: 2 });
 * const report = await runCampaignOn(backend, manifest).finally(() => backend.close());
 * ```
 */
import { InvalidArgumentError } from "@moonpool/core";
import type { CampaignBackend } from "../coordinator.ts";
import { JobRunner } from "../job-runner.ts";
import type { CampaignManifest } from "../manifest.ts";
import type { CampaignJob, CampaignJobResult } from "../protocol.ts";
import { checkSimulation } from "../simulation-ref.ts";

export interface LocalBackendOptions {
  /** Jobs running at once (default 1). */
  readonly workers?: number;
  /** Where the manifest's simulation file is resolved (default `process.cwd()`). */
  readonly cwd?: string;
}

/** A backend running jobs on this machine. */
export function localBackend(options: LocalBackendOptions = {}): CampaignBackend {
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new InvalidArgumentError(
      "localBackend(options.workers)",
      `expected an integer >= 1, got ${String(workers)}`,
    );
  }
  const cwd = options.cwd ?? process.cwd();
  let runners: JobRunner[] = [];
  return {
    async run(jobs: readonly CampaignJob[], manifest: CampaignManifest): Promise<CampaignJobResult[]> {
      if (runners.length === 0) {
        const href = checkSimulation(manifest.simulation, cwd);
        runners = Array.from({ length: workers }, () => new JobRunner(href));
      }
      return runAll(runners, jobs);
    },
    async close(): Promise<void> {
      const all = runners;
      runners = [];
      await Promise.all(all.map((r) => r.close()));
    },
  };
}

/** Runs `jobs` on `runners`, each runner taking the next job when it is free. */
export async function runAll(
  runners: readonly JobRunner[],
  jobs: readonly CampaignJob[],
): Promise<CampaignJobResult[]> {
  const results: CampaignJobResult[] = [];
  let next = 0;
  await Promise.all(
    runners.map(async (runner) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        results.push(await runner.run(job));
      }
    }),
  );
  return results;
}

/**
 * The coordinator: turns a manifest into jobs, hands them to a backend and folds the results in
 * job-id order (never arrival order) into the `SimulationReport` the in-process run gives (the
 * same JSON byte for byte once wall times are zeroed). For exploration it drives explorer's
 * `runCampaign`: the frontier and novelty decisions stay here, each wave is cut into jobs of
 * timelines, and a wave is a pure function of the results before it, so a restarted
 * coordinator derives the same job ids again and picks up the results already stored.
 *
 * @example
 * ```ts
 * import { localBackend, planRun, runCampaignOn } from "@moonpool/campaign";
 * const manifest = await planRun({ file: "apps/demo/src/counter.sim.ts", iterations: 50 });
 * const backend = localBackend({ workers: 2 });
 * const report = await runCampaignOn(backend, manifest).finally(() => backend.close());
 * ```
 */
import type { ExploreProgress, ExploreReport } from "@moonpool/explorer";
import { buildReport, type Job, resolveExploreOptions, runCampaign } from "@moonpool/explorer/campaign";
import { SimulationReport } from "@moonpool/sim";
import { mergeAssertionRows } from "./assertion-rows.ts";
import type { CampaignManifest } from "./manifest.ts";
import {
  type CampaignJob,
  type CampaignJobResult,
  checkJobResult,
  jobIdOf,
  PROTOCOL_VERSION,
  type SimulationRef,
} from "./protocol.ts";

/** Runs jobs somewhere and hands back their results (in any order). */
export interface CampaignBackend {
  /** Runs `jobs` of `manifest` (or finds their stored results). */
  run(jobs: readonly CampaignJob[], manifest: CampaignManifest): Promise<CampaignJobResult[]>;
  close(): Promise<void>;
}

/** Progress of a coordinator. */
export interface CoordinatorOptions {
  /** After each exploration wave. */
  readonly onExploreProgress?: (p: ExploreProgress) => void;
}

/** Runs the campaign of `manifest` on `backend` and reports. */
export async function runCampaignOn(
  backend: CampaignBackend,
  manifest: CampaignManifest,
  options: CoordinatorOptions = {},
): Promise<SimulationReport> {
  return manifest.kind === "run" ? runSeeds(backend, manifest) : exploreOn(backend, manifest, options);
}

/** The jobs of a seeds campaign: the planned seed list cut into contiguous ranges. */
export function seedsJobs(manifest: CampaignManifest): CampaignJob[] {
  const run = manifest.run;
  if (run === undefined) throw new Error(`campaign ${manifest.campaign} is not a seeds campaign`);
  const jobs: CampaignJob[] = [];
  for (let from = 0; from < run.seeds.length; from += run.jobSize) {
    const seeds = run.seeds.slice(from, from + run.jobSize);
    jobs.push({
      version: PROTOCOL_VERSION,
      campaign: manifest.campaign,
      simulation: jobSimulation(manifest),
      kind: "seeds",
      index: jobs.length,
      rootSeed: run.base,
      ...(run.recipe !== undefined ? { recipe: run.recipe } : {}),
      budget: seeds.length,
      wallMs: run.seedWallMs,
      seeds,
    });
  }
  return jobs;
}

async function runSeeds(backend: CampaignBackend, manifest: CampaignManifest): Promise<SimulationReport> {
  const started = performance.now();
  const run = manifest.run!;
  const jobs = seedsJobs(manifest);
  const results = inJobOrder(jobs, await backend.run(jobs, manifest));
  return new SimulationReport({
    seeds: results.flatMap((r) => r.rows),
    assertions: mergeAssertionRows(results.map((r) => r.assertions)),
    baseSeed: run.base,
    wallMs: performance.now() - started,
    file: manifest.simulation.file,
    ...(run.recipe !== undefined ? { recipe: run.recipe } : {}),
  });
}

async function exploreOn(
  backend: CampaignBackend,
  manifest: CampaignManifest,
  options: CoordinatorOptions,
): Promise<ExploreReport> {
  const spec = manifest.explore!;
  const resolved = resolveExploreOptions(spec.options, "explore");
  const started = performance.now();
  let wave = 0;
  const result = await runCampaign(
    async (timelines, preload) => {
      const jobs = waveJobs(manifest, wave++, timelines, preload, resolved.timelineWallMs);
      return inJobOrder(jobs, await backend.run(jobs, manifest)).flatMap((r) => r.timelines ?? []);
    },
    {
      rootSeeds: resolved.rootSeeds,
      limits: resolved.limits,
      batch: resolved.batch,
      ...(options.onExploreProgress ? { onProgress: options.onExploreProgress } : {}),
    },
  );
  return buildReport(result, resolved, performance.now() - started, manifest.simulation.file);
}

/** The jobs of one exploration wave: contiguous chunks of `jobSize` timelines. */
function waveJobs(
  manifest: CampaignManifest,
  wave: number,
  timelines: readonly Job[],
  preload: CampaignJob["preload"],
  wallMs: number,
): CampaignJob[] {
  const size = manifest.explore!.jobSize;
  const jobs: CampaignJob[] = [];
  for (let from = 0; from < timelines.length; from += size) {
    const chunk = timelines.slice(from, from + size);
    jobs.push({
      version: PROTOCOL_VERSION,
      campaign: manifest.campaign,
      simulation: jobSimulation(manifest),
      kind: "timelines",
      index: jobs.length,
      wave,
      rootSeed: chunk[0]!.seed,
      budget: chunk.length,
      wallMs,
      timelines: chunk,
      ...(preload !== undefined ? { preload } : {}),
    });
  }
  return jobs;
}

/** `results` in the order of `jobs` (checked: one result per job). */
function inJobOrder(
  jobs: readonly CampaignJob[],
  results: readonly CampaignJobResult[],
): CampaignJobResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return jobs.map((job) => checkJobResult(byId.get(jobIdOf(job)) ?? null, job));
}

/** The simulation reference a job carries: the file and the hash, not the per-file table. */
function jobSimulation(manifest: CampaignManifest): SimulationRef {
  return { file: manifest.simulation.file, hash: manifest.simulation.hash };
}

/**
 * A campaign's manifest: the simulation (file + content hash) and the options, everything the
 * jobs derive from. It is stored with the campaign (a Redis key, a shard directory's
 * manifest.json): workers check the simulation against it, a restarted coordinator checks that
 * it resumes the same campaign.
 *
 * @example
 * ```ts
 * import { planExplore } from "@moonpool/campaign";
 * const manifest = planExplore({ file: "apps/maze/src/maze.sim.ts", explore: { seeds: 2, runs: 200 } });
 * console.log(manifest.campaign); // "maze-explore-<8 hex digits>"
 * ```
 */
import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@moonpool/core";
import type { AdaptiveLimits, ExplorePolicy } from "@moonpool/explorer";
import { resolveExploreOptions } from "@moonpool/explorer/campaign";
import { loadSimulationBuilder } from "@moonpool/sim";
import { checkCampaignName, PROTOCOL_VERSION, type SimulationRef } from "./protocol.ts";
import { simulationRef } from "./simulation-ref.ts";

/** The JSON-serialisable exploration options (ExploreOptions without callbacks). */
export interface ExploreSettings {
  readonly seed?: number;
  readonly seeds?: number;
  readonly rootSeeds?: readonly number[];
  readonly runs?: number;
  readonly policy?: ExplorePolicy;
  readonly adaptive?: Partial<AdaptiveLimits>;
  readonly coverage?: "campaign" | "seed";
  readonly branchingFactor?: number;
  readonly maxFrontier?: number;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly bugsPerSeed?: number;
  readonly batch?: number;
  readonly timelineWallMs?: number;
}

/** A seeds campaign: the planned seed list, cut into jobs of `jobSize` contiguous seeds. */
export interface RunSpec {
  readonly base: number;
  readonly seeds: readonly number[];
  readonly recipe?: string;
  readonly jobSize: number;
  readonly seedWallMs: number;
}

/** An exploration campaign: each wave is cut into jobs of `jobSize` timelines. */
export interface ExploreSpec {
  readonly options: ExploreSettings;
  readonly jobSize: number;
}

export interface CampaignManifest {
  readonly version: typeof PROTOCOL_VERSION;
  readonly campaign: string;
  readonly simulation: SimulationRef;
  readonly kind: "run" | "explore";
  readonly run?: RunSpec;
  readonly explore?: ExploreSpec;
}

/** What every plan needs. */
export interface PlanOptions {
  /** The simulation module (a path relative to `cwd`, or absolute). */
  readonly file: string;
  /** Default: `process.cwd()`. Workers resolve the file against their own cwd. */
  readonly cwd?: string;
  /** Default: `<file name>-<kind>-<hash of the simulation and options>`. */
  readonly campaign?: string;
  /** Seeds (run) or timelines (explore) per job. */
  readonly jobSize?: number;
}

export interface RunPlanOptions extends PlanOptions {
  /** Base seed (default: the module's). */
  readonly seed?: number;
  /** Number of seeds (default: the module's). */
  readonly iterations?: number;
  /** Exactly these seeds. */
  readonly seeds?: readonly number[];
  readonly recipe?: string;
  /** Wall time one seed may take (default 60 s). */
  readonly seedTimeoutMs?: number;
}

export interface ExplorePlanOptions extends PlanOptions {
  readonly explore: ExploreSettings;
}

/** Plans a seeds campaign: loads the module here once, to learn its seed list. */
export async function planRun(options: RunPlanOptions): Promise<CampaignManifest> {
  const cwd = options.cwd ?? process.cwd();
  const simulation = simulationRef(options.file, cwd, "planRun(options.file)");
  const builder = await loadSimulationBuilder(pathToFileURL(resolve(cwd, simulation.file)).href).catch(
    (e: unknown) => {
      throw new InvalidArgumentError("planRun(options.file)", `${simulation.file}: ${(e as Error).message}`);
    },
  );
  if (options.seed !== undefined) builder.seed(options.seed);
  if (options.seeds !== undefined) builder.seeds(options.seeds);
  else if (options.iterations !== undefined) builder.iterations(options.iterations);
  const plan = builder.seedPlan();
  if (plan.seeds === null) {
    throw new InvalidArgumentError(
      "planRun(options.file)",
      `${simulation.file} runs until coverage is stable: a campaign needs a fixed seed list (give iterations)`,
    );
  }
  const run: RunSpec = {
    base: plan.base,
    seeds: plan.seeds,
    ...(options.recipe !== undefined ? { recipe: options.recipe } : {}),
    jobSize: positive(options.jobSize, 25, "planRun(options.jobSize)"),
    seedWallMs: positive(options.seedTimeoutMs, 60_000, "planRun(options.seedTimeoutMs)"),
  };
  return manifest(options, simulation, "run", { run });
}

/** Plans an exploration campaign (the options are checked as `explore` checks them). */
export function planExplore(options: ExplorePlanOptions): CampaignManifest {
  const cwd = options.cwd ?? process.cwd();
  const simulation = simulationRef(options.file, cwd, "planExplore(options.file)");
  resolveExploreOptions(options.explore, "planExplore");
  const explore: ExploreSpec = {
    options: { ...options.explore },
    jobSize: positive(options.jobSize, 8, "planExplore(options.jobSize)"),
  };
  return manifest(options, simulation, "explore", { explore });
}

/** Says how `stored` differs from `planned`, or undefined when they are the same campaign. */
export function manifestDifference(stored: CampaignManifest, planned: CampaignManifest): string | undefined {
  if (stored.version !== planned.version) return `protocol ${stored.version} vs ${planned.version}`;
  if (stored.simulation.file !== planned.simulation.file)
    return `simulation file ${stored.simulation.file} vs ${planned.simulation.file}`;
  if (stored.simulation.hash !== planned.simulation.hash)
    return `simulation ${stored.simulation.file} sha256 ${stored.simulation.hash} vs ${planned.simulation.hash}`;
  if (canonical(stored) !== canonical(planned)) return "options differ";
  return undefined;
}

/** Throws unless `value` looks like a manifest (read back from storage). */
export function checkManifest(value: unknown, where: string): CampaignManifest {
  const m = value as Partial<CampaignManifest> | null;
  if (
    m === null ||
    typeof m !== "object" ||
    m.version !== PROTOCOL_VERSION ||
    typeof m.campaign !== "string" ||
    typeof m.simulation?.hash !== "string" ||
    (m.kind === "run" ? m.run === undefined : m.kind !== "explore" || m.explore === undefined)
  ) {
    throw new Error(`${where}: not a protocol ${PROTOCOL_VERSION} campaign manifest`);
  }
  return m as CampaignManifest;
}

function manifest(
  options: PlanOptions,
  simulation: SimulationRef,
  kind: "run" | "explore",
  spec: { run?: RunSpec; explore?: ExploreSpec },
): CampaignManifest {
  const body = { version: PROTOCOL_VERSION, simulation, kind, ...spec } as const;
  const campaign =
    options.campaign === undefined
      ? `${basename(simulation.file)
          .replace(/\.sim\.[cm]?[jt]s$|\.[cm]?[jt]s$/, "")
          .replace(/[^A-Za-z0-9_.-]/g, "_")}-${kind}-${digest(canonical(body)).slice(0, 8)}`
      : checkCampaignName(options.campaign, "options.campaign");
  return { ...body, campaign };
}

function canonical(m: Omit<CampaignManifest, "campaign"> | CampaignManifest): string {
  const { campaign: _c, ...rest } = m as CampaignManifest;
  return JSON.stringify(rest, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function positive(value: number | undefined, fallback: number, argument: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, `expected an integer >= 1, got ${String(value)}`);
  }
  return value;
}

/**
 * `explore(builder, options)`: multiverse exploration of a simulation in this process. Each root
 * seed is searched with the frontier controller: a timeline that discovers something new (a
 * first sometimes pass, a better watermark, a new sometimesEach bucket or quality, a grown
 * sometimesAll frontier) is split at that assertion call into children that re-execute its
 * prefix and continue with fresh randomness. Failing timelines are bugs, each with a recipe
 * that replays it: `builder.replay(seed, recipe)` or `moonpool replay <file> --seed S --recipe R`.
 *
 * @example
 * ```ts
 * const report = await explore(mazeSimulation(), { seed: 1, runs: 2400 });
 * for (const bug of report.exploration.bugs) console.log(bug.seed, bug.recipe, bug.message);
 * ```
 */
import {
  createAssertionTable,
  installAssertionTable,
  mergeAssertionState,
  resetAssertions,
  setAssertionLog,
} from "@moonpool/assertions";
import { InvalidArgumentError } from "@moonpool/core";
import { SimulationBuilder, SimulationReport, timelineRunner } from "@moonpool/sim";
import { type AdaptiveLimits, DEFAULT_ADAPTIVE } from "./internal/adaptive-search.ts";
import { type ExplorationReport, type ExploreProgress, runCampaign } from "./internal/campaign.ts";
import { runJob } from "./internal/job.ts";
import type { ExplorePolicy, SearchLimits } from "./internal/seed-search.ts";

export type { AdaptiveLimits } from "./internal/adaptive-search.ts";
export type {
  ExplorationBug,
  ExplorationReport,
  ExplorationSeed,
  ExploreProgress,
} from "./internal/campaign.ts";
export type { ExplorePolicy } from "./internal/seed-search.ts";

/** Options of {@link explore} and `exploreFile` (all optional). */
export interface ExploreOptions {
  /** First root seed (default 1). */
  readonly seed?: number;
  /** How many root seeds, derived from `seed` as `moonpool run` derives them (default 1). */
  readonly seeds?: number;
  /** Exactly these root seeds (overrides `seed` / `seeds`). */
  readonly rootSeeds?: readonly number[];
  /** Timeline budget per root seed (default 512). */
  readonly runs?: number;
  /**
   * `frontier` (moonpool's controller, the default), `power` (alternates it with a rare-state
   * pick) or `adaptive` (moonpool v0.8: split at every new discovery, batches and three-level energy).
   */
  readonly policy?: ExplorePolicy;
  /** The adaptive policy's knobs (moonpool v0.8's defaults: batch 20, min 100, max 200, 1,000 per mark). */
  readonly adaptive?: Partial<AdaptiveLimits>;
  /** Children per expansion (default 4). */
  readonly branchingFactor?: number;
  /** Most queued timelines (default 1024). */
  readonly maxFrontier?: number;
  /** Longest recipe expanded further (default 64). */
  readonly maxDepth?: number;
  /** Most tracked states per seed for continuations (default 512). */
  readonly maxStates?: number;
  /**
   * Continuations (frontier and power policies) revisit the state of least
   * `visits / (depth + 1)^continuationDepthExponent`, depth being its deepest exemplar's recipe
   * length. Default 1, moonpool's; 3 favours deep states as AFL++'s depth multiplier does (on the
   * maze, 30 seeds x 600 runs: 18 seeds find the bug instead of 12).
   */
  readonly continuationDepthExponent?: number;
  /** Distinct bugs kept per seed (default 4). */
  readonly bugsPerSeed?: number;
  /**
   * Timelines per wave (default 16): a wave starts from the coverage known when it begins and
   * its results are applied in order, so results do not depend on how many workers run it.
   */
  readonly batch?: number;
  /**
   * Wall-clock budget of one timeline in ms (default 60 s). In `exploreFile` a timeline stuck in
   * a synchronous loop past it (plus up to 1 s of slack) is stopped by terminating its worker.
   */
  readonly timelineWallMs?: number;
  /**
   * What a root seed knows when it starts: `"campaign"` (the default, moonpool's choice) keeps the
   * coverage of the seeds before it, so a later seed splits only on what is new to the whole
   * campaign (a seed with nothing new stops after one timeline); `"seed"` starts every root seed
   * from empty coverage, so each one is searched in full (independent searches, as when each seed
   * is its own campaign), and the report still sums every seed's accounting.
   */
  readonly coverage?: "campaign" | "seed";
  /**
   * Code-edge coverage (moonpool's sancov, `exploreFile` only): the modules of the simulation
   * file's folder (node_modules excepted) are instrumented as they load (istanbul); each
   * function and branch arm is an edge whose hit count is bucketed AFL-style, and a timeline
   * that takes an edge to a class the campaign never saw is split at the first assertion call
   * after it, as a new sometimesEach bucket would be. Default false.
   */
  readonly codeCoverage?: boolean;
  /** Called after every wave. */
  readonly onProgress?: (p: ExploreProgress) => void;
  /** The simulation file, for replay commands. */
  readonly file?: string;
}

/** A report whose `exploration` is filled. */
export type ExploreReport = SimulationReport & { readonly exploration: ExplorationReport };

/** Resolved options shared by `explore` and `exploreFile`. */
export interface ResolvedExplore {
  readonly rootSeeds: number[];
  readonly limits: SearchLimits;
  readonly batch: number;
  readonly timelineWallMs: number;
  readonly coverage: "campaign" | "seed";
  readonly codeCoverage: boolean;
}

/** Checks options; errors name the option. */
export function resolveExploreOptions(options: ExploreOptions, prefix: string): ResolvedExplore {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(`${prefix}(options)`, "expected an object");
  }
  const int = (name: keyof ExploreOptions, fallback: number, min: number): number => {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
      throw new InvalidArgumentError(
        `${prefix}(options.${name})`,
        `expected an integer >= ${min}, got ${String(v)}`,
      );
    }
    return v;
  };
  const policy = options.policy ?? "frontier";
  if (policy !== "frontier" && policy !== "power" && policy !== "adaptive") {
    throw new InvalidArgumentError(
      `${prefix}(options.policy)`,
      `expected "frontier", "power" or "adaptive", got ${String(policy)}`,
    );
  }
  const adaptive = resolveAdaptive(options.adaptive, prefix);
  const coverage = options.coverage ?? "campaign";
  if (coverage !== "campaign" && coverage !== "seed") {
    throw new InvalidArgumentError(
      `${prefix}(options.coverage)`,
      `expected "campaign" or "seed", got ${String(coverage)}`,
    );
  }
  const codeCoverage = options.codeCoverage ?? false;
  if (typeof codeCoverage !== "boolean") {
    throw new InvalidArgumentError(
      `${prefix}(options.codeCoverage)`,
      `expected a boolean, got ${String(codeCoverage)}`,
    );
  }
  let rootSeeds: number[];
  if (options.rootSeeds !== undefined) {
    if (!Array.isArray(options.rootSeeds) || options.rootSeeds.length === 0) {
      throw new InvalidArgumentError(`${prefix}(options.rootSeeds)`, "expected a non-empty array of seeds");
    }
    rootSeeds = [...new SimulationBuilder().seeds(options.rootSeeds).seedPlan().seeds!];
  } else {
    const first = int("seed", 1, 0);
    const count = int("seeds", 1, 1);
    rootSeeds = new SimulationBuilder().seed(first).iterations(count).seedPlan().seeds!;
  }
  return {
    rootSeeds,
    limits: {
      runs: int("runs", 512, 1),
      branching: int("branchingFactor", 4, 1),
      maxFrontier: int("maxFrontier", 1024, 1),
      maxRecipeLength: int("maxDepth", 64, 0),
      maxStates: int("maxStates", 512, 1),
      depthExponent: int("continuationDepthExponent", 1, 0),
      exemplarsPerState: 3,
      bugRecipesPerSeed: int("bugsPerSeed", 4, 1),
      policy,
      adaptive,
    },
    batch: int("batch", 16, 1),
    timelineWallMs: int("timelineWallMs", 60_000, 1),
    coverage,
    codeCoverage,
  };
}

function resolveAdaptive(given: Partial<AdaptiveLimits> | undefined, prefix: string): AdaptiveLimits {
  if (given === undefined) return DEFAULT_ADAPTIVE;
  if (given === null || typeof given !== "object") {
    throw new InvalidArgumentError(`${prefix}(options.adaptive)`, "expected an object");
  }
  const out: Record<string, number> = { ...DEFAULT_ADAPTIVE };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in DEFAULT_ADAPTIVE)) {
      const known = Object.keys(DEFAULT_ADAPTIVE).join(", ");
      throw new InvalidArgumentError(`${prefix}(options.adaptive.${key})`, `unknown knob (known: ${known})`);
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(
        `${prefix}(options.adaptive.${key})`,
        `expected an integer >= 1, got ${String(value)}`,
      );
    }
    out[key] = value;
  }
  if (given.warmMinTimelines === undefined) out.warmMinTimelines = out.batch as number;
  const limits = out as unknown as AdaptiveLimits;
  if (limits.minTimelines > limits.maxTimelines) {
    throw new InvalidArgumentError(
      `${prefix}(options.adaptive.minTimelines)`,
      `expected at most maxTimelines (${limits.maxTimelines}), got ${limits.minTimelines}`,
    );
  }
  return limits;
}

/** Explores `simulation` in this process (one timeline at a time) and reports. */
export async function explore(
  simulation: SimulationBuilder,
  options: ExploreOptions = {},
): Promise<ExploreReport> {
  if (!(simulation instanceof SimulationBuilder)) {
    throw new InvalidArgumentError("explore(simulation)", "expected a SimulationBuilder");
  }
  const resolved = resolveExploreOptions(options, "explore");
  if (resolved.codeCoverage) {
    throw new InvalidArgumentError(
      "explore(options.codeCoverage)",
      "code-edge coverage instruments the simulation's modules as they load: explore the file with exploreFile(url, { codeCoverage: true })",
    );
  }
  const run = timelineRunner(simulation, { wallMs: resolved.timelineWallMs });
  installAssertionTable(createAssertionTable({ slots: 2048 }));
  const started = performance.now();
  // Thousands of timelines fail the same way: the report lists each bug once instead.
  setAssertionLog(null);
  let result: Awaited<ReturnType<typeof runCampaign>>;
  try {
    result = await runCampaign(
      async (jobs, preload) => {
        const out = [];
        for (const job of jobs) out.push(await runJob(run, job, preload));
        return out;
      },
      { ...resolved, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
  } finally {
    setAssertionLog(undefined);
  }
  // Leave the campaign's accounting in the process's table (assertionReport() reads it).
  resetAssertions();
  mergeAssertionState(result.coverage.export());
  return buildReport(result, resolved, performance.now() - started, options.file);
}

/** The SimulationReport of a campaign. */
export function buildReport(
  result: Awaited<ReturnType<typeof runCampaign>>,
  resolved: ResolvedExplore,
  wallMs: number,
  file: string | undefined,
): ExploreReport {
  return new SimulationReport({
    seeds: result.rows,
    assertions: result.assertions,
    baseSeed: resolved.rootSeeds[0]!,
    wallMs,
    file,
    exploration: result.exploration,
  }) as ExploreReport;
}

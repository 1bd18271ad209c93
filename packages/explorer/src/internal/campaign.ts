// A campaign: root seeds one after the other, each searched in waves of jobs. A wave's jobs all
// start from the coverage known when it began and their results are applied in job order, so
// the campaign is the same whatever runs the jobs (in-process, 1 worker or W workers).
import type { AssertionRow, SeedRow } from "@moonpool/sim";
import { recipeText } from "../recipe.ts";
import { AdaptiveSearch, DEFAULT_ADAPTIVE } from "./adaptive-search.ts";
import { CodeEdgeHistory, type CodeHistory } from "./code-edges.ts";
import { CampaignCoverage } from "./coverage.ts";
import type { Job, JobResult } from "./job.ts";
import type { SearchBase } from "./search-base.ts";
import { type SearchLimits, SeedSearch } from "./seed-search.ts";

/**
 * Runs a wave of jobs from `preload` coverage (and, with code-edge coverage on, from the `code`
 * history); results in any order (sorted by id here).
 */
export type JobExecutor = (
  jobs: Job[],
  preload: ReturnType<CampaignCoverage["preload"]>,
  code?: CodeHistory,
) => Promise<JobResult[]>;

/** Progress after each wave. */
export interface ExploreProgress {
  readonly seed: number;
  readonly seedIndex: number;
  readonly seeds: number;
  readonly timelines: number;
  readonly splitPoints: number;
  readonly bugs: number;
  readonly coverage: number;
  readonly runsLeft: number;
  readonly timelinesPerSecond: number;
}

/** One bug of the report. */
export interface ExplorationBug {
  readonly seed: number;
  /** `count@seed -> count@seed`: replay with `--seed <seed> --recipe "<recipe>"`. */
  readonly recipe: string;
  readonly message: string;
  readonly kind?: string;
  /** The timeline (1-based, in its seed) that found it first. */
  readonly timeline: number;
  readonly depth: number;
  readonly traceHash: string;
  /** Timelines of this seed that failed the same way. */
  readonly timelines: number;
  readonly shortestRecipe: string;
}

/** Per-seed figures. */
export interface ExplorationSeed {
  readonly seed: number;
  readonly timelines: number;
  readonly splitPoints: number;
  readonly continuations: number;
  readonly bugTimelines: number;
  readonly firstBugTimeline: number | null;
  readonly trackedStates: number;
}

/** `SimulationReport.exploration`: what the campaign did and found. */
export interface ExplorationReport {
  readonly policy: string;
  readonly timelines: number;
  readonly splitPoints: number;
  readonly bugTimelines: number;
  readonly bugs: ExplorationBug[];
  /** Distinct failure messages over all seeds. */
  readonly distinctBugs: number;
  readonly seeds: ExplorationSeed[];
  /** Timelines per recipe length (index = depth). */
  readonly depthHistogram: number[];
  /** Known states: assertions ever passed plus sometimesEach buckets. */
  readonly coverage: number;
  readonly runsPerSeed: number;
  /** Unused timeline budget over all seeds (the frontier policy's "energy left"). */
  readonly runsLeft: number;
  /** Draws executed vs what a fork-based explorer would need (suffixes only). */
  readonly replay: { readonly steps: number; readonly forkSteps: number; readonly overhead: number };
  /**
   * Code-edge coverage (with `codeCoverage` on): edges of the instrumented modules, edges hit,
   * and AFL hit-count classes reached summed over edges.
   */
  readonly codeCoverage?: { readonly edges: number; readonly covered: number; readonly classes: number };
  readonly wallMs: number;
}

/** Options of a campaign (validated by the caller). */
export interface CampaignOptions {
  readonly rootSeeds: readonly number[];
  readonly limits: SearchLimits;
  readonly batch: number;
  /** `"seed"`: each root seed starts from empty coverage (default `"campaign"`: kept across seeds). */
  readonly coverage?: "campaign" | "seed";
  /** Code-edge novelty splits too (the executor's jobs must report `code`). */
  readonly codeCoverage?: boolean;
  readonly onProgress?: (p: ExploreProgress) => void;
}

/** What a campaign returns: the exploration report plus the report's rows. */
export interface CampaignResult {
  readonly exploration: ExplorationReport;
  readonly rows: SeedRow[];
  readonly assertions: AssertionRow[];
  readonly coverage: CampaignCoverage;
}

/** Runs a campaign on `execute`. */
export async function runCampaign(execute: JobExecutor, options: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const perSeed = options.coverage === "seed";
  /** The whole campaign's accounting (what the report shows). */
  const total = new CampaignCoverage();
  let coverage = total;
  const codeOn = options.codeCoverage === true;
  const totalCode = new CodeEdgeHistory();
  let code = totalCode;
  const searches: SearchBase[] = [];
  const rows: SeedRow[] = [];
  let timelines = 0;
  for (const [index, seed] of options.rootSeeds.entries()) {
    const seedStarted = performance.now();
    if (perSeed) {
      coverage = new CampaignCoverage();
      code = new CodeEdgeHistory();
    }
    const search: SearchBase =
      options.limits.policy === "adaptive"
        ? // Later seeds of a campaign that keeps coverage start warm (moonpool's prepare_next_seed).
          new AdaptiveSearch(
            seed,
            options.limits,
            options.limits.adaptive ?? DEFAULT_ADAPTIVE,
            index > 0 && !perSeed,
          )
        : new SeedSearch(seed, options.limits);
    searches.push(search);
    for (;;) {
      const wave = search.nextWave(options.batch);
      if (wave.length === 0) break;
      const results = await execute(wave, coverage.preload(), codeOn ? code.export() : undefined);
      const byId = new Map(results.map((r) => [r.id, r]));
      for (const job of wave) {
        const r = byId.get(job.id);
        if (r === undefined) throw new Error(`explorer: no result for timeline ${job.id} of seed ${seed}`);
        if (!codeOn) {
          search.apply(job, r, coverage);
          continue;
        }
        const hits = r.code ?? [];
        const fresh = code.novel(hits, r.journal.length);
        code.merge(hits);
        code.edges = Math.max(code.edges, r.codeEdges ?? 0);
        search.apply(job, r, coverage, fresh);
      }
      timelines += wave.length;
      const elapsed = (performance.now() - started) / 1000;
      options.onProgress?.({
        seed,
        seedIndex: index,
        seeds: options.rootSeeds.length,
        timelines,
        splitPoints: searches.reduce((n, s) => n + s.splits, 0),
        bugs: searches.reduce((n, s) => n + s.bugTimelines, 0),
        coverage: coverage.states(),
        runsLeft: options.limits.runs - search.runs,
        timelinesPerSecond: elapsed > 0 ? timelines / elapsed : 0,
      });
    }
    rows.push(seedRow(search, performance.now() - seedStarted));
    if (perSeed) {
      total.merge(coverage.export());
      totalCode.mergeHistory(code);
    }
  }
  return {
    exploration: report(
      searches,
      total,
      codeOn ? totalCode : undefined,
      options,
      performance.now() - started,
    ),
    rows,
    assertions: total.rows(),
    coverage: total,
  };
}

function seedRow(search: SearchBase, wallMs: number): SeedRow {
  const root = search.rootResult;
  const first = [...search.bugs.values()][0];
  const row: SeedRow = {
    seed: search.seed,
    ok: search.bugTimelines === 0,
    events: 0,
    simulatedMs: 0,
    wallMs,
    traceHash: first?.traceHash ?? root?.traceHash ?? "",
    ...(first !== undefined
      ? { error: `seed ${search.seed}: ${first.message} (timeline recipe "${recipeText(first.recipe)}")` }
      : {}),
  };
  return row;
}

function report(
  searches: readonly SearchBase[],
  coverage: CampaignCoverage,
  code: CodeEdgeHistory | undefined,
  options: CampaignOptions,
  wallMs: number,
): ExplorationReport {
  const bugs: ExplorationBug[] = [];
  const messages = new Set<string>();
  const depthHistogram: number[] = [];
  let steps = 0;
  let forkSteps = 0;
  for (const s of searches) {
    for (const b of s.bugs.values()) {
      messages.add(b.message);
      bugs.push({
        seed: s.seed,
        recipe: recipeText(b.recipe),
        message: b.message,
        ...(b.kind !== undefined ? { kind: b.kind } : {}),
        timeline: b.timeline,
        depth: b.recipe.length,
        traceHash: b.traceHash,
        timelines: b.timelines,
        shortestRecipe: recipeText(b.shortest),
      });
    }
    s.depths.forEach((n, d) => {
      depthHistogram[d] = (depthHistogram[d] ?? 0) + (n ?? 0);
    });
    steps += s.steps;
    forkSteps += s.suffixSteps;
  }
  for (let d = 0; d < depthHistogram.length; d++) depthHistogram[d] ??= 0;
  return {
    policy: options.limits.policy,
    timelines: searches.reduce((n, s) => n + s.runs, 0),
    splitPoints: searches.reduce((n, s) => n + s.splits, 0),
    bugTimelines: searches.reduce((n, s) => n + s.bugTimelines, 0),
    bugs,
    distinctBugs: messages.size,
    seeds: searches.map((s) => ({
      seed: s.seed,
      timelines: s.runs,
      splitPoints: s.splits,
      continuations: s.continuations,
      bugTimelines: s.bugTimelines,
      firstBugTimeline: s.firstBugTimeline ?? null,
      trackedStates: s.trackedStates(),
    })),
    depthHistogram,
    coverage: coverage.states(),
    runsPerSeed: options.limits.runs,
    runsLeft: searches.reduce((n, s) => n + (options.limits.runs - s.runs), 0),
    replay: { steps, forkSteps, overhead: forkSteps > 0 ? steps / forkSteps : 1 },
    ...(code !== undefined
      ? { codeCoverage: { edges: code.edges, covered: code.covered(), classes: code.classes() } }
      : {}),
    wallMs,
  };
}

// What every search policy of one root seed keeps the same way: the timelines it ran, their
// depths and draws, and the distinct bugs (each with its first and shortest recipe).
import type { SplitPoint } from "../recipe.ts";
import type { CampaignCoverage, JournalEvent } from "./coverage.ts";
import type { Job, JobResult } from "./job.ts";

/** A distinct failure found in this seed. */
export interface SeedBug {
  readonly message: string;
  readonly kind: string | undefined;
  readonly recipe: readonly SplitPoint[];
  readonly timeline: number;
  readonly traceHash: string;
  /** Shortest recipe that failed the same way. */
  shortest: readonly SplitPoint[];
  timelines: number;
}

/** Strips the executor's `seed N: ` prefix, so one bug found in two seeds has one message. */
export function bugMessage(error: string | undefined): string {
  return (error ?? "failed").replace(/^seed \d+: /, "").split("\n")[0] ?? "failed";
}

/** Counters and bugs of one root seed's search; a policy extends it with its own choices. */
export abstract class SearchBase {
  readonly seed: number;
  private readonly bugRecipes: number;
  /** Timelines run (results applied). */
  runs = 0;
  /** Split points expanded (productive timelines and continuation rounds). */
  splits = 0;
  continuations = 0;
  readonly bugs = new Map<string, SeedBug>();
  bugTimelines = 0;
  firstBugTimeline: number | undefined;
  readonly depths: number[] = [];
  steps = 0;
  suffixSteps = 0;
  rootResult: JobResult | undefined;

  constructor(seed: number, bugRecipes: number) {
    this.seed = seed;
    this.bugRecipes = bugRecipes;
  }

  /** The next jobs to run, at most `size`; empty when the seed is done. */
  abstract nextWave(size: number): Job[];

  /**
   * Applies a job's result (in job order): novelty is decided against `coverage`, then merged
   * into it. `code`: the timeline's code-edge discoveries still new to the campaign.
   */
  abstract apply(
    job: Job,
    result: JobResult,
    coverage: CampaignCoverage,
    code?: readonly JournalEvent[],
  ): void;

  /** States the policy tracks, for the report. */
  abstract trackedStates(): number;

  /** Counts a timeline's result (every policy calls it first in `apply`); notes a failure as a bug. */
  protected count(job: Job, result: JobResult): void {
    this.runs++;
    if (job.recipe.length === 0) this.rootResult = result;
    this.depths[job.recipe.length] = (this.depths[job.recipe.length] ?? 0) + 1;
    this.steps += result.draws;
    this.suffixSteps += result.draws - result.prefixDraws;
    if (!result.ok) this.noteBug(job, result);
  }

  private noteBug(job: Job, result: JobResult): void {
    this.bugTimelines++;
    const timeline = this.runs;
    if (this.firstBugTimeline === undefined) this.firstBugTimeline = timeline;
    const message = bugMessage(result.error);
    const known = this.bugs.get(message);
    if (known !== undefined) {
      known.timelines++;
      if (job.recipe.length < known.shortest.length) known.shortest = job.recipe;
      return;
    }
    if (this.bugs.size >= this.bugRecipes) return;
    this.bugs.set(message, {
      message,
      kind: result.kind,
      recipe: job.recipe,
      timeline,
      traceHash: result.traceHash,
      shortest: job.recipe,
      timelines: 1,
    });
  }
}

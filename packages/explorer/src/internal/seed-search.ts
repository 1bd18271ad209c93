// The search of one root seed: moonpool's frontier controller (PR #163). A timeline whose
// journal holds something new to the campaign is expanded exactly once into `branching`
// children anchored at its highest-priority discovery; a timeline with nothing new dies. When
// the frontier empties, continuations revisit known states through their exemplar recipes.
// The "power" policy alternates that pick with an AFL-style rare-state pick (states few
// timelines have visited, cheap to replay, deep), so neither starves the other.
import { childSeed, type SplitPoint } from "../recipe.ts";
import type { AdaptiveLimits } from "./adaptive-search.ts";
import type { CampaignCoverage, JournalEvent } from "./coverage.ts";
import type { Job, JobResult } from "./job.ts";
import { SearchBase } from "./search-base.ts";

/** Search policies. */
export type ExplorePolicy = "frontier" | "power" | "adaptive";

/** Bounds and knobs of the search (moonpool's ExplorationConfig plus its constants). */
export interface SearchLimits {
  readonly runs: number;
  readonly branching: number;
  readonly maxFrontier: number;
  readonly maxRecipeLength: number;
  readonly maxStates: number;
  readonly exemplarsPerState: number;
  readonly bugRecipesPerSeed: number;
  readonly policy: ExplorePolicy;
  /**
   * Continuations pick the state of least `visits / (depth + 1)^depthExponent` (default 1, upstream's).
   * Higher favours deep states more, as AFL++'s depth multiplier does.
   */
  readonly depthExponent?: number;
  /** The adaptive policy's knobs (used when `policy` is "adaptive"). */
  readonly adaptive?: AdaptiveLimits;
}

interface Exemplar {
  readonly base: readonly SplitPoint[];
  readonly count: number;
  readonly ordinal: number;
}

interface TrackedState {
  readonly key: string;
  readonly registration: number;
  readonly exemplars: Exemplar[];
  progress: boolean;
  /** Continuation rounds started from it. */
  visits: number;
  /** Timelines whose live part reached it. */
  reached: number;
}

/** The search of one root seed with the frontier (or power) policy. Feed it results in job order. */
export class SeedSearch extends SearchBase {
  private readonly limits: SearchLimits;
  private readonly frontier: Job[] = [];
  private head = 0;
  private readonly states = new Map<string, TrackedState>();
  private nextId = 0;
  private round = 0;
  droppedChildren = 0;

  constructor(seed: number, limits: SearchLimits) {
    super(seed, limits.bugRecipesPerSeed);
    this.limits = limits;
    this.frontier.push({ id: this.nextId++, seed, recipe: [] });
  }

  /** The next jobs to run, at most `size` (fewer near the budget); empty when the seed is done. */
  nextWave(size: number): Job[] {
    const room = Math.min(size, this.limits.runs - this.runs);
    if (room <= 0) return [];
    if (this.head === this.frontier.length) this.continue();
    const wave = this.frontier.slice(this.head, this.head + room);
    this.head += wave.length;
    if (this.head > 4096 && this.head * 2 > this.frontier.length) {
      this.frontier.splice(0, this.head);
      this.head = 0;
    }
    return wave;
  }

  /** Applies a job's result: coverage novelty is decided against `coverage`, then merged into it. */
  apply(job: Job, result: JobResult, coverage: CampaignCoverage, code: readonly JournalEvent[] = []): void {
    this.count(job, result);
    const fresh = result.journal.filter((e) => coverage.isNovel(e));
    // Code edges break plateaus: a timeline with nothing new to the assertions is expanded at
    // its new edges (states to revisit, like new buckets); one with assertion novelty follows
    // the assertions alone, so edges that merely echo its buckets do not crowd the continuations.
    if (fresh.length === 0) fresh.push(...code);
    coverage.merge(result.delta);
    this.noteReached(result);
    if (!result.ok) return;
    if (fresh.length === 0 || !result.live) return;
    for (const e of fresh) this.track(e, job.recipe);
    let anchor = fresh[0]!;
    for (const e of fresh) {
      if (e.priority > anchor.priority || (e.priority === anchor.priority && e.seq > anchor.seq)) anchor = e;
    }
    if (job.recipe.length >= this.limits.maxRecipeLength) return;
    this.splits++;
    this.enqueueChildren(job.recipe, anchor.key, anchor.count, anchor.ordinal, 0);
  }

  /** Tracked states, for the report. */
  override trackedStates(): number {
    return this.states.size;
  }

  private enqueueChildren(
    base: readonly SplitPoint[],
    mark: string,
    count: number,
    ordinal: number,
    round: number,
  ): void {
    for (let i = 0; i < this.limits.branching; i++) {
      if (this.frontier.length - this.head >= this.limits.maxFrontier) {
        this.droppedChildren++;
        continue;
      }
      const point: SplitPoint = { count, ordinal, seed: childSeed(this.seed, base, mark, i, round) };
      this.frontier.push({ id: this.nextId++, seed: this.seed, recipe: [...base, point] });
    }
  }

  private track(e: JournalEvent, base: readonly SplitPoint[]): void {
    let s = this.states.get(e.key);
    if (s === undefined) {
      if (this.states.size >= this.limits.maxStates) return;
      s = {
        key: e.key,
        registration: this.states.size,
        exemplars: [],
        progress: false,
        visits: 0,
        reached: 0,
      };
      this.states.set(e.key, s);
    }
    if (e.priority === 2) s.progress = true;
    // A ring: the newest exemplars are usually the better starting points.
    s.exemplars.push({ base, count: e.count, ordinal: e.ordinal });
    if (s.exemplars.length > this.limits.exemplarsPerState) s.exemplars.shift();
  }

  private noteReached(result: JobResult): void {
    if (this.limits.policy !== "power") return;
    for (const a of result.delta.assertions) {
      if (a.pass > 0) {
        const s = this.states.get(a.message);
        if (s) s.reached++;
      }
    }
    for (const b of result.delta.buckets) {
      if (b.hits > 0) {
        const s = this.states.get(`${b.message}\u0000${b.label}`);
        if (s) s.reached++;
      }
    }
  }

  /** Frontier empty: revisit a known state from one of its exemplars. */
  private continue(): void {
    const rare = this.limits.policy === "power" && this.round % 2 === 1;
    let best: TrackedState | undefined;
    for (const s of this.states.values()) {
      // A state whose every exemplar is at the depth limit cannot be continued.
      if (!s.exemplars.some((e) => e.base.length < this.limits.maxRecipeLength)) continue;
      if (
        best === undefined ||
        (rare ? rarer(s, best) : upstreamBefore(s, best, this.limits.depthExponent ?? 1))
      )
        best = s;
    }
    if (best === undefined) return;
    const s = best;
    const usable = s.exemplars.filter((e) => e.base.length < this.limits.maxRecipeLength);
    const ex = usable[s.visits % usable.length]!;
    s.visits++;
    this.round++;
    this.continuations++;
    this.splits++;
    this.enqueueChildren(ex.base, s.key, ex.count, ex.ordinal, this.round);
  }
}

function deepest(s: TrackedState): number {
  let d = 0;
  for (const e of s.exemplars) d = Math.max(d, e.base.length + 1);
  return d;
}

/**
 * Upstream's pick: least `visits / (depth + 1)^exponent` (upstream: exponent 1), then progress,
 * then deepest, then oldest.
 */
function upstreamBefore(a: TrackedState, b: TrackedState, exponent: number): boolean {
  const ka = a.visits / (deepest(a) + 1) ** exponent;
  const kb = b.visits / (deepest(b) + 1) ** exponent;
  if (ka !== kb) return ka < kb;
  if (a.progress !== b.progress) return a.progress;
  if (deepest(a) !== deepest(b)) return deepest(a) > deepest(b);
  return a.registration < b.registration;
}

/**
 * The rare pick (AFL++'s RARE/FAST idea): fewest timelines reached it (plus the rounds already
 * spent on it), then deepest, then oldest.
 */
function rarer(a: TrackedState, b: TrackedState): boolean {
  const ka = Math.log2(1 + a.reached + a.visits);
  const kb = Math.log2(1 + b.reached + b.visits);
  if (ka !== kb) return ka < kb;
  if (deepest(a) !== deepest(b)) return deepest(a) > deepest(b);
  return a.registration < b.registration;
}

// moonpool v0.8's adaptive policy, on replayed timelines. Every discovery new to the campaign
// opens a split at that assertion call; a split spawns children in batches of `batch` while it
// keeps finding something new, stops at `maxTimelines`, and once `minTimelines` children found
// nothing in a whole batch it is barren and returns its mark's unused energy to a shared pool.
// Energy has three levels: the seed's global budget, a per-mark budget set when a split on the
// mark opens, and the pool that productive marks draw from once their own budget is spent. Unlike
// v0.8, a nested split never resets the budget of a mark whose split is still open. Children of
// the newest open split run first, as moonpool's depth-first fork does.
import { childSeed, type SplitPoint } from "../recipe.ts";
import type { CampaignCoverage, JournalEvent } from "./coverage.ts";
import type { Job, JobResult } from "./job.ts";
import { SearchBase } from "./search-base.ts";

/** The adaptive policy's knobs (moonpool v0.8's `AdaptiveConfig`, its README defaults). */
export interface AdaptiveLimits {
  /** Children spawned per batch (default 20). */
  readonly batch: number;
  /** Children a split spawns before it may be declared barren (default 100). */
  readonly minTimelines: number;
  /** Most children per split (default 200). */
  readonly maxTimelines: number;
  /** A mark's own budget when its split opens (default 1,000). */
  readonly perMarkEnergy: number;
  /** `minTimelines` for the root seeds after the first (warm start; default `batch`). */
  readonly warmMinTimelines: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveLimits = {
  batch: 20,
  minTimelines: 100,
  maxTimelines: 200,
  perMarkEnergy: 1_000,
  warmMinTimelines: 20,
};

interface Split {
  readonly base: readonly SplitPoint[];
  readonly mark: string;
  readonly count: number;
  readonly ordinal: number;
  spawned: number;
  /** Children of the current batch whose results are not applied yet. */
  pending: number;
  /** Children spawned in the current batch. */
  batchSize: number;
  /** A child of the current batch found something new. */
  batchNew: boolean;
}

/** The search of one root seed with the adaptive policy. Feed it results in job order. */
export class AdaptiveSearch extends SearchBase {
  private readonly maxRecipeLength: number;
  private readonly adaptive: AdaptiveLimits;
  private readonly minTimelines: number;
  /** Open splits, newest last; their ready children run newest split first. */
  private readonly open: Split[] = [];
  private readonly ready = new Map<Split, Job[]>();
  private readonly parentOf = new Map<number, Split>();
  private readonly perMark = new Map<string, number>();
  private pool = 0;
  private global: number;
  private nextId = 0;
  private rootQueued = true;
  /** Marks that ever opened a split. */
  private readonly marks = new Set<string>();
  /** Splits that ended barren (their energy went back to the pool). */
  barren = 0;

  constructor(
    seed: number,
    limits: { runs: number; maxRecipeLength: number; bugRecipesPerSeed: number },
    adaptive: AdaptiveLimits,
    warm: boolean,
  ) {
    super(seed, limits.bugRecipesPerSeed);
    this.maxRecipeLength = limits.maxRecipeLength;
    this.adaptive = adaptive;
    this.minTimelines = warm ? adaptive.warmMinTimelines : adaptive.minTimelines;
    this.global = limits.runs - 1; // the root timeline
  }

  nextWave(size: number): Job[] {
    const wave: Job[] = [];
    if (this.rootQueued) {
      this.rootQueued = false;
      wave.push({ id: this.nextId++, seed: this.seed, recipe: [] });
      return wave;
    }
    for (let i = this.open.length - 1; i >= 0 && wave.length < size; i--) {
      const jobs = this.ready.get(this.open[i]!);
      if (jobs === undefined) continue;
      while (jobs.length > 0 && wave.length < size) wave.push(jobs.shift()!);
    }
    return wave;
  }

  apply(job: Job, result: JobResult, coverage: CampaignCoverage, code: readonly JournalEvent[] = []): void {
    this.count(job, result);
    const fresh = result.journal.filter((e) => coverage.isNovel(e));
    coverage.merge(result.delta);
    const parent = this.parentOf.get(job.id);
    this.parentOf.delete(job.id);
    // Code-edge novelty keeps a split's batches coming (moonpool v0.8: batch_new |= sancov novelty).
    if (parent !== undefined && (fresh.length > 0 || code.length > 0)) parent.batchNew = true;
    // A failing timeline ends where it failed: nothing after its discoveries ran in full.
    if (result.ok && result.live && job.recipe.length < this.maxRecipeLength) {
      const seen = new Set<string>();
      for (const e of fresh) {
        if (seen.has(e.key)) continue;
        seen.add(e.key);
        this.openSplit(job.recipe, e.key, e.count, e.ordinal);
      }
    }
    if (parent !== undefined && --parent.pending === 0) this.endBatch(parent);
  }

  trackedStates(): number {
    return this.marks.size;
  }

  private openSplit(base: readonly SplitPoint[], mark: string, count: number, ordinal: number): void {
    const split: Split = {
      base,
      mark,
      count,
      ordinal,
      spawned: 0,
      pending: 0,
      batchSize: 0,
      batchNew: false,
    };
    // A nested split never takes back the budget of an open split on the same mark.
    if (!this.open.some((s) => s.mark === mark)) this.perMark.set(mark, this.adaptive.perMarkEnergy);
    this.marks.add(mark);
    this.splits++;
    this.open.push(split);
    this.spawnBatch(split);
  }

  /** Spawns the next batch of `split`, or closes it when no child could be paid for. */
  private spawnBatch(split: Split): void {
    const jobs: Job[] = [];
    split.batchNew = false;
    while (jobs.length < this.adaptive.batch && split.spawned < this.adaptive.maxTimelines) {
      if (!this.payFor(split.mark)) break;
      const point: SplitPoint = {
        count: split.count,
        ordinal: split.ordinal,
        seed: childSeed(this.seed, split.base, split.mark, split.spawned),
      };
      split.spawned++;
      const job = { id: this.nextId++, seed: this.seed, recipe: [...split.base, point] };
      this.parentOf.set(job.id, split);
      jobs.push(job);
    }
    split.pending = jobs.length;
    split.batchSize = jobs.length;
    if (jobs.length === 0) this.close(split);
    else this.ready.set(split, jobs);
  }

  /** Every child of the batch is back: another batch, or the split ends (full, barren, broke). */
  private endBatch(split: Split): void {
    const full = split.spawned >= this.adaptive.maxTimelines;
    const barren = !full && !split.batchNew && split.spawned >= this.minTimelines;
    const broke = split.batchSize < this.adaptive.batch; // the last batch ran out of energy
    if (barren) {
      this.barren++;
      this.pool += this.perMark.get(split.mark) ?? 0;
      this.perMark.set(split.mark, 0);
    }
    if (full || barren || broke) this.close(split);
    else this.spawnBatch(split);
  }

  private close(split: Split): void {
    this.ready.delete(split);
    const i = this.open.indexOf(split);
    if (i >= 0) this.open.splice(i, 1);
  }

  /** Global energy, then the mark's own, then the pool; nothing is taken when all three fail. */
  private payFor(mark: string): boolean {
    if (this.global <= 0) return false;
    const own = this.perMark.get(mark) ?? 0;
    if (own > 0) this.perMark.set(mark, own - 1);
    else if (this.pool > 0) this.pool--;
    else return false;
    this.global--;
    return true;
  }

  /** The budget left when the seed ended (unspent global energy). */
  get energyLeft(): number {
    return this.global;
  }
}

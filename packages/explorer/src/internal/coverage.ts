// The campaign's assertion coverage as plain data: what every applied timeline covered (counts,
// watermarks, frontiers, buckets, quality). It decides novelty for the coordinator, gives each
// timeline its starting table (so the table itself reports only what is new to the campaign),
// and merges timeline deltas associatively (counts add, bests keep the best).
import {
  type AssertionKind,
  type AssertionState,
  type AssertionStateEntry,
  assertionStatus,
  type BucketStateEntry,
  NUMERIC_MAXIMIZE,
} from "@moonpool/assertions";
import type { AssertionRow } from "@moonpool/sim";

/** What made a journal event new. */
export type DiscoveryReason = "first-hit" | "watermark" | "frontier" | "new-bucket" | "quality";

/** One discovery of a timeline, at the assertion call that made it. */
export interface JournalEvent {
  /** State identity: the message, or message + bucket label. */
  readonly key: string;
  readonly message: string;
  readonly kind: AssertionKind;
  readonly bucket?: string;
  readonly reason: DiscoveryReason;
  /** 2 progress (watermark, frontier, quality) > 1 structured novelty (new bucket) > 0 first hit. */
  readonly priority: number;
  readonly count: number;
  readonly ordinal: number;
  /** Order of the event in its timeline. */
  readonly seq: number;
  readonly value?: number;
  readonly quality?: readonly number[];
}

/** Priority of a discovery reason (moonpool's journal classes). */
export function priorityOf(reason: DiscoveryReason): number {
  return reason === "first-hit" ? 0 : reason === "new-bucket" ? 1 : 2;
}

/** The state key of a discovery. */
export function stateKey(message: string, bucket?: string): string {
  return bucket === undefined ? message : `${message}\u0000${bucket}`;
}

/** Lexicographic comparison of quality vectors (first key most significant). */
function betterQuality(a: readonly number[], b: readonly number[] | undefined): boolean {
  if (b === undefined) return true;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? Number.NEGATIVE_INFINITY;
    const y = b[i] ?? Number.NEGATIVE_INFINITY;
    if (x !== y) return x > y;
  }
  return false;
}

function betterWatermark(kind: AssertionKind, value: number, known: number | undefined): boolean {
  if (known === undefined) return true;
  return NUMERIC_MAXIMIZE[kind] === false ? value < known : value > known;
}

/** Campaign-wide coverage, plain data. */
export class CampaignCoverage {
  private readonly assertions = new Map<string, AssertionStateEntry>();
  private readonly buckets = new Map<string, BucketStateEntry>();

  /** Whether `e` is still new to the campaign. */
  isNovel(e: JournalEvent): boolean {
    if (e.bucket !== undefined) {
      const b = this.buckets.get(e.key);
      if (b === undefined) return true;
      return e.reason === "quality" && e.quality !== undefined && betterQuality(e.quality, b.bestQuality);
    }
    const a = this.assertions.get(e.message);
    if (a === undefined) return true;
    switch (e.reason) {
      case "first-hit":
        return a.pass === 0 || (e.value !== undefined && betterWatermark(e.kind, e.value, a.watermark));
      case "watermark":
        return e.value !== undefined && betterWatermark(e.kind, e.value, a.watermark);
      case "frontier":
        return e.value !== undefined && e.value > (a.frontier ?? 0);
      default:
        return false;
    }
  }

  /** Adds a timeline's delta (its own counts; bests as it saw them). */
  merge(delta: AssertionState): void {
    for (const e of delta.assertions) {
      const known = this.assertions.get(e.message);
      if (known === undefined) {
        this.assertions.set(e.message, { ...e });
        continue;
      }
      known.pass += e.pass;
      known.fail += e.fail;
      if (e.watermark !== undefined && betterWatermark(e.kind, e.watermark, known.watermark)) {
        known.watermark = e.watermark;
      }
      if (e.frontier !== undefined && e.frontier > (known.frontier ?? 0)) known.frontier = e.frontier;
      if (e.conditions !== undefined && e.conditions > (known.conditions ?? 0))
        known.conditions = e.conditions;
    }
    for (const b of delta.buckets) {
      const key = stateKey(b.message, b.label);
      const known = this.buckets.get(key);
      if (known === undefined) {
        this.buckets.set(key, { ...b, ...(b.bestQuality ? { bestQuality: [...b.bestQuality] } : {}) });
        continue;
      }
      known.hits += b.hits;
      if (b.bestQuality !== undefined && betterQuality(b.bestQuality, known.bestQuality)) {
        known.bestQuality = [...b.bestQuality];
      }
    }
  }

  /**
   * The table a timeline starts from: everything known, with counts cut to 0/1, so a timeline's
   * first hits, watermarks, frontiers, buckets and qualities are reported only when new.
   */
  preload(): AssertionState {
    const assertions: AssertionStateEntry[] = [];
    for (const a of this.assertions.values()) {
      const e: AssertionStateEntry = { message: a.message, kind: a.kind, pass: a.pass > 0 ? 1 : 0, fail: 0 };
      if (a.watermark !== undefined) e.watermark = a.watermark;
      if (a.frontier !== undefined) e.frontier = a.frontier;
      if (a.conditions !== undefined) e.conditions = a.conditions;
      assertions.push(e);
    }
    const buckets: BucketStateEntry[] = [];
    for (const b of this.buckets.values()) {
      const e: BucketStateEntry = { message: b.message, label: b.label, hits: 1 };
      if (b.bestQuality !== undefined) e.bestQuality = [...b.bestQuality];
      buckets.push(e);
    }
    return { assertions, buckets };
  }

  /** Everything as plain data (sorted, so equal coverage exports equally). */
  export(): AssertionState {
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const assertions = [...this.assertions.values()].map((a) => ({ ...a }));
    assertions.sort((x, y) => order(x.message, y.message));
    const buckets = [...this.buckets.values()].map((b) => ({ ...b }));
    buckets.sort((x, y) => order(x.message, y.message) || order(x.label, y.label));
    return { assertions, buckets };
  }

  /** Known states: assertions ever passed plus buckets (the report's coverage figure). */
  states(): number {
    let n = this.buckets.size;
    for (const a of this.assertions.values()) if (a.pass > 0) n++;
    return n;
  }

  /** The report's assertion table. */
  rows(): AssertionRow[] {
    return this.export().assertions.map((a) => ({
      message: a.message,
      kind: a.kind,
      pass: a.pass,
      fail: a.fail,
      status: assertionStatus(a.kind, a.pass, a.fail),
    }));
  }
}

/**
 * What a timeline added to the table it started from (`preload`): its counts, and the bests
 * it reached. Entries it never touched are left out.
 */
export function timelineDelta(after: AssertionState, preload: AssertionState): AssertionState {
  const before = new Map(preload.assertions.map((a) => [a.message, a]));
  const assertions: AssertionStateEntry[] = [];
  for (const a of after.assertions) {
    const b = before.get(a.message);
    const pass = a.pass - (b?.pass ?? 0);
    const fail = a.fail - (b?.fail ?? 0);
    const moved =
      b === undefined ||
      a.watermark !== b.watermark ||
      a.frontier !== b.frontier ||
      a.conditions !== b.conditions;
    if (pass === 0 && fail === 0 && !moved) continue;
    assertions.push({ ...a, pass, fail });
  }
  const beforeBuckets = new Map(preload.buckets.map((x) => [stateKey(x.message, x.label), x]));
  const buckets: BucketStateEntry[] = [];
  for (const x of after.buckets) {
    const b = beforeBuckets.get(stateKey(x.message, x.label));
    const hits = x.hits - (b?.hits ?? 0);
    if (hits === 0 && b !== undefined) continue;
    buckets.push({ ...x, hits });
  }
  return { assertions, buckets };
}

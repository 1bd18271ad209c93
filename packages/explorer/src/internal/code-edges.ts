// Code-edge coverage as plain data, shared by the worker (which reads the counters) and the
// coordinator (which decides novelty): AFL's hit-count classes, an edge's novelty threshold,
// and the campaign's history (the best class each edge ever reached, moonpool's sancov rule:
// a timeline is new when some edge's class is above its history).
import type { JournalEvent } from "./coverage.ts";

/** The global variable istanbul's counters are kept in (inside an explorer worker). */
export const CODE_COVERAGE_VARIABLE = "__moonpool_code_edges__";

/** Lower bounds of AFL's hit-count classes, and the class value each stands for. */
const CLASS_FLOOR = [1, 2, 3, 4, 8, 16, 32, 128] as const;
const CLASS_VALUE = [1, 2, 4, 8, 16, 32, 64, 128] as const;

/** AFL's class of a hit count: 0, 1, 2, 3 → 4, 4-7 → 8, 8-15 → 16, 16-31 → 32, 32-127 → 64, 128+ → 128. */
export function hitClass(hits: number): number {
  let value = 0;
  for (let i = 0; i < CLASS_FLOOR.length && hits >= CLASS_FLOOR[i]!; i++) value = CLASS_VALUE[i]!;
  return value;
}

/** The fewest hits whose class is above `known` (Infinity when `known` is the top class). */
export function hitsAbove(known: number): number {
  for (let i = 0; i < CLASS_VALUE.length; i++) if (CLASS_VALUE[i]! > known) return CLASS_FLOOR[i]!;
  return Number.POSITIVE_INFINITY;
}

/** An edge whose class went above the history the timeline started from. */
export interface CodeHit {
  /** `<file relative to the simulation's folder>#f<id>` (a function) or `#b<id>.<arm>` (a branch arm). */
  readonly key: string;
  readonly hitClass: number;
  /** The first live assertion call at or after which the class was above the history (absent: after the last call). */
  readonly count?: number;
  readonly ordinal?: number;
}

/** Best class per edge key: the history a wave starts from (plain data, sent to workers). */
export type CodeHistory = Readonly<Record<string, number>>;

/** The campaign's code-edge history, kept by the coordinator; merges are associative (max). */
export class CodeEdgeHistory {
  private readonly best = new Map<string, number>();
  /** Edges the instrumented modules have, as the workers last reported. */
  edges = 0;

  /** The hits of a timeline still new to the campaign, as journal events (structured novelty). */
  novel(hits: readonly CodeHit[], after: number): JournalEvent[] {
    const out: JournalEvent[] = [];
    // A hit past the timeline's last assertion call has no split point: it only feeds the history.
    const ordered = hits
      .filter((h) => h.count !== undefined && h.ordinal !== undefined)
      .filter((h) => h.hitClass > (this.best.get(h.key) ?? 0))
      .sort((a, b) => a.count! - b.count! || a.ordinal! - b.ordinal! || order(a.key, b.key));
    for (const [i, h] of ordered.entries()) {
      // An edge never taken is structured novelty (as a new bucket); a higher hit-count class of
      // a known edge only ranks as a plain first hit, so it never outbids a deeper new edge.
      const fresh = !this.best.has(h.key);
      out.push({
        key: `code\u0000${h.key}`,
        message: h.key,
        kind: "reachable",
        reason: fresh ? "new-bucket" : "first-hit",
        priority: fresh ? 1 : 0,
        count: h.count!,
        ordinal: h.ordinal!,
        // After every assertion event of the timeline, latest position last (it wins ties).
        seq: after + i,
      });
    }
    return out;
  }

  /** True when some hit is above the history. */
  isNew(hits: readonly CodeHit[]): boolean {
    return hits.some((h) => h.hitClass > (this.best.get(h.key) ?? 0));
  }

  merge(hits: readonly CodeHit[]): void {
    for (const h of hits) if (h.hitClass > (this.best.get(h.key) ?? 0)) this.best.set(h.key, h.hitClass);
  }

  /** Adds another history (max per edge). */
  mergeHistory(other: CodeEdgeHistory): void {
    for (const [key, value] of other.best) if (value > (this.best.get(key) ?? 0)) this.best.set(key, value);
    this.edges = Math.max(this.edges, other.edges);
  }

  /** The history as plain data, sorted by key. */
  export(): CodeHistory {
    const out: Record<string, number> = {};
    for (const key of [...this.best.keys()].sort(order)) out[key] = this.best.get(key)!;
    return out;
  }

  /** Edges ever hit. */
  covered(): number {
    return this.best.size;
  }

  /** Hit-count classes reached, summed over edges (an edge at class 8 has reached 1, 2, 4 and 8). */
  classes(): number {
    let n = 0;
    for (const value of this.best.values()) n += CLASS_VALUE.indexOf(value as never) + 1;
    return n;
  }
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

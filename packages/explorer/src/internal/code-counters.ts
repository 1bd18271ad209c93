// The worker's side of code-edge coverage: istanbul's counters of the instrumented modules
// (functions and branch arms are the edges; statements add nothing a branch does not), zeroed
// before each timeline and read after it. While the timeline runs, every live assertion call
// checks the edges that could still become new, so a new edge is anchored at the first call
// after it: that is where a child splits.
import type { TimelinePosition } from "@moonpool/sim";
import { type CodeHistory, type CodeHit, hitClass, hitsAbove } from "./code-edges.ts";

type Counts = Record<string, number>;
interface FileCounters {
  readonly s: Counts;
  readonly f: Counts;
  readonly b: Record<string, number[]>;
}

interface Edge {
  readonly key: string;
  readonly holder: number[];
  /** Index into `holder` (istanbul's function counters are objects keyed "0", "1", ...: elements). */
  readonly slot: number;
}

/** The counters of one worker's instrumented modules. */
export class CodeCounters {
  private readonly root: string;
  private readonly variable: string;
  private edges: Edge[] = [];
  private files = -1;
  private thresholds = new Float64Array(0);
  private thresholdsOf: CodeHistory | undefined;
  private pending: number[] = [];
  private firstCount = new Int32Array(0);
  private firstOrdinal = new Int32Array(0);

  /** `root`: the folder (absolute path, ending with "/") the edge keys are relative to. */
  constructor(root: string, variable: string) {
    this.root = root;
    this.variable = variable;
  }

  /** Edges of the modules instrumented so far. */
  get size(): number {
    return this.edges.length;
  }

  /** Zeroes every counter and arms the novelty check against `history`; call before a timeline. */
  begin(history: CodeHistory): void {
    this.refresh();
    if (this.thresholdsOf !== history || this.thresholds.length !== this.edges.length) {
      this.thresholds = new Float64Array(this.edges.length);
      for (const [i, e] of this.edges.entries()) this.thresholds[i] = hitsAbove(history[e.key] ?? 0);
      this.thresholdsOf = history;
    }
    for (const file of this.counters()) {
      zero(file.s);
      zero(file.f);
      for (const arms of Object.values(file.b)) arms.fill(0);
    }
    this.pending = [];
    for (let i = 0; i < this.edges.length; i++) {
      if (this.thresholds[i] !== Number.POSITIVE_INFINITY) this.pending.push(i);
    }
    this.firstCount = new Int32Array(this.edges.length).fill(-1);
    this.firstOrdinal = new Int32Array(this.edges.length);
  }

  /** A live assertion call: edges that just went above the history are anchored here. */
  onCall(at: TimelinePosition): void {
    const pending = this.pending;
    for (let k = pending.length - 1; k >= 0; k--) {
      const i = pending[k]!;
      const e = this.edges[i]!;
      if (e.holder[e.slot]! >= this.thresholds[i]!) {
        this.firstCount[i] = at.count;
        this.firstOrdinal[i] = at.ordinal;
        pending[k] = pending[pending.length - 1]!;
        pending.pop();
      }
    }
  }

  /** The timeline's edges above the history, with where each became so. */
  finish(): CodeHit[] {
    const out: CodeHit[] = [];
    for (const [i, e] of this.edges.entries()) {
      const hits = e.holder[e.slot]!;
      if (hits < this.thresholds[i]!) continue;
      const at = this.firstCount[i]!;
      out.push(
        at >= 0
          ? { key: e.key, hitClass: hitClass(hits), count: at, ordinal: this.firstOrdinal[i]! }
          : { key: e.key, hitClass: hitClass(hits) },
      );
    }
    return out;
  }

  private counters(): FileCounters[] {
    const all = (globalThis as Record<string, unknown>)[this.variable] as
      | Record<string, FileCounters>
      | undefined;
    return all === undefined ? [] : Object.values(all);
  }

  // Modules may load late (a dynamic import): the edge table follows, sorted so every worker
  // numbers the same edges the same way.
  private refresh(): void {
    const all = ((globalThis as Record<string, unknown>)[this.variable] ?? {}) as Record<
      string,
      FileCounters
    >;
    const paths = Object.keys(all);
    if (paths.length === this.files) return;
    this.files = paths.length;
    const edges: Edge[] = [];
    for (const path of paths) {
      const file = all[path]!;
      const name = path.startsWith(this.root) ? path.slice(this.root.length) : path;
      const functions = file.f as unknown as number[];
      for (const id of Object.keys(file.f)) {
        edges.push({ key: `${name}#f${id}`, holder: functions, slot: Number(id) });
      }
      for (const [id, arms] of Object.entries(file.b)) {
        for (let arm = 0; arm < arms.length; arm++) {
          edges.push({ key: `${name}#b${id}.${arm}`, holder: arms, slot: arm });
        }
      }
    }
    edges.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.edges = edges;
    this.thresholdsOf = undefined;
  }
}

function zero(counts: Counts): void {
  for (const k in counts) counts[k] = 0;
}

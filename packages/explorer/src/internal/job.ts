// Running one exploration job (a timeline) where the simulation lives, in-process or in a
// worker: start the assertion table from the campaign's coverage, run the timeline, journal
// its discoveries (coalesced per state), and hand back its result as plain data.
import {
  type AssertionDiscovery,
  type AssertionState,
  exportAssertionState,
  mergeAssertionState,
  resetAssertions,
} from "@moonpool/assertions";
import type { TimelinePosition, TimelineRun } from "@moonpool/sim";
import type { SplitPoint } from "../recipe.ts";
import type { CodeCounters } from "./code-counters.ts";
import type { CodeHistory, CodeHit } from "./code-edges.ts";
import { type JournalEvent, priorityOf, stateKey, timelineDelta } from "./coverage.ts";

/** Most journal entries a timeline keeps (moonpool's bound); the weakest is evicted when full. */
export const JOURNAL_CAPACITY = 256;

/** A timeline to run. */
export interface Job {
  /** Position of the job in its root seed's sequence (results are applied in this order). */
  readonly id: number;
  readonly seed: number;
  readonly recipe: readonly SplitPoint[];
}

/** What a job produced. */
export interface JobResult {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly kind?: string;
  readonly traceHash: string;
  readonly draws: number;
  readonly prefixDraws: number;
  readonly live: boolean;
  readonly journal: JournalEvent[];
  /** Journal entries dropped because it was full. */
  readonly journalOverflow: number;
  /** What the timeline added to the coverage it started from. */
  readonly delta: AssertionState;
  /** Code edges above the history it started from (with code-edge coverage on). */
  readonly code?: CodeHit[];
  /** Edges of the instrumented modules (with code-edge coverage on). */
  readonly codeEdges?: number;
}

/** Code-edge coverage of a job: the worker's counters and the history its wave starts from. */
export interface JobCode {
  readonly counters: CodeCounters;
  readonly history: CodeHistory;
}

/** Runs `job` with `run`, starting from `preload` (the campaign's coverage) and `code`'s history. */
export async function runJob(
  run: TimelineRun,
  job: Job,
  preload: AssertionState,
  code?: JobCode,
): Promise<JobResult> {
  resetAssertions();
  mergeAssertionState(preload);
  // The merge counted the preload; what it reports back is what we sent: start the delta from here.
  const start = exportAssertionState();
  const journal = new Journal();
  const onDiscovery = (d: AssertionDiscovery, at: TimelinePosition) => journal.add(d, at);
  let t: Awaited<ReturnType<TimelineRun>>;
  if (code === undefined) t = await run(job.seed, job.recipe, { onDiscovery });
  else {
    const counters = code.counters;
    counters.begin(code.history);
    t = await run(job.seed, job.recipe, { onDiscovery, onCall: (at) => counters.onCall(at) });
  }
  const delta = timelineDelta(exportAssertionState(), start);
  return {
    id: job.id,
    ok: t.ok,
    ...(t.error !== undefined ? { error: t.error } : {}),
    ...(t.kind !== undefined ? { kind: t.kind } : {}),
    traceHash: t.traceHash,
    draws: t.draws,
    prefixDraws: t.prefixDraws,
    live: t.live,
    journal: journal.events(),
    journalOverflow: journal.overflow,
    delta,
    ...(code !== undefined ? { code: code.counters.finish(), codeEdges: code.counters.size } : {}),
  };
}

/** A timeline's discoveries, one entry per state (its latest, strongest event). */
class Journal {
  private readonly byKey = new Map<string, JournalEvent>();
  private seq = 0;
  overflow = 0;

  add(d: AssertionDiscovery, at: TimelinePosition): void {
    if (d.repeat === true) return;
    const key = stateKey(d.message, d.bucket);
    const e: JournalEvent = {
      key,
      message: d.message,
      kind: d.kind as JournalEvent["kind"],
      ...(d.bucket !== undefined ? { bucket: d.bucket } : {}),
      reason: d.reason,
      priority: priorityOf(d.reason),
      count: at.count,
      ordinal: at.ordinal,
      seq: this.seq++,
      ...(d.value !== undefined ? { value: d.value } : {}),
      ...(d.quality !== undefined ? { quality: d.quality } : {}),
    };
    const old = this.byKey.get(key);
    if (old !== undefined) {
      // Later events of a state are as strong or stronger (a first hit, then a better watermark).
      this.byKey.set(key, e.priority >= old.priority ? e : { ...old });
      return;
    }
    if (this.byKey.size < JOURNAL_CAPACITY) {
      this.byKey.set(key, e);
      return;
    }
    this.overflow++;
    let weakest: JournalEvent | undefined;
    for (const x of this.byKey.values()) {
      if (weakest === undefined || x.priority < weakest.priority) weakest = x;
    }
    if (weakest !== undefined && weakest.priority < e.priority) {
      this.byKey.delete(weakest.key);
      this.byKey.set(key, e);
    }
  }

  events(): JournalEvent[] {
    return [...this.byKey.values()].sort((a, b) => a.seq - b.seq);
  }
}

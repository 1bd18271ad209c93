/**
 * Timelines: one seed of a simulation re-executed with a recipe of split points, for
 * multiverse exploration without fork(). A split point reseeds the counted stream after `count`
 * draws of its segment and, when it carries the `ordinal` of the assertion call that split, the
 * timeline goes live exactly after that call: until then (the prefix, which the parent already
 * ran) every assertion call is skipped, so nothing is counted twice, while every state mutation
 * still runs. Calls after the split call, even before the next draw, belong to the child.
 *
 * @example
 * ```ts
 * const run = timelineRunner(builder);
 * const t = await run(7, [{ count: 12, ordinal: 3, seed: 99 }], {
 *   onDiscovery: (d, at) => console.log(d.message, at), // at: where a child would split
 * });
 * ```
 */
import { type AssertionDiscovery, setAssertionGate } from "@moonpool/assertions";
import { InvalidArgumentError } from "@moonpool/core";
import type { ReseedPoint, SimKernel } from "../engine/kernel.ts";
import type { SimulationBuilder } from "./builder.ts";
import { claimActiveSimulation } from "./internal/active.ts";
import { installSeedAssertionHooks } from "./internal/assertions-glue.ts";
import { loadRunSeed } from "./internal/executor.ts";
import { runPlanSeed } from "./internal/seed.ts";
import { checkSeed } from "./internal/seeds.ts";

/** A split point of a timeline: a reseed point, optionally pinned to an assertion call. */
export interface TimelinePoint extends ReseedPoint {
  /**
   * Assertion calls of the segment up to and including the call that split (1-based). Without
   * it (a `count@seed` recipe from text) the timeline goes live at the first assertion call
   * after the reseed took effect.
   */
  readonly ordinal?: number;
}

/** Where a timeline is when an assertion call happens: the split point a child would take. */
export interface TimelinePosition {
  /** Draws of the counted stream since the current segment started. */
  readonly count: number;
  /** Assertion calls of the current segment so far, this one included. */
  readonly ordinal: number;
}

/** What a timeline run reports to its caller while it runs. */
export interface TimelineObserver {
  /** A discovery made while live, with the position of the assertion call that made it. */
  onDiscovery?(d: AssertionDiscovery, at: TimelinePosition): void;
  /** Called once, when the timeline goes live (immediately for an empty recipe). */
  onLive?(): void;
  /**
   * Called at every live assertion call, before it is evaluated, with the split point a child
   * would take there (the explorer's code-edge coverage anchors its splits with it).
   */
  onCall?(at: TimelinePosition): void;
}

/** The outcome of one timeline. */
export interface TimelineResult {
  readonly seed: number;
  readonly ok: boolean;
  /** The failure's message (names the seed), when it failed. */
  readonly error?: string;
  /** Kind of failure when known ("assertion", "deadlock", "wall-budget", ...). */
  readonly kind?: string;
  readonly traceHash: string;
  readonly events: number;
  readonly simulatedMs: number;
  /** Draws of the counted stream in the whole timeline. */
  readonly draws: number;
  /** Draws taken before the timeline went live (the replayed prefix). */
  readonly prefixDraws: number;
  /** False when the run ended before its last split point (the recipe does not fit it). */
  readonly live: boolean;
}

/** Options of {@link timelineRunner}. */
export interface TimelineRunnerOptions {
  /** Wall-clock budget of one timeline in ms (default 60 s). */
  readonly wallMs?: number;
}

/** Runs timelines of one simulation. */
export type TimelineRun = (
  seed: number,
  points: readonly TimelinePoint[],
  observer?: TimelineObserver,
) => Promise<TimelineResult>;

/**
 * A function running timelines of `builder`'s simulation in this process, one at a time (each
 * claims the process's single simulation slot while it runs). The builder is only read.
 */
export function timelineRunner(builder: SimulationBuilder, options: TimelineRunnerOptions = {}): TimelineRun {
  const plan = builder.plan();
  const runSeed = loadRunSeed();
  const wallMs = options.wallMs ?? 60_000;
  return async (seed, points, observer = {}) => {
    checkSeed("timeline(seed)", seed);
    const checked = checkPoints(points);
    const gate = new TimelineGate(checked, observer);
    const release = claimActiveSimulation(`timeline ${seed}`);
    try {
      const run = await runPlanSeed(runSeed, plan, seed, { wallMs, reseeds: checked }, [
        (kernel) => {
          const removeHooks = installSeedAssertionHooks(
            kernel,
            observer.onDiscovery === undefined ? undefined : (d) => gate.discovered(d),
          );
          gate.attach(kernel);
          setAssertionGate((kind) => gate.pass(kind));
          return () => {
            setAssertionGate(null);
            removeHooks();
          };
        },
      ]);
      const r = run.record;
      return {
        seed,
        ok: r.ok,
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.kind !== undefined ? { kind: r.kind } : {}),
        traceHash: r.traceHash,
        events: r.events,
        simulatedMs: r.simulatedMs,
        draws: gate.draws(),
        prefixDraws: gate.prefixDraws,
        live: gate.isLive,
      };
    } finally {
      release();
    }
  };
}

function checkPoints(points: readonly TimelinePoint[]): TimelinePoint[] {
  if (!Array.isArray(points))
    throw new InvalidArgumentError("timeline(points)", "expected an array of split points");
  return points.map((p, i) => {
    for (const field of ["count", "seed", "ordinal"] as const) {
      const v = (p as unknown as Record<string, unknown> | null)?.[field];
      if (field === "ordinal" && v === undefined) continue;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < (field === "ordinal" ? 1 : 0)) {
        throw new InvalidArgumentError(
          `timeline(points[${i}].${field})`,
          `expected a ${field === "ordinal" ? "positive" : "non-negative"} safe integer, got ${String(v)}`,
        );
      }
    }
    return p.ordinal === undefined
      ? { count: p.count, seed: p.seed }
      : { count: p.count, ordinal: p.ordinal, seed: p.seed };
  });
}

/** Counts assertion calls per segment and decides which belong to the replayed prefix. */
class TimelineGate {
  private kernel: SimKernel | null = null;
  private next = 0;
  private segmentStart = 0;
  private ordinal = 0;
  prefixDraws = 0;
  isLive: boolean;

  private readonly points: readonly TimelinePoint[];
  private readonly observer: TimelineObserver;

  constructor(points: readonly TimelinePoint[], observer: TimelineObserver) {
    this.points = points;
    this.observer = observer;
    this.isLive = points.length === 0;
  }

  attach(kernel: SimKernel): void {
    this.kernel = kernel;
    if (this.isLive) this.observer.onLive?.();
  }

  draws(): number {
    return this.kernel?.random.draws ?? 0;
  }

  /** The gate: true when the call counts (live), false in the prefix. */
  pass(_kind: string): boolean {
    this.ordinal++;
    while (!this.isLive) {
      const p = this.points[this.next]!;
      const since = this.draws() - this.segmentStart;
      if (p.ordinal !== undefined) {
        // The split call itself is the parent's; the child starts right after it.
        if (since === p.count && this.ordinal === p.ordinal) {
          this.advance(p);
          return false;
        }
        if (since < p.count || (since === p.count && this.ordinal < p.ordinal)) return false;
        // Past the point without meeting it (the run diverged from the recipe): this call
        // starts the next segment rather than the timeline never going live.
      } else if (since <= p.count) return false;
      this.advance(p);
      this.ordinal = 1;
    }
    this.observer.onCall?.({ count: this.draws() - this.segmentStart, ordinal: this.ordinal });
    return true;
  }

  private advance(p: TimelinePoint): void {
    this.segmentStart += p.count;
    this.ordinal = 0;
    this.next++;
    if (this.next === this.points.length) {
      this.isLive = true;
      this.prefixDraws = this.segmentStart;
      this.observer.onLive?.();
    }
  }

  discovered(d: AssertionDiscovery): void {
    if (!this.isLive) return;
    this.observer.onDiscovery?.(d, { count: this.draws() - this.segmentStart, ordinal: this.ordinal });
  }
}

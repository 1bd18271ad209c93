// The seam between the executor and everything simulated on top of it (network, storage,
// runner). The executor implements `SimKernel`; simulated devices only use this interface, so
// they never touch the scheduler's internals and can be unit-tested against a small fake.
import type { RandomProvider } from "@moonpool/core";

/** Scalar fields of a trace event; bigints are written as decimal strings in JSON. */
export type TraceFields = Record<string, string | number | boolean | bigint>;

/** A scheduled engine event that can be cancelled; a cancelled event leaves the queue. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * A promise that only the scheduler resolves. A device calls `wake`/`fail` when the awaited
 * condition holds; the waiter becomes *ready*, and the scheduler picks among ready waiters with
 * the seeded scheduling stream, so the order in which simultaneously woken tasks resume is a
 * function of the seed.
 */
export interface Waker<T> {
  readonly promise: Promise<T>;
  /** True once `wake` or `fail` was called (later calls are ignored). */
  readonly settled: boolean;
  wake(value: T): void;
  fail(error: unknown): void;
}

/** The counted main random stream of a seed, with reseed breakpoints for exploration. */
export interface SimRandom extends RandomProvider {
  /** Number of draws taken from the counted stream so far in this seed. */
  readonly draws: number;
}

/** What the executor offers to simulated devices and the runner, one instance per seed. */
export interface SimKernel {
  readonly seed: number;
  /** Virtual time in integer nanoseconds. */
  nowNs(): number;
  /** Virtual time in milliseconds. */
  nowMs(): number;
  /** Runs `fn` as an engine event `delayMs` from now (ordered by time, then sequence). */
  schedule(delayMs: number, label: string, fn: () => void): TimerHandle;
  /** A new scheduler-resolved promise; `label` says what it waits for (hang dumps show it). */
  waker<T>(label: string): Waker<T>;
  /** The counted main stream: every in-run random decision comes from it. */
  readonly random: SimRandom;
  /** Records an engine/device event in the seed's trace (and its traceHash). */
  trace(source: string, name: string, fields?: TraceFields): void;
  /** Registers cleanup to run when the seed ends (pass or fail). */
  onSeedEnd(cleanup: () => void): void;
  /** Fails the current seed with `error` (the run stops at the next scheduling point). */
  fail(error: unknown): void;
}

// The seam between the executor and everything simulated on top of it (network, storage,
// runner). The executor implements `SimKernel`; simulated devices only use this interface, so
// they never touch the scheduler's internals and can be unit-tested against a small fake.
import type { RandomProvider, TaskProvider, TimeProvider } from "@moonpool/core";
import type { DeviceOwner } from "./device-owner.ts";

export type { DeviceOwner } from "./device-owner.ts";

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
  /** Draws taken since the last reseed point applied (equals `draws` before any reseed). */
  readonly drawsSinceReseed: number;
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
  /**
   * A non-blocking completion (buffered read, write with window space, namespace op): resolves
   * with `value` at once, but counts toward the busy-task bound (a loop on a fast path that never
   * blocks fails the seed as "busy") and, with `scheduling.fastPathYield`, is sometimes resumed
   * through the scheduler instead. Optional so small fake kernels need not offer it; devices call
   * it through `completeNow` (engine/fast-path.ts).
   */
  fastPath?<T>(label: string, value: T): Promise<T>;
  /** Records an engine/device event in the seed's trace (and its traceHash). */
  trace(source: string, name: string, fields?: TraceFields): void;
  /** Registers cleanup to run when the seed ends (pass or fail). */
  onSeedEnd(cleanup: () => void): void;
  /** Fails the current seed with `error` (the run stops at the next scheduling point). */
  fail(error: unknown): void;
  /** Uncounted stream for swarm configuration (never shifts the main stream's draw count). */
  readonly swarmRandom: RandomProvider;
  /** Every live task of every actor with what it awaits (hang dumps). */
  liveTasks(): { actor: string; task: string; awaiting: string }[];
}

// ---------------------------------------------------------------------------------------------
// Runner-facing part: how the runner drives one seed. The executor owns the event loop; the
// runner owns processes, workloads, faults, invariants and the report.

/** A group of tasks belonging to one process or workload (killed together on reboot). */
export interface ActorScope {
  readonly name: string;
  readonly ip: string;
  /** Time as this actor sees it (`timer()` includes its own clock drift). */
  readonly time: TimeProvider;
  /** Spawns tasks inside this actor. */
  readonly task: TaskProvider;
  /** Random draws from the counted main stream. */
  readonly random: SimRandom;
  /**
   * What devices act for (sockets, listeners, files created through this actor's providers):
   * the events, wakers and callbacks they schedule for it die with it.
   */
  readonly owner: DeviceOwner;
  /** True once killed: its providers park (or refuse) and its device work is dropped. */
  readonly killed: boolean;
  /** Kills every task of this actor now: they are never resumed again; their joins reject. */
  kill(reason: string): void;
  /** Live tasks of this actor with what each awaits (for hang dumps). */
  liveTasks(): { name: string; awaiting: string }[];
  /**
   * What `node:net` means inside this actor while a seed drains (built on first use by the
   * runner's factory): libraries that call `net.connect` reach the simulated network from here.
   */
  nodeNet: (() => object) | null;
}

/** A reseed breakpoint: when the counted stream reaches `count` draws, reseed it with `seed`. */
export interface ReseedPoint {
  readonly count: number;
  readonly seed: number;
}

/** Per-seed limits; exceeding one fails the seed with a dump of live tasks. */
export interface SeedBudgets {
  /** Virtual-time budget in ms (self-re-arming timers); default 1 h. */
  readonly virtualMs: number;
  /** Wall-clock budget in ms, checked at every real yield. */
  readonly wallMs: number;
  /**
   * Maximum wakes (and, separately, engine events) at one virtual instant, fast-path
   * completions included (busy task, self-re-arming immediates).
   */
  readonly wakesPerInstant: number;
}

/**
 * How the scheduler picks among ready tasks (optional: the default, a uniform seeded draw, is
 * what existing seeds' traces were recorded with).
 */
export interface SchedulingOptions {
  /**
   * PCT (probabilistic concurrency testing, Burckhardt et al., ASPLOS 2010): every task gets a
   * random priority, the highest-priority ready task always runs, and at `depth - 1` random steps
   * among the first `steps` the running task drops below every other. For a program of n tasks
   * and k steps, any bug that needs at most `depth` ordering constraints is hit by a seed with
   * probability at least 1 / (n * k^(depth - 1)).
   */
  readonly pct?: { readonly depth: number; readonly steps: number };
  /**
   * Probability in [0, 1] that a non-blocking fast path (buffered read, write with window space,
   * notify with a permit, queue with items, free mutex, namespace op) yields through the
   * scheduler instead of completing at once, so other ready tasks may run first. Each such yield
   * is an extra scheduling point: a race needing one preemption at one of m fast paths is found
   * with probability about p per fast path, 1 - (1 - p)^m overall, times the draw's share.
   */
  readonly fastPathYield?: number;
}

/** A seed's time zone and default locale unless the simulation asks for others. */
export const DEFAULT_TIME_ZONE = "UTC";
export const DEFAULT_LOCALE = "en-US";

/** How the runner asks the executor to run one seed. */
export interface SeedRunOptions {
  readonly seed: number;
  readonly hermetic: boolean | "strict";
  readonly reseeds?: readonly ReseedPoint[];
  readonly budgets: SeedBudgets;
  /** Scheduling policy (default: uniform seeded draws, fast paths never yield). */
  readonly scheduling?: SchedulingOptions;
  /**
   * Called when nothing is ready and no event is queued while `main` has not settled. Return
   * true if it did something that may unblock progress (e.g. aborted shutdown signals); false
   * means the seed is deadlocked.
   */
  onQuiescent(): boolean;
  /**
   * Called when nothing is ready and only unref'd timers are queued (they keep nothing alive, as
   * in Node). Return true if it woke a task waiting for the seed to settle; false lets the timers
   * fire as usual.
   */
  onIdle?(): boolean;
  /** Receives every `kernel.trace` call (devices' and the runner's), stamped with virtual time. */
  onTrace(event: { timeMs: number; source: string; name: string; fields?: TraceFields }): void;
  /** Called after each processed engine event (the runner checks invariants here). */
  afterEvent?(): void;
  /** Also send actors' console lines to `onTrace` (name "console", fields `{level, message}`). */
  readonly consoleToTrace?: boolean;
  /** The seed's time zone (process TZ) in hermetic mode; default "UTC", whatever the host's. */
  readonly timeZone?: string;
  /** The seed's default locale (Intl, toLocale*) in hermetic mode; default "en-US". */
  readonly locale?: string;
}

/** What one seed produced, as the executor sees it. */
export interface SeedOutcome {
  readonly ok: boolean;
  /** The failure (task error, assertion, hang, leak), with a message that names the seed. */
  readonly error?: Error;
  readonly events: number;
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly draws: number;
  /**
   * Digest (16 hex digits) of the engine events of the seed (kind, virtual time, actor id, task
   * id, draw count): the same seed gives the same hash alone or after other seeds in a process.
   */
  readonly engineHash: string;
}

/** Creates the actors of a seed; passed to the runner's `main`. */
export interface ActorFactory {
  /** A new actor scope; `driftMs` bounds its clock drift (0 = none). */
  createActor(name: string, ip: string, options?: { driftMs?: number }): ActorScope;
}

/**
 * The executor entry point (implemented in `engine/executor.ts`): runs `main` as the root of a
 * seed and drains the simulated world until `main` settles or the seed fails.
 */
export type RunSeed = (
  options: SeedRunOptions,
  main: (kernel: SimKernel, actors: ActorFactory) => Promise<void>,
) => Promise<SeedOutcome>;

/**
 * Tasks: named concurrent activities with cooperative cancellation through an `AbortSignal`.
 * In simulation every task is scheduled by the seeded executor and killed at the end of a seed.
 */
export interface TaskProvider {
  /** Starts `fn` as a named task; `signal` aborts when the task is aborted or killed. */
  spawn<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): TaskHandle<T>;
  /** Lets other ready tasks run before this one continues. */
  yieldNow(): Promise<void>;
  /**
   * Resolves with the first settled branch and aborts the others. When several are ready at the
   * same moment the winner is drawn at random (seeded in simulation); `Promise.race` always picks
   * the first listed. A branch that rejects first makes `select` reject with its error.
   */
  select<T>(branches: readonly ((signal: AbortSignal) => Promise<T>)[]): Promise<{ index: number; value: T }>;
  /**
   * A promise one task settles for another (a queue item, a notification, a lock). In
   * simulation the waiter then resumes when the scheduler draws it among the ready tasks, so
   * hand-offs are interleaving points the seed explores; on the real loop a plain promise.
   * Optional: `Notify`, `AsyncQueue` and `Mutex` fall back to plain promises without it.
   */
  handoff?<T>(label: string): Handoff<T>;
}

/** A promise and the functions that settle it (see `TaskProvider.handoff`). */
export interface Handoff<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A plain-promise `Handoff` (what real providers give). */
export function plainHandoff<T>(): Handoff<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A spawned task. */
export interface TaskHandle<T> {
  readonly name: string;
  /** True once the task settled (returned, threw or was cancelled). */
  readonly finished: boolean;
  /** The task's value; rejects with `TaskCancelledError` or with the task's own error. */
  join(): Promise<T>;
  /** Aborts the task's signal, in both worlds. */
  abort(): void;
}

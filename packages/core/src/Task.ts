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

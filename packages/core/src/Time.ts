/**
 * Time: the clock and timers a service sees. Real implementations use the monotonic clock; the
 * simulator uses virtual time that jumps straight to the next event.
 *
 * @example
 * ```ts
 * async function heartbeat(time: TimeProvider, signal: AbortSignal) {
 *   while (!signal.aborted) {
 *     await time.sleep(1_000, signal).catch(() => {});
 *     console.log("alive at", time.now());
 *   }
 * }
 * ```
 */
export interface TimeProvider {
  /** Milliseconds since the start of the run (virtual in simulation). */
  now(): number;
  /** `now()` plus this process's clock drift; never less than `now()`. */
  timer(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with the signal's reason when `signal` aborts; a
   * cancelled timer leaves no event behind. `ms` must be a finite, non-negative number.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Races `work` against a timer of `ms`. Rejects with `TimeoutError` (and aborts the signal
   * given to `work`) when the timer fires first; if both are ready at once, the work wins.
   */
  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T>;
  /**
   * Optional: calls `fn` after `ms` milliseconds unless the returned function is called first.
   * The cheap form of `sleep(ms, signal)` for timers that are nearly always cancelled (an RPC
   * timeout): no promise and no signal. A provider whose timers are scheduling points (the
   * simulator) leaves it out, and callers then use `sleep`. `ms` as for `sleep`.
   */
  callAfter?(ms: number, fn: () => void): () => void;
}

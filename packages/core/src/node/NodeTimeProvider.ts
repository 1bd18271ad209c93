import { performance } from "node:perf_hooks";
import { InvalidArgumentError, TimeoutError } from "../errors.ts";
import type { TimeProvider } from "../Time.ts";
import { checkDuration } from "../validate.ts";
import { startTimer } from "./internal/longTimer.ts";

/**
 * Real time on the monotonic clock (`performance.now()`), counted from the moment the provider
 * was created. There is no clock drift outside a simulation, so `timer() === now()`.
 *
 * @example
 * ```ts
 * const time = new NodeTimeProvider();
 * await time.sleep(10);
 * time.now(); // >= 10
 * ```
 */
export class NodeTimeProvider implements TimeProvider {
  readonly #origin = performance.now();

  now(): number {
    return performance.now() - this.#origin;
  }

  timer(): number {
    return this.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      checkDuration("ms", ms);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = startTimer(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  callAfter(ms: number, fn: () => void): () => void {
    checkDuration("ms", ms);
    if (typeof fn !== "function")
      throw new InvalidArgumentError("fn", `expected a function, got ${typeof fn}`);
    return startTimer(ms, fn);
  }

  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T> {
    const controller = new AbortController();
    let pending: Promise<T>;
    try {
      checkDuration("ms", ms);
      pending = typeof work === "function" ? work(controller.signal) : work;
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      // A work that settled before the timer callback runs has already won: its reaction was
      // queued as a microtask, which runs before any timer macrotask.
      const cancel = startTimer(ms, () => {
        if (settled) return;
        settled = true;
        const error = new TimeoutError(ms);
        controller.abort(error);
        reject(error);
      });
      Promise.resolve(pending).then(
        (value) => {
          if (settled) return;
          settled = true;
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          cancel();
          reject(error);
        },
      );
    });
  }
}

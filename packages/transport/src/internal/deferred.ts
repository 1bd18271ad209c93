import { type Handoff, plainHandoff } from "@moonpool/core";

/** A promise with its resolve/reject functions (core's plain hand-off). */
export type Deferred<T> = Handoff<T>;

export const deferred: <T>() => Deferred<T> = plainHandoff;

/** Swallows a rejection so an abandoned promise does not become an unhandled rejection. */
export function ignoreRejection(promise: Promise<unknown>): void {
  promise.catch(() => {});
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The reason used to abort internal helper signals (timers, watchers) once they are no longer
 * needed: one shared object, because `abort()` without a reason builds a DOMException with a
 * stack trace on every call.
 */
export const DONE: unknown = Object.freeze({ name: "Done", message: "no longer needed" });

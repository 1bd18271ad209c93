import { deferred } from "./deferred.ts";

/**
 * A wake-up signal with a permit: `notify()` with nobody waiting leaves one permit, so the next
 * `notified()` returns at once and a wake is never lost (tokio's `notify_one`).
 */
export class Notify {
  #permit = false;
  #waiter: ((woken: boolean) => void) | null = null;

  notify(): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      waiter(true);
    } else {
      this.#permit = true;
    }
  }

  /** Resolves on the next notify (or the stored permit); rejects when `signal` aborts. */
  notified(signal?: AbortSignal): Promise<void> {
    if (this.#permit) {
      this.#permit = false;
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const d = deferred<void>();
    const onAbort = () => {
      if (this.#waiter === wake) this.#waiter = null;
      d.reject(signal?.reason);
    };
    const wake = () => {
      signal?.removeEventListener("abort", onAbort);
      d.resolve();
    };
    this.#waiter = wake;
    signal?.addEventListener("abort", onAbort, { once: true });
    return d.promise;
  }
}

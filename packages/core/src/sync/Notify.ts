import { type Handoff, plainHandoff, type TaskProvider } from "../Task.ts";

/**
 * A wake-up signal with a permit: `notify()` with nobody waiting leaves one permit, so the next
 * `notified()` returns at once and a wake is never lost (tokio's `notify_one`).
 */
export class Notify {
  readonly #tasks: Pick<TaskProvider, "handoff"> | undefined;
  #permit = false;
  #waiter: ((woken: boolean) => void) | null = null;

  /** With `tasks` (a simulated TaskProvider), a wake resumes the waiter through the scheduler. */
  constructor(tasks?: Pick<TaskProvider, "handoff">) {
    this.#tasks = tasks;
  }

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
    const d: Handoff<void> = this.#tasks?.handoff?.("notified") ?? plainHandoff<void>();
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

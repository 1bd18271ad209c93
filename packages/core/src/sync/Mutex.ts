import { type Handoff, plainHandoff, type TaskProvider } from "../Task.ts";
import { Deque } from "./Deque.ts";

/**
 * A FIFO async lock. `lock()` resolves with a release function once the lock is held; with a
 * simulated TaskProvider the next holder resumes through the scheduler (an interleaving point).
 *
 * ```ts
 * const mutex = new Mutex(ctx.task);
 * await mutex.runExclusive(async () => { balance = (await read()) + 1; await write(balance); });
 * ```
 */
export class Mutex {
  readonly #tasks: Pick<TaskProvider, "handoff"> | undefined;
  readonly #waiters = new Deque<Handoff<() => void>>();
  #locked = false;

  constructor(tasks?: Pick<TaskProvider, "handoff">) {
    this.#tasks = tasks;
  }

  /** True while some holder has the lock. */
  get locked(): boolean {
    return this.#locked;
  }

  /** Resolves with `release` once the lock is ours; rejects when `signal` aborts first. */
  lock(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve(this.#releaser());
    }
    const handoff: Handoff<() => void> = this.#tasks?.handoff?.("mutex.lock") ?? plainHandoff<() => void>();
    let settled = false;
    const waiter: Handoff<() => void> = {
      promise: handoff.promise,
      resolve: (release) => {
        if (settled) return release(); // aborted meanwhile: pass the lock on
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        handoff.resolve(release);
      },
      reject: handoff.reject,
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      handoff.reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#waiters.push(waiter);
    return handoff.promise;
  }

  /** Runs `fn` holding the lock, releasing it however `fn` ends. */
  async runExclusive<T>(fn: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
    const release = await this.lock(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next.resolve(this.#releaser());
      else this.#locked = false;
    };
  }
}

import { type Handoff, plainHandoff, type TaskProvider } from "../Task.ts";
import { Deque } from "./Deque.ts";

/** An unbounded FIFO whose `recv()` waits for an item; `undefined` once closed and drained. */
export class AsyncQueue<T> {
  readonly #tasks: Pick<TaskProvider, "handoff"> | undefined;
  readonly #items = new Deque<T>();
  readonly #waiters = new Deque<(item: T | undefined) => void>();
  #closed = false;

  /** With `tasks` (a simulated TaskProvider), a hand-off resumes the receiver through the scheduler. */
  constructor(tasks?: Pick<TaskProvider, "handoff">) {
    this.#tasks = tasks;
  }

  get length(): number {
    return this.#items.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item; returns false (and drops it) when the queue is closed. */
  push(item: T): boolean {
    if (this.#closed) return false;
    const waiter = this.#waiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
    return true;
  }

  tryRecv(): T | undefined {
    return this.#items.shift();
  }

  /** The next item; `undefined` when closed and empty; rejects if `signal` aborts first. */
  recv(signal?: AbortSignal): Promise<T | undefined> {
    const item = this.#items.shift();
    if (item !== undefined || this.#closed) return Promise.resolve(item);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const d: Handoff<T | undefined> = this.#tasks?.handoff?.("queue.recv") ?? plainHandoff<T | undefined>();
    let done = false;
    const waiter = (value: T | undefined) => {
      if (done) {
        // Aborted earlier: hand the item to the next waiter instead of losing it.
        if (value !== undefined) this.push(value);
        return;
      }
      done = true;
      signal?.removeEventListener("abort", onAbort);
      d.resolve(value);
    };
    const onAbort = () => {
      if (done) return;
      done = true;
      d.reject(signal?.reason);
    };
    this.#waiters.push(waiter);
    signal?.addEventListener("abort", onAbort, { once: true });
    return d.promise;
  }

  /** Closes the queue; waiters get `undefined`; returns the items still queued. */
  close(): T[] {
    if (this.#closed) return [];
    this.#closed = true;
    const rest: T[] = [];
    for (let item = this.#items.shift(); item !== undefined; item = this.#items.shift()) rest.push(item);
    for (let w = this.#waiters.shift(); w; w = this.#waiters.shift()) w(undefined);
    return rest;
  }
}

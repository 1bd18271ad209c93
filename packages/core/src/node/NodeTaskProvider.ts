import { InvalidArgumentError, TaskCancelledError } from "../errors.ts";
import type { TaskHandle, TaskProvider } from "../Task.ts";

/**
 * Tasks on the real event loop. A task is an async function started on the next microtask with
 * its own `AbortSignal`. JavaScript cannot kill a running function, so `abort()` aborts the
 * signal and settles `join()` with `TaskCancelledError` at once; the body should watch its
 * signal and stop. Whatever it returns or throws afterwards is ignored.
 *
 * @example
 * ```ts
 * const tasks = new NodeTaskProvider();
 * const ticker = tasks.spawn("ticker", async (signal) => { while (!signal.aborted) await tick(); });
 * ticker.abort();
 * await ticker.join().catch((e) => e instanceof TaskCancelledError); // true
 * ```
 */
export class NodeTaskProvider implements TaskProvider {
  spawn<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): TaskHandle<T> {
    if (typeof name !== "string") throw new InvalidArgumentError("name", "expected a string");
    if (typeof fn !== "function") throw new InvalidArgumentError("fn", "expected a function");
    return new NodeTaskHandle(name, fn);
  }

  yieldNow(): Promise<void> {
    // setImmediate, not a microtask: I/O callbacks and other tasks' timers get a turn too.
    return new Promise((resolve) => setImmediate(resolve));
  }

  select<T>(
    branches: readonly ((signal: AbortSignal) => Promise<T>)[],
  ): Promise<{ index: number; value: T }> {
    if (!Array.isArray(branches) || branches.length === 0) {
      return Promise.reject(new InvalidArgumentError("branches", "expected a non-empty array of functions"));
    }
    const controllers = branches.map(() => new AbortController());
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (index: number, settle: () => void): void => {
        if (done) return;
        done = true;
        controllers.forEach((c, i) => {
          if (i !== index) c.abort(new TaskCancelledError(`select branch ${i}`, "another branch won"));
        });
        settle();
      };
      branches.forEach((branch, index) => {
        let started: Promise<T>;
        try {
          started = Promise.resolve(branch(controllers[index]!.signal));
        } catch (error) {
          started = Promise.reject(error);
        }
        started.then(
          (value) => finish(index, () => resolve({ index, value })),
          (error: unknown) => finish(index, () => reject(error)),
        );
      });
    });
  }
}

class NodeTaskHandle<T> implements TaskHandle<T> {
  readonly name: string;
  readonly #controller = new AbortController();
  readonly #result: Promise<T>;
  #finished = false;
  #cancel!: (error: TaskCancelledError) => void;

  constructor(name: string, fn: (signal: AbortSignal) => Promise<T>) {
    this.name = name;
    const signal = this.#controller.signal;
    // Started on the next microtask (spawn returns first); a task aborted before then never runs.
    const body = Promise.resolve().then(() => (signal.aborted ? Promise.reject(signal.reason) : fn(signal)));
    const cancelled = new Promise<never>((_, reject) => {
      this.#cancel = reject;
    });
    this.#result = Promise.race([body, cancelled]).finally(() => {
      this.#finished = true;
    });
    // A task nobody joins must not crash the process with an unhandled rejection; its error is
    // still delivered to every join().
    this.#result.catch(() => {});
  }

  get finished(): boolean {
    return this.#finished;
  }

  join(): Promise<T> {
    return this.#result;
  }

  abort(): void {
    if (this.#finished || this.#controller.signal.aborted) return;
    const error = new TaskCancelledError(this.name, "aborted");
    this.#finished = true;
    this.#controller.abort(error);
    this.#cancel(error);
  }
}

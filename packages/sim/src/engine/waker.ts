// The scheduler-resolved promise behind every blocking simulated primitive.
import type { Waker } from "./kernel.ts";
import type { SimTask } from "./task.ts";

/** Receives wakers that became ready. */
export interface ReadySink {
  enqueueReady(w: SimWaker<unknown>): void;
  /** Ready only once every currently ready waker has been resumed (yieldNow rounds). */
  enqueueYielded(w: SimWaker<unknown>): void;
}

/**
 * A promise only the scheduler resolves. `wake`/`fail` mark it ready; the scheduler later picks
 * it (seeded) and settles the promise. A waker owned by a killed task is dropped instead.
 */
export class SimWaker<T> implements Waker<T> {
  readonly promise: Promise<T>;
  readonly label: string;
  /** Optional number shown after the label in dumps (e.g. a sleep's ms), formatted lazily. */
  readonly detail: number | undefined;
  /** The task that waits on it (null for the runner's main or device code outside a task). */
  readonly task: SimTask | null;
  settled = false;
  /** True once the scheduler settled the promise. */
  resumed = false;
  ok = true;
  value: unknown = undefined;
  resolveFn!: (value: T) => void;
  rejectFn!: (error: unknown) => void;
  private sink: ReadySink | null;

  constructor(sink: ReadySink, task: SimTask | null, label: string, detail?: number) {
    this.sink = sink;
    this.task = task;
    this.label = label;
    this.detail = detail;
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    if (task !== null) task.awaiting = this;
  }

  /** The label as hang dumps show it. */
  describe(): string {
    return this.detail === undefined ? this.label : `${this.label} ${this.detail} ms`;
  }

  wake(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.value = value;
    this.sink?.enqueueReady(this as SimWaker<unknown>);
    this.sink = null;
  }

  /** Wakes behind every waker that is ready now (used by `yieldNow`). */
  wakeAfterReady(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.value = value;
    this.sink?.enqueueYielded(this as SimWaker<unknown>);
    this.sink = null;
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.ok = false;
    this.value = error;
    this.sink?.enqueueReady(this as SimWaker<unknown>);
    this.sink = null;
  }

  /** Called by the scheduler only. */
  settle(): void {
    this.resumed = true;
    if (this.ok) this.resolveFn(this.value as T);
    else this.rejectFn(this.value);
  }
}

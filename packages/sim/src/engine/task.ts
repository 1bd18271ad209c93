// A simulated task: a named async activity inside an actor, started and resumed only by the
// scheduler. A killed task is never resumed again: its wakers are dropped and its promise stays
// pending until it is garbage collected.
import type { SimWaker } from "./waker.ts";

/** Where a task is in its life. */
export type TaskState = "queued" | "running" | "done" | "failed" | "cancelled" | "killed";

/** The actor part a task needs (kept minimal to avoid an import cycle). */
export interface TaskOwner {
  readonly id: number;
  readonly name: string;
}

/** Engine-side record of one task. */
export class SimTask {
  readonly id: number;
  readonly name: string;
  readonly actor: TaskOwner;
  /** Created on first use: an AbortController costs more than the rest of a task. */
  private abortController: AbortController | null = null;
  state: TaskState = "queued";
  /** True once killed: wakers owned by this task are never resolved. */
  dead = false;
  /** What the task last started waiting for: a waker (described lazily) or a state. */
  awaiting: { describe(): string; readonly resumed: boolean } | string = "start";

  /** What the task awaits, for hang dumps. */
  describeAwaiting(): string {
    const a = this.awaiting;
    if (typeof a === "string") return a;
    // Resumed since: the task now waits on something the simulation does not resolve.
    return a.resumed ? `a non-simulated promise (last resumed after ${a.describe()})` : a.describe();
  }
  /** Wakers of tasks waiting in `join()`. */
  joiners: SimWaker<unknown>[] = [];
  /** Settled result, for joins after the end. */
  ok = false;
  value: unknown = undefined;

  constructor(id: number, name: string, actor: TaskOwner) {
    this.id = id;
    this.name = name;
    this.actor = actor;
  }

  get finished(): boolean {
    return (
      this.state === "done" ||
      this.state === "failed" ||
      this.state === "cancelled" ||
      this.state === "killed"
    );
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get controller(): AbortController {
    this.abortController ??= new AbortController();
    return this.abortController;
  }

  /** True once the task's signal aborted (without creating a signal nobody asked for). */
  get aborted(): boolean {
    return this.abortController?.signal.aborted === true;
  }
}

// The simulated TaskProvider: tasks started and resumed by the seeded scheduler, cooperative
// abort, joins through scheduler wakes, and `select` with a seeded winner among simultaneously
// ready branches.
import {
  type Handoff,
  InvalidArgumentError,
  TaskCancelledError,
  type TaskHandle,
  type TaskProvider,
} from "@moonpool/core";
import type { SimActor } from "./actor.ts";
import type { QueuedEvent } from "./event-queue.ts";
import type { SimTask } from "./task.ts";
import type { SimWorld } from "./world.ts";

/**
 * What a killed actor's provider returns: a promise that never settles. A task of a killed actor
 * can still run on when a live task resolves a plain promise it awaits (JavaScript cannot cancel
 * a continuation); its next simulated primitive then parks it for good instead of waking it
 * under the live task's ownership.
 */
const NEVER: Promise<never> = new Promise<never>(() => {});

/** Handle of a simulated task. */
class SimTaskHandle<T> implements TaskHandle<T> {
  private readonly world: SimWorld;
  private readonly task: SimTask;

  constructor(world: SimWorld, task: SimTask) {
    this.world = world;
    this.task = task;
  }

  get name(): string {
    return this.task.name;
  }

  get finished(): boolean {
    return this.task.finished;
  }

  join(): Promise<T> {
    const world = this.world;
    world.checkLive("task.join");
    const task = this.task;
    const w = world.wakerFor<T>(world.current, `join "${task.name}"`);
    if (!task.finished) task.joiners.push(w as never);
    else if (task.state === "done") w.wake(task.value as T);
    else w.fail(task.value);
    return w.promise;
  }

  abort(): void {
    if (this.task.finished) return;
    this.task.controller.abort(new TaskCancelledError(this.task.name, "aborted"));
  }
}

/** Simulated tasks for one actor. */
export class SimTaskProvider implements TaskProvider {
  private readonly world: SimWorld;
  private readonly actor: SimActor;

  constructor(world: SimWorld, actor: SimActor) {
    this.world = world;
    this.actor = actor;
  }

  spawn<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): TaskHandle<T> {
    if (typeof name !== "string")
      throw new InvalidArgumentError("spawn(name)", `expected a string, got ${typeof name}`);
    if (typeof fn !== "function")
      throw new InvalidArgumentError("spawn(fn)", `expected a function, got ${typeof fn}`);
    this.world.checkLive("task.spawn");
    if (this.actor.killed) throw new Error(`cannot spawn "${name}": actor "${this.actor.name}" was killed`);
    return new SimTaskHandle<T>(this.world, this.world.spawnTask(this.actor, name, fn));
  }

  handoff<T>(label: string): Handoff<T> {
    const world = this.world;
    world.checkLive("task.handoff");
    if (this.actor.killed) return { promise: NEVER, resolve() {}, reject() {} };
    // Owned by the waiting task: settling it makes that task ready; the scheduler draws when.
    const w = world.wakerFor<T>(world.current, label);
    return { promise: w.promise, resolve: (value) => w.wake(value), reject: (error) => w.fail(error) };
  }

  yieldNow(): Promise<void> {
    const world = this.world;
    world.checkLive("task.yieldNow");
    if (this.actor.killed) return NEVER;
    const w = world.wakerFor<void>(world.current, "yieldNow");
    w.wakeAfterReady(undefined);
    return w.promise;
  }

  select<T>(
    branches: readonly ((signal: AbortSignal) => Promise<T>)[],
  ): Promise<{ index: number; value: T }> {
    if (!Array.isArray(branches) || branches.length === 0) {
      throw new InvalidArgumentError("select(branches)", "expected a non-empty array of functions");
    }
    branches.forEach((b, i) => {
      if (typeof b !== "function")
        throw new InvalidArgumentError(`select(branches[${i}])`, `expected a function, got ${typeof b}`);
    });
    const world = this.world;
    world.checkLive("task.select");
    if (this.actor.killed) return NEVER;
    const owner = world.current;
    const w = world.wakerFor<{ index: number; value: T }>(owner, `select of ${branches.length}`);
    const controllers = branches.map(() => new AbortController());
    const settled: { index: number; ok: boolean; value: unknown }[] = [];
    let decided = false;
    let decision: QueuedEvent | null = null;

    const decide = (): void => {
      decided = true;
      // Every branch that settled during this instant is a candidate; the select stream decides.
      const winner = settled.length === 1 ? settled[0] : settled[world.selectRandom.index(settled.length)];
      if (winner === undefined) return;
      controllers.forEach((c, i) => {
        if (i !== winner.index)
          c.abort(new TaskCancelledError(`select branch ${i}`, `branch ${winner.index} won`));
      });
      if (winner.ok) w.wake({ index: winner.index, value: winner.value as T });
      else w.fail(winner.value);
    };
    const onSettled = (index: number, ok: boolean, value: unknown): void => {
      if (decided) return;
      settled.push({ index, ok, value });
      if (decision === null) decision = world.scheduleAt(0, "select decision", decide, owner);
    };
    branches.forEach((branch, index) => {
      let p: Promise<T>;
      try {
        p = Promise.resolve(branch((controllers[index] as AbortController).signal));
      } catch (error) {
        p = Promise.reject(error);
      }
      p.then(
        (value) => onSettled(index, true, value),
        (error) => onSettled(index, false, error),
      );
    });
    return w.promise;
  }
}

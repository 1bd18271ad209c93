// Ownership of device work. A device (a socket, a listener, a file) acts on behalf of one actor
// incarnation: the events it schedules, the wakers it creates and whatever user callback such an
// event runs (a socket's idle timeout, node:http's keep-alive timer, a hermetic setTimeout armed
// from there) belong to that incarnation and die with it, so a crashed process has no effect
// after its crash.
import type { SimActor } from "./actor.ts";
import type { SimKernel, TimerHandle, Waker } from "./kernel.ts";
import { SimTask } from "./task.ts";
import { msToNs } from "./time-units.ts";
import type { SimWorld } from "./world.ts";

/** An actor incarnation as devices see it: work done on its behalf dies with it. */
export interface DeviceOwner {
  /** The actor's name (hang dumps, errors). */
  readonly name: string;
  /** True once the incarnation was killed (a reboot, a crash or the end of the seed). */
  readonly killed: boolean;
  /**
   * Runs `fn` on the actor's behalf `delayMs` from now (a device timer: an idle timeout, a
   * connect attempt). Dropped, without a trace, when the actor is killed first.
   */
  schedule(delayMs: number, label: string, fn: () => void): TimerHandle;
  /**
   * Runs `fn` `delayMs` from now attributed to the actor even if it was killed meanwhile: an
   * arrival at its host (a network segment) that the host's stack must still answer. Work `fn`
   * starts for a killed actor (wakers, timers) is dropped with it.
   */
  deliver(delayMs: number, label: string, fn: () => void): TimerHandle;
  /** A scheduler-resolved promise owned by the current task when it is the actor's, else by the actor. */
  waker<T>(label: string): Waker<T>;
}

/**
 * The device side of one actor: a task-like owner (never listed among live tasks) that events
 * and wakers created on the actor's behalf hang on, killed with the actor.
 */
export class ActorDeviceOwner implements DeviceOwner {
  readonly name: string;
  /** Current task while device events of the actor run; dead once the actor is killed. */
  readonly task: SimTask;
  readonly #world: SimWorld;
  readonly #actor: SimActor;

  constructor(world: SimWorld, actor: SimActor) {
    this.#world = world;
    this.#actor = actor;
    this.name = actor.name;
    // Id 0: device owners never shift the ids (and hashes) of the actor's own tasks.
    this.task = new SimTask(0, "(device)", actor);
    this.task.state = "running";
  }

  get killed(): boolean {
    return this.#actor.killed;
  }

  schedule(delayMs: number, label: string, fn: () => void): TimerHandle {
    this.#world.checkLive(label);
    return this.#world.scheduleAt(msToNs(delayMs), label, fn, this.task);
  }

  deliver(delayMs: number, label: string, fn: () => void): TimerHandle {
    this.#world.checkLive(label);
    return this.#world.scheduleAt(msToNs(delayMs), label, fn, this.task, null);
  }

  waker<T>(label: string): Waker<T> {
    const world = this.#world;
    world.checkLive(label);
    const current = world.current;
    return world.wakerFor<T>(current !== null && current.actor === this.#actor ? current : this.task, label);
  }
}

/**
 * Devices used outside any actor (unit tests, the runner): plain kernel events and wakers, never
 * killed.
 */
export function unownedDevices(kernel: SimKernel): DeviceOwner {
  return {
    name: "sim",
    killed: false,
    schedule: (delayMs, label, fn) => kernel.schedule(delayMs, label, fn),
    deliver: (delayMs, label, fn) => kernel.schedule(delayMs, label, fn),
    waker: <T>(label: string) => kernel.waker<T>(label),
  };
}

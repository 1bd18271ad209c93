// Timer globals for hermetic mode: setTimeout/setInterval/setImmediate on the simulated clock,
// with handles that behave like Node's (ref/unref/hasRef/refresh/close/[Symbol.toPrimitive]).
import type { HostedWorld, TimerEvent } from "../engine/host.ts";
import { real } from "./real-globals.ts";

const TIMEOUT_MAX = 2 ** 31 - 1;

let nextId = 1;
const byId = new Map<number, SimTimer>();

/** Forgets the handles of a finished seed (their events died with it); ids restart per seed. */
export function resetSimTimers(): void {
  byId.clear();
  nextId = 1;
}

/** A simulated Node timer handle. */
export class SimTimer {
  id = nextId++;
  /** The seed's world that owns the pending event; a handle re-armed in a later seed joins that seed. */
  private world: HostedWorld;
  private readonly currentWorld: () => HostedWorld;
  private readonly callback: (...args: unknown[]) => void;
  private readonly args: unknown[];
  private readonly delayNs: number;
  private readonly repeat: boolean;
  private event: TimerEvent | null = null;
  private refed = true;
  /** True once cleared: `refresh()` then does nothing (Node's behaviour). */
  private cleared = false;
  private readonly label: string;

  constructor(
    world: () => HostedWorld,
    label: string,
    callback: (...args: unknown[]) => void,
    args: unknown[],
    delayMs: number,
    repeat: boolean,
  ) {
    this.currentWorld = world;
    this.world = world();
    this.label = label;
    this.callback = callback;
    this.args = args;
    this.delayNs = Math.round(delayMs * 1e6);
    this.repeat = repeat;
    byId.set(this.id, this);
    this.arm();
  }

  private arm(): void {
    // Libraries keep timer handles in module state across seeds (undici's fast-timer clock calls
    // `refresh()` on the handle it made in an earlier seed). Such a handle must act in the seed
    // that is running now, exactly as the fresh `setTimeout` a first seed would make: a new id
    // in this seed's numbering, an event in this seed's queue.
    const current = this.currentWorld();
    if (current !== this.world) {
      this.world = current;
      byId.delete(this.id);
      this.id = nextId++;
      byId.set(this.id, this);
    }
    this.event = this.world.scheduleTimer(this.delayNs, this.label, () => this.fire(), this.refed);
  }

  private fire(): void {
    if (this.repeat) this.arm();
    else {
      this.event = null;
      byId.delete(this.id); // a numeric clearTimeout of a fired timer is a no-op
    }
    this.callback(...this.args);
  }

  ref(): this {
    this.refed = true;
    if (this.event !== null) this.world.setTimerRef(this.event, true);
    return this;
  }
  /** Like Node: an unref'd timer still fires, but does not keep the seed running on its own. */
  unref(): this {
    this.refed = false;
    if (this.event !== null) this.world.setTimerRef(this.event, false);
    return this;
  }
  hasRef(): boolean {
    return this.refed;
  }
  /** Restarts the timer from now with its original delay (a fired timeout is re-armed, as in Node). */
  refresh(): this {
    if (this.cleared) return this;
    this.event?.cancel();
    byId.set(this.id, this);
    this.arm();
    return this;
  }
  close(): this {
    this.clear();
    return this;
  }
  /** Cancels the timer: its event leaves the queue. */
  clear(): void {
    this.cleared = true;
    this.event?.cancel();
    this.event = null;
    byId.delete(this.id);
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
  [Symbol.dispose](): void {
    this.clear();
  }
}

/** Node's delay coercion: anything not in [1, 2^31 - 1] becomes 1 ms. */
function coerceDelay(ms: unknown): number {
  const n = Number(ms);
  return n >= 1 && n <= TIMEOUT_MAX ? n : 1;
}

function checkCallback(callback: unknown, api: string): asserts callback is (...args: unknown[]) => void {
  if (typeof callback !== "function") {
    const error = new TypeError(
      `The "callback" argument of ${api} must be of type function. Received ${typeof callback}`,
    );
    (error as { code?: string }).code = "ERR_INVALID_ARG_TYPE";
    throw error;
  }
}

/** Builds the timer globals for `world`. */
export function simTimerGlobals(world: () => HostedWorld) {
  const clear = (handle: unknown, realClear: ((h: never) => void) | undefined): void => {
    if (handle instanceof SimTimer) handle.clear();
    else if (typeof handle === "number" || typeof handle === "string") {
      const t = byId.get(Number(handle));
      if (t !== undefined) t.clear();
      else realClear?.(handle as never);
    } else if (handle !== undefined && handle !== null) realClear?.(handle as never);
  };
  return {
    setTimeout(callback: unknown, ms?: unknown, ...args: unknown[]): SimTimer {
      checkCallback(callback, "setTimeout");
      return new SimTimer(world, "setTimeout", callback, args, coerceDelay(ms), false);
    },
    setInterval(callback: unknown, ms?: unknown, ...args: unknown[]): SimTimer {
      checkCallback(callback, "setInterval");
      return new SimTimer(world, "setInterval", callback, args, coerceDelay(ms), true);
    },
    setImmediate(callback: unknown, ...args: unknown[]): SimTimer {
      checkCallback(callback, "setImmediate");
      return new SimTimer(world, "setImmediate", callback, args, 0, false);
    },
    clearTimeout(handle: unknown): void {
      clear(handle, real.clearTimeout as never);
    },
    clearInterval(handle: unknown): void {
      clear(handle, real.clearTimeout as never);
    },
    clearImmediate(handle: unknown): void {
      clear(handle, real.clearImmediate as never);
    },
  };
}

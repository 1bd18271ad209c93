// The Node host adapter: drains through `queueMicrotask(() => process.nextTick(step))`, observes
// foreign `process.nextTick` calls, yields with `setImmediate`, owns the process-level error
// listeners while a seed runs, and installs hermetic globals and console routing while draining.
import { SimulationError } from "../engine/errors.ts";
import type { DrainHost, HostedWorld } from "../engine/host.ts";
import { installConsoleRouting, removeConsoleRouting } from "./console-routing.ts";
import { forgetHermeticSeed, installHermetic, removeHermetic } from "./hermetic.ts";
import { pinTimeZone, restoreTimeZoneLater } from "./intl.ts";
import { resetLibraryState } from "./library-state.ts";
import { real as webReal } from "./real-globals.ts";

/** The real Node functions this host schedules with (captured before any hermetic patch). */
const real = {
  ...webReal,
  nextTick: webReal.nextTick as typeof process.nextTick,
  setImmediate: webReal.setImmediate as typeof setImmediate,
};

// Touch process.stderr now: it is created lazily, and creating it inside a seed would look like
// a leaked handle.
void process.stderr;

type Listener = (...args: never[]) => unknown;
let foreignWork = false;
const SETTLED = Promise.resolve();
const armers = new WeakMap<() => void, () => void>();
let active: HostedWorld | null = null;
let savedListeners: { rejection: Listener[]; uncaught: Listener[] } | null = null;

/** What `process.nextTick` forwards to (someone may assign it during a drain). */
let underlyingNextTick: typeof process.nextTick = real.nextTick;
/** True while a seed drains: `process.nextTick` then observes. */
let observing = false;

/**
 * What `process.nextTick` is from the moment this module loads: while a seed drains it observes
 * (sets the foreign-work flag, never reorders), otherwise it only forwards. A reference captured
 * after `@moonpool/sim` loaded is this function too, so its ticks are observed as well.
 */
function observedNextTick(this: unknown, ...args: unknown[]): void {
  if (observing) foreignWork = true;
  (underlyingNextTick as (...a: unknown[]) => void).apply(process, args);
}

// An accessor rather than a plain assignment: test runners swap `process.nextTick` around their
// own calls and restore it in a deferred tick (vitest does), which would silently remove a plain
// patch in the middle of a drain; assignments now change what the observer forwards to. It is
// installed when this module loads (defineProperty on `process` is slow) and again only if
// someone replaced it.
function ensureTickObserver(): void {
  if (process.nextTick === observedNextTick) return;
  const current = process.nextTick;
  underlyingNextTick = current;
  Object.defineProperty(process, "nextTick", {
    configurable: true,
    enumerable: true,
    get: () => observedNextTick,
    set: (value: typeof process.nextTick) => {
      if (value !== observedNextTick) underlyingNextTick = value;
    },
  });
}
ensureTickObserver();

function onRejection(reason: unknown): void {
  active?.reportUncaught("rejection", reason);
}

/** True while the engine lets the real event loop run (between two drains of a seed). */
let yielding = false;

function onUncaught(error: unknown, origin?: unknown): void {
  // Simulated code only runs while draining: an exception thrown by a real callback during a
  // yield belongs to the code around the simulation (test runner, other real code), so it goes
  // to the listeners the seed took over. Rejections stay with the seed: Node reports the seed's
  // own unhandled rejections only at its real yields.
  // A SimulationError thrown there is the seed's own (a simulation API called from a real callback).
  if (
    yielding &&
    !(error instanceof SimulationError) &&
    savedListeners !== null &&
    savedListeners.uncaught.length > 0
  ) {
    for (const l of savedListeners.uncaught) (l as (e: unknown, o: unknown) => void)(error, origin);
    return;
  }
  active?.reportUncaught("uncaught", error);
}

/** Resource types that are not leaks (test runners' plumbing, our own stdio). */
const IGNORED_RESOURCES = new Set([
  "Immediate",
  "TTYWrap",
  "CloseReq",
  "MessagePort",
  "PipeWrap",
  "FSEventWrap",
]);

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** The drain host for Node.js. */
export const nodeHost: DrainHost = {
  arm(step: () => void): void {
    // Node runs a tick queued from a microtask only once the microtask queue is empty.
    let tick = armers.get(step);
    if (tick === undefined) {
      const t = (): void => real.nextTick(step);
      armers.set(step, t);
      tick = t;
    }
    // A reaction on a settled promise: the same FIFO microtask queue as queueMicrotask, without
    // the AsyncResource Node allocates for every queueMicrotask call.
    void SETTLED.then(tick);
  },

  takeForeignWork(): boolean {
    if (!foreignWork) return false;
    foreignWork = false;
    return true;
  },

  beginSeed(world: HostedWorld): void {
    active = world;
    if (world.hermetic !== false) pinTimeZone(world.timeZone);
    resetLibraryState();
    // Route this seed's errors to it, not to the test runner (its listeners come back at the end).
    savedListeners = {
      rejection: process.rawListeners("unhandledRejection") as Listener[],
      uncaught: process.rawListeners("uncaughtException") as Listener[],
    };
    process.removeAllListeners("unhandledRejection");
    process.removeAllListeners("uncaughtException");
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onUncaught);
  },

  enter(): void {
    const world = active;
    if (world === null) return;
    foreignWork = false;
    ensureTickObserver();
    observing = true;
    installConsoleRouting(world);
    if (world.hermetic !== false) installHermetic(world);
  },

  leave(): void {
    observing = false;
    removeConsoleRouting();
    removeHermetic();
  },

  yieldToRealLoop(fn: () => void): void {
    this.leave();
    yielding = true;
    real.setImmediate(() => {
      yielding = false;
      this.enter();
      fn();
    });
  },

  endSeed(done: () => void): void {
    // One real turn first: Node reports unhandled rejections only once the tick queue is empty.
    yielding = true;
    real.setImmediate(() => {
      yielding = false;
      process.removeListener("unhandledRejection", onRejection);
      process.removeListener("uncaughtException", onUncaught);
      if (savedListeners !== null) {
        for (const l of savedListeners.rejection) process.on("unhandledRejection", l as never);
        for (const l of savedListeners.uncaught) process.on("uncaughtException", l as never);
      }
      savedListeners = null;
      active = null;
      forgetHermeticSeed();
      restoreTimeZoneLater(real.setImmediate);
      done();
    });
  },

  wallNowMs(): number {
    return real.performanceNow();
  },

  snapshotResources(): unknown {
    return countResources();
  },

  leakedResources(before: unknown, after: unknown): string[] {
    const b = before as Map<string, number>;
    const out: string[] = [];
    for (const [name, n] of after as Map<string, number>) {
      if (IGNORED_RESOURCES.has(name)) continue;
      const extra = n - (b.get(name) ?? 0);
      if (extra > 0) out.push(`${extra} × ${name}`);
    }
    return out;
  },
};

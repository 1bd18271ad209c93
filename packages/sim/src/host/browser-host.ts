// The browser host adapter: drains through a `MessageChannel` (a task runs only once the
// microtask queue is empty, as Node's tick after a microtask does), yields the same way, owns
// the window's error events while a seed runs, and installs the web-standard hermetic globals.
// It has no real resources to count (a page's fetches and sockets are not simulated here), and
// it cannot pin the time zone: `Date`'s local-time methods follow the browser's.
import type { DrainHost, HostedWorld } from "../engine/host.ts";
import {
  forgetHermeticSeed,
  installGlobalTrampolines,
  installPatches,
  removePatches,
  WEB_PATCHES,
} from "./hermetic-globals.ts";
import { real } from "./real-globals.ts";

type Port = { onmessage: (() => void) | null; postMessage(m: null): void; unref?: () => void };
const channel = new MessageChannel() as unknown as { port1: Port; port2: Port };
const queued: (() => void)[] = [];
let head = 0;
channel.port1.onmessage = () => {
  const fn = queued[head];
  queued[head++] = undefined as never;
  if (head === queued.length) {
    queued.length = 0;
    head = 0;
  }
  fn?.();
};
// Node (where this host is tested too) keeps a process alive while a port listens: not this one.
channel.port1.unref?.();

/** Runs `fn` in a task of its own, after every microtask queued before it. */
function nextTask(fn: () => void): void {
  queued.push(fn);
  channel.port2.postMessage(null);
}

type EventTarget = {
  addEventListener(type: string, fn: (e: never) => void): void;
  removeEventListener(type: string, fn: (e: never) => void): void;
};
const events = globalThis as unknown as Partial<EventTarget>;

// References the page's code captures after this loads (`const now = Date.now`) see the seed too.
installGlobalTrampolines(WEB_PATCHES);

let active: HostedWorld | null = null;
const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
const consoleOriginals = new Map<string, (...args: unknown[]) => void>();

function onError(e: { error?: unknown; preventDefault(): void }): void {
  if (active === null) return;
  e.preventDefault();
  active.reportUncaught("uncaught", e.error);
}

function onRejection(e: { reason?: unknown; preventDefault(): void }): void {
  if (active === null) return;
  e.preventDefault();
  active.reportUncaught("rejection", e.reason);
}

/** The drain host for browsers (and any host with `MessageChannel` and no Node built-ins). */
export const browserHost: DrainHost = {
  arm(step: () => void): void {
    nextTask(step);
  },

  takeForeignWork(): boolean {
    return false;
  },

  beginSeed(world: HostedWorld): void {
    active = world;
    events.addEventListener?.("error", onError as never);
    events.addEventListener?.("unhandledrejection", onRejection as never);
  },

  enter(): void {
    const world = active;
    if (world === null) return;
    for (const level of LEVELS) {
      const original = console[level];
      consoleOriginals.set(level, original);
      console[level] = (...args: unknown[]) => original(world.consoleLine(level, args.map(String).join(" ")));
    }
    if (world.hermetic !== false) installPatches(world, WEB_PATCHES);
  },

  leave(): void {
    for (const [level, fn] of consoleOriginals) (console as unknown as Record<string, unknown>)[level] = fn;
    consoleOriginals.clear();
    removePatches();
  },

  yieldToRealLoop(fn: () => void): void {
    this.leave();
    nextTask(() => {
      this.enter();
      fn();
    });
  },

  endSeed(done: () => void): void {
    // One real task first, so a rejection left unhandled by the seed is reported to it.
    nextTask(() => {
      events.removeEventListener?.("error", onError as never);
      events.removeEventListener?.("unhandledrejection", onRejection as never);
      active = null;
      forgetHermeticSeed();
      done();
    });
  },

  wallNowMs(): number {
    return real.performanceNow();
  },

  snapshotResources(): unknown {
    return null;
  },

  leakedResources(): string[] {
    return [];
  },
};

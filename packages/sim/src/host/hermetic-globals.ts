// Hermetic mode's web-standard globals, shared by every host: `Date`, `performance.now`,
// `Math.random`, `crypto.getRandomValues`/`randomUUID`, `AbortSignal.timeout` and the timer
// functions, on the draining seed's virtual clock and counted stream. The Node host adds its
// process and builtin-module patches on top (hermetic.ts); a browser host uses these alone.
import type { HostedWorld } from "../engine/host.ts";
import { type IntlWorld, setIntlWorld } from "./intl.ts";
import { real } from "./real-globals.ts";
import { resetSimTimers, SimTimer, simTimerGlobals } from "./sim-timers.ts";

/** `new Date()` inside a simulation starts here (2020-01-01T00:00:00Z) plus virtual time. */
export const VIRTUAL_EPOCH_MS = 1_577_836_800_000;

/** The world whose seed drains (null outside a drain); a live binding for the host modules. */
export let world: HostedWorld | null = null;
/** True when the draining seed is in hermetic strict mode. */
export let strict = false;
export const currentWorld = (): HostedWorld => {
  if (world === null) throw new Error("hermetic global used outside a simulation drain");
  return world;
};

export function violation(name: string, use: string): never {
  throw new Error(
    `hermetic strict mode (seed ${world?.seed}): ${name} is not allowed inside a simulation; use ${use} instead`,
  );
}

export const virtualDateMs = (): number => VIRTUAL_EPOCH_MS + Math.floor(currentWorld().nowNs() / 1e6);

export const RealDate = real.Date;
export const simDateNow = (): number =>
  strict ? violation("Date.now()", "ctx.time.now()") : virtualDateMs();
/** `Date` with virtual "now"; a Proxy, so `instanceof Date` and every static keep working. */
export const SimDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    if (args.length === 0) {
      if (strict) violation("new Date()", "ctx.time.now()");
      return Reflect.construct(target, [virtualDateMs()], newTarget);
    }
    return Reflect.construct(target, args, newTarget);
  },
  apply() {
    if (strict) violation("Date()", "ctx.time.now()");
    return new RealDate(virtualDateMs()).toString();
  },
  get(target, key, receiver) {
    if (key === "now") return simDateNow;
    return Reflect.get(target, key, receiver);
  },
});

function fillTyped(array: ArrayBufferView): ArrayBufferView {
  currentWorld().randomFill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return array;
}

export function simGetRandomValues<T extends ArrayBufferView | null>(array: T): T {
  if (strict) violation("crypto.getRandomValues()", "ctx.random.bytes()");
  if (
    !ArrayBuffer.isView(array) ||
    array instanceof Float32Array ||
    array instanceof Float64Array ||
    array instanceof DataView
  ) {
    throw new TypeError("crypto.getRandomValues: expected an integer TypedArray");
  }
  if (array.byteLength > 65536) throw new RangeError("crypto.getRandomValues: at most 65536 bytes");
  return fillTyped(array) as T;
}

export function simRandomUUID(): string {
  if (strict) violation("crypto.randomUUID()", "ctx.random.bytes(16)");
  const b = currentWorld().randomFill(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const timers = simTimerGlobals(currentWorld);

export function strictTimer<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  return ((...args: never[]) =>
    strict ? violation(`${name}()`, "ctx.time.sleep() / ctx.task.spawn()") : fn(...args)) as F;
}

function simAbortSignalTimeout(ms: number): AbortSignal {
  if (strict) violation("AbortSignal.timeout()", "ctx.time.timeout()");
  const controller = new AbortController();
  timers
    .setTimeout(
      () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
      ms,
    )
    .unref();
  return controller.signal;
}

/** A property hermetic mode replaces while a seed drains. */
export type Patch = { target: object; key: PropertyKey; value: unknown };

const webCrypto = globalThis.crypto as unknown as object;

/** The timer functions hermetic mode installs (globals, and `node:timers` on Node). */
export const TIMER_FUNCTIONS: Record<string, unknown> = {};
for (const name of ["setTimeout", "setInterval", "setImmediate"] as const) {
  TIMER_FUNCTIONS[name] = strictTimer(name, timers[name]);
}
for (const name of ["clearTimeout", "clearInterval", "clearImmediate"] as const) {
  TIMER_FUNCTIONS[name] = timers[name];
}

/** Web-standard global patches, swapped in and out around every drain (plain writes: cheap). */
export const WEB_PATCHES: readonly Patch[] = [
  { target: globalThis, key: "Date", value: SimDate },
  {
    target: globalThis.performance,
    key: "now",
    value: () => (strict ? violation("performance.now()", "ctx.time.now()") : currentWorld().nowNs() / 1e6),
  },
  {
    target: Math,
    key: "random",
    value: () => (strict ? violation("Math.random()", "ctx.random.random()") : currentWorld().randomFloat()),
  },
  { target: webCrypto, key: "getRandomValues", value: simGetRandomValues },
  { target: webCrypto, key: "randomUUID", value: simRandomUUID },
  { target: AbortSignal, key: "timeout", value: simAbortSignalTimeout },
  ...Object.entries(TIMER_FUNCTIONS).map(([key, value]) => ({ target: globalThis, key, value })),
];

/** `f` while no seed drains, `simFn` while one does (same name, same `this`). */
function trampolineOf(
  realFn: (...args: unknown[]) => unknown,
  simFn: (...args: unknown[]) => unknown,
): (...args: unknown[]) => unknown {
  const trampoline = function (this: unknown, ...args: unknown[]): unknown {
    return (world === null ? realFn : simFn).apply(this, args);
  };
  Object.defineProperty(trampoline, "name", { value: realFn.name });
  return trampoline;
}

/** The trampoline installed for each patch: while it is still in place, a drain need not swap it. */
const trampolines = new WeakMap<Patch, unknown>();

export function defineTrampoline(p: Patch): void {
  const target = p.target as Record<PropertyKey, unknown>;
  if (trampolines.has(p) && target[p.key] === trampolines.get(p)) return; // installed already
  const realFn = target[p.key] as (...args: unknown[]) => unknown;
  if (typeof realFn !== "function" || typeof p.value !== "function") return;
  const trampoline = trampolineOf(realFn, p.value as (...args: unknown[]) => unknown);
  // process.hrtime.bigint hangs from process.hrtime: its trampoline carries one too
  const inner = (realFn as unknown as { bigint?: unknown }).bigint;
  const simInner = (p.value as unknown as { bigint?: unknown }).bigint;
  if (typeof inner === "function" && typeof simInner === "function") {
    (trampoline as unknown as { bigint: unknown }).bigint = trampolineOf(
      inner as (...args: unknown[]) => unknown,
      simInner as (...args: unknown[]) => unknown,
    );
  }
  const descriptor = Object.getOwnPropertyDescriptor(target, p.key);
  if (descriptor !== undefined && descriptor.configurable === false) {
    if (descriptor.writable === true) target[p.key] = trampoline;
  } else {
    Object.defineProperty(target, p.key, {
      value: trampoline,
      writable: true,
      configurable: true,
      enumerable: descriptor?.enumerable ?? true,
    });
  }
  if (target[p.key] === trampoline) trampolines.set(p, trampoline);
}

/**
 * A trampoline in place of every global function of `patches` (not `Date` itself: a captured
 * `Date` class cannot be caught), plus `Date.now`, so a reference captured after this ran
 * (`const now = Date.now`) still sees the seed while one drains.
 */
export function installGlobalTrampolines(patches: readonly Patch[]): void {
  for (const p of patches) if (p.key !== "Date") defineTrampoline(p);
  defineTrampoline({ target: RealDate, key: "now", value: simDateNow });
}

/** What Intl sees of the draining world (read through `world`, so one object serves every seed). */
const intlWorld: IntlWorld = {
  get locale() {
    return currentWorld().locale;
  },
  nowEpochMs: () => virtualDateMs(),
};

/** What each global patch replaced: restored on `removePatches`. */
const saved: { target: Record<PropertyKey, unknown>; key: PropertyKey; own: boolean; value: unknown }[] = [];
/** Per patch list, the patches whose property cannot be written (such globals are left alone). */
const unwritableOf = new WeakMap<readonly Patch[], Set<Patch>>();

function findUnwritable(patches: readonly Patch[]): Set<Patch> {
  const out = new Set<Patch>();
  for (const p of patches) {
    let holder: object | null = p.target;
    while (holder !== null && !Object.hasOwn(holder, p.key)) holder = Object.getPrototypeOf(holder);
    const d = holder === null ? undefined : Object.getOwnPropertyDescriptor(holder, p.key);
    const ownNonConfigurable = holder === p.target && d?.configurable === false;
    if (
      d !== undefined &&
      (d.writable === false ||
        (d.writable === undefined && d.set === undefined) ||
        (ownNonConfigurable && d.writable !== true))
    ) {
      out.add(p);
    }
  }
  return out;
}

/** Installs `patches` for `w` (idempotent). Plain writes: cheaper than defineProperty. */
export function installPatches(w: HostedWorld, patches: readonly Patch[]): void {
  if (world !== null) return;
  let unwritable = unwritableOf.get(patches);
  if (unwritable === undefined) {
    unwritable = findUnwritable(patches);
    unwritableOf.set(patches, unwritable);
  }
  world = w;
  strict = w.hermetic === "strict";
  setIntlWorld(intlWorld);
  for (const p of patches) {
    if (unwritable.has(p)) continue;
    const target = p.target as Record<PropertyKey, unknown>;
    // Its trampoline already routes to `world` (writes to natives such as globalThis are slow).
    const trampoline = trampolines.get(p);
    if (trampoline !== undefined && target[p.key] === trampoline) continue;
    const own = Object.hasOwn(target, p.key);
    saved.push({ target, key: p.key, own, value: own ? target[p.key] : undefined });
    target[p.key] = p.value;
  }
}

/** Restores every real global (idempotent). */
export function removePatches(): void {
  if (world === null) return;
  for (let i = saved.length - 1; i >= 0; i--) {
    const s = saved[i] as (typeof saved)[number];
    if (s.own) s.target[s.key] = s.value;
    else delete s.target[s.key];
  }
  saved.length = 0;
  world = null;
  setIntlWorld(null);
}

/** Forgets per-seed hermetic state (timer ids) when a seed ends. */
export function forgetHermeticSeed(): void {
  resetSimTimers();
}

export { SimTimer };

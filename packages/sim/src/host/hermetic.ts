// Hermetic mode: while a seed drains, time, randomness and timer globals (and their builtin
// module twins) are routed to the simulated world, or throw in strict mode. Installed only while
// draining; removed before every real yield and before the seed settles.
import { createRequire, syncBuiltinESMExports } from "node:module";
import { performance } from "node:perf_hooks";
import type { HostedWorld } from "../engine/host.ts";
import { type IntlWorld, setIntlWorld } from "./intl.ts";
import { real } from "./real-globals.ts";
import { resetSimTimers, SimTimer, simTimerGlobals } from "./sim-timers.ts";

const require = createRequire(import.meta.url);
const nodeCrypto = require("node:crypto") as Record<string, unknown>;
const nodeTimers = require("node:timers") as Record<string, unknown>;
const nodeTimersPromises = require("node:timers/promises") as Record<string, unknown>;
const nodeNet = require("node:net") as Record<string, unknown>;
const nodeTls = require("node:tls") as Record<string, unknown>;
const nodeDgram = require("node:dgram") as Record<string, unknown>;
const httpsAgentPrototype = (require("node:https") as { Agent: { prototype: object } }).Agent.prototype;
// node:http's Agent captured net.createConnection when Node booted.
const httpAgentPrototype = (require("node:http") as { Agent: { prototype: object } }).Agent.prototype;

/** `new Date()` inside a simulation starts here (2020-01-01T00:00:00Z) plus virtual time. */
export const VIRTUAL_EPOCH_MS = 1_577_836_800_000;

let world: HostedWorld | null = null;
let strict = false;
const currentWorld = (): HostedWorld => {
  if (world === null) throw new Error("hermetic global used outside a simulation drain");
  return world;
};

function violation(name: string, use: string): never {
  throw new Error(
    `hermetic strict mode (seed ${world?.seed}): ${name} is not allowed inside a simulation; use ${use} instead`,
  );
}

const virtualDateMs = (): number => VIRTUAL_EPOCH_MS + Math.floor(currentWorld().nowNs() / 1e6);

const RealDate = real.Date;
const simDateNow = (): number => (strict ? violation("Date.now()", "ctx.time.now()") : virtualDateMs());
/** `Date` with virtual "now"; a Proxy, so `instanceof Date` and every static keep working. */
const SimDate = new Proxy(RealDate, {
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

function simHrtime(previous?: [number, number]): [number, number] {
  if (strict) violation("process.hrtime()", "ctx.time.now()");
  const ns = currentWorld().nowNs();
  let s = Math.floor(ns / 1e9);
  let n = ns % 1e9;
  if (previous !== undefined) {
    s -= previous[0];
    n -= previous[1];
    if (n < 0) {
      s--;
      n += 1e9;
    }
  }
  return [s, n];
}
simHrtime.bigint = (): bigint => {
  if (strict) violation("process.hrtime.bigint()", "ctx.time.now()");
  return BigInt(currentWorld().nowNs());
};

function fillTyped(array: ArrayBufferView): ArrayBufferView {
  currentWorld().randomFill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return array;
}

function simGetRandomValues<T extends ArrayBufferView | null>(array: T): T {
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

function simRandomUUID(): string {
  if (strict) violation("crypto.randomUUID()", "ctx.random.bytes(16)");
  const b = currentWorld().randomFill(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function simRandomBytes(
  size: number,
  callback?: (err: Error | null, buf: Buffer) => void,
): Buffer | undefined {
  if (strict) violation("crypto.randomBytes()", "ctx.random.bytes()");
  if (!Number.isSafeInteger(size) || size < 0)
    throw new RangeError(`crypto.randomBytes: invalid size ${size}`);
  const buf = Buffer.alloc(size);
  currentWorld().randomFill(buf);
  if (callback === undefined) return buf;
  timers.setImmediate(() => callback(null, buf));
  return undefined;
}

/** `crypto.randomFillSync(buffer, offset?, size?)` from the counted stream (uuid, nanoid use it). */
function simRandomFillSync<T extends ArrayBufferView>(buffer: T, offset = 0, size?: number): T {
  if (strict) violation("crypto.randomFillSync()", "ctx.random.bytes()");
  if (!ArrayBuffer.isView(buffer)) throw new TypeError("crypto.randomFillSync: expected an ArrayBufferView");
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const elementSize = (buffer as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  const start = offset * elementSize;
  const end = size === undefined ? bytes.length : start + size * elementSize;
  if (!(start >= 0 && end <= bytes.length && start <= end))
    throw new RangeError("crypto.randomFillSync: offset/size out of range");
  currentWorld().randomFill(bytes.subarray(start, end));
  return buffer;
}

/** `crypto.randomFill(buffer[, offset][, size], callback)`: filled now, called back through the scheduler. */
function simRandomFill(buffer: ArrayBufferView, ...rest: unknown[]): void {
  if (strict) violation("crypto.randomFill()", "ctx.random.bytes()");
  const callback = rest.pop();
  if (typeof callback !== "function")
    throw new TypeError("crypto.randomFill: the callback must be a function");
  const [offset, size] = rest as [number | undefined, number | undefined];
  simRandomFillSync(buffer, offset ?? 0, size);
  timers.setImmediate(() => (callback as (e: Error | null, b: ArrayBufferView) => void)(null, buffer));
}

/** `crypto.randomInt([min, ]max[, callback])` from the counted stream. */
function simRandomInt(
  a: number,
  b?: number | ((e: Error | null, n: number) => void),
  c?: (e: Error | null, n: number) => void,
): number | undefined {
  if (strict) violation("crypto.randomInt()", "ctx.random.int()");
  const hasMin = typeof b === "number";
  const min = hasMin ? a : 0;
  const max = hasMin ? (b as number) : a;
  const callback = hasMin ? c : (b as ((e: Error | null, n: number) => void) | undefined);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min >= max) {
    throw new RangeError(`crypto.randomInt: expected safe integers min < max, got ${min}, ${max}`);
  }
  const bytes = currentWorld().randomFill(new Uint8Array(8));
  const x =
    ((bytes[0] as number) * 2 ** 24 +
      (bytes[1] as number) * 2 ** 16 +
      (bytes[2] as number) * 256 +
      (bytes[3] as number)) *
      2 ** 21 +
    ((bytes[4] as number) & 0x1f) * 2 ** 16 +
    (bytes[5] as number) * 256 +
    (bytes[6] as number);
  const n = min + Math.floor((x / 2 ** 53) * (max - min));
  if (callback === undefined) return n;
  timers.setImmediate(() => callback(null, n));
  return undefined;
}

const timers = simTimerGlobals(currentWorld);

function strictTimer<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  return ((...args: never[]) =>
    strict ? violation(`${name}()`, "ctx.time.sleep() / ctx.task.spawn()") : fn(...args)) as F;
}

function abortError(signal: AbortSignal): Error {
  const error = new Error("The operation was aborted", { cause: signal.reason });
  error.name = "AbortError";
  (error as { code?: string }).code = "ABORT_ERR";
  return error;
}

/**
 * A `timers/promises`-style promise over a simulated timer started by `start`: resolves with
 * `value` when it fires, rejects with an AbortError (and clears the timer) when `signal` aborts.
 */
function abortableTimer<T>(
  start: (fire: () => void) => { clear(): void },
  value: T | undefined,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      t.clear();
      reject(abortError(signal as AbortSignal));
    };
    const t = start(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `timers/promises.setTimeout` on the simulated clock. */
function promisesSetTimeout<T>(
  ms?: number,
  value?: T,
  options?: { signal?: AbortSignal },
): Promise<T | undefined> {
  if (strict) violation("timers/promises.setTimeout()", "ctx.time.sleep()");
  return abortableTimer((fire) => timers.setTimeout(fire, ms), value, options?.signal);
}

function promisesSetImmediate<T>(value?: T, options?: { signal?: AbortSignal }): Promise<T | undefined> {
  if (strict) violation("timers/promises.setImmediate()", "ctx.task.yieldNow()");
  return abortableTimer((fire) => timers.setImmediate(fire), value, options?.signal);
}

async function* promisesSetInterval<T>(
  ms?: number,
  value?: T,
  options?: { signal?: AbortSignal },
): AsyncGenerator<T | undefined> {
  if (strict) violation("timers/promises.setInterval()", "ctx.time.sleep() in a loop");
  for (;;) yield await promisesSetTimeout(ms, value, options ?? {});
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

type Patch = { target: object; key: PropertyKey; value: unknown };

const webCrypto = globalThis.crypto as unknown as object;
const processObj = process as unknown as object;

/** Global patches, swapped in and out around every drain (plain property writes: cheap). */
const PATCHES: Patch[] = [
  { target: globalThis, key: "Date", value: SimDate },
  {
    target: performance,
    key: "now",
    value: () => (strict ? violation("performance.now()", "ctx.time.now()") : currentWorld().nowNs() / 1e6),
  },
  { target: processObj, key: "hrtime", value: simHrtime },
  {
    target: processObj,
    key: "uptime",
    value: () => (strict ? violation("process.uptime()", "ctx.time.now()") : currentWorld().nowNs() / 1e9),
  },
  {
    target: Math,
    key: "random",
    value: () => (strict ? violation("Math.random()", "ctx.random.random()") : currentWorld().randomFloat()),
  },
  { target: webCrypto, key: "getRandomValues", value: simGetRandomValues },
  { target: webCrypto, key: "randomUUID", value: simRandomUUID },
  { target: AbortSignal, key: "timeout", value: simAbortSignalTimeout },
];

/**
 * `node:net` inside a seed is the current actor's simulated network (`@moonpool/core/net`), so
 * drivers that call `net.connect` (undici, ioredis, pg) run unchanged; a simulation never opens a
 * real socket. `new net.Socket()` and `tls` are not routed (use `createNetModule(ctx.network)`).
 */
function simNet(fn: "connect" | "createConnection" | "createServer") {
  return (...args: unknown[]): unknown => {
    const module = currentWorld().currentNodeNet() as Record<string, (...a: unknown[]) => unknown> | null;
    if (module === null) {
      throw new Error(
        `net.${fn}() was called inside a simulation outside any process or workload; call it from ` +
          "an actor (a SimulationBuilder process or workload), whose simulated network it then uses",
      );
    }
    return (module[fn] as (...a: unknown[]) => unknown)(...args);
  };
}

/**
 * Real network entry points that have no simulated twin yet (TLS, UDP): refused inside a seed
 * with the alternative named, so a simulation never sends a real packet.
 */
function refusedReal(name: string, use: string) {
  return (): never => {
    throw new Error(
      `${name} was called inside a simulation (seed ${world?.seed}): it would open a real socket; ${use}`,
    );
  };
}
const PLAIN_TCP = "use plain TCP through node:net or ctx.network (the simulated network has no TLS)";
const NO_UDP = "use ctx.network (the simulated network carries TCP-like connections, not UDP)";

/**
 * Builtin-module patches. Their ESM twins only change through `syncBuiltinESMExports()` (about
 * 0.1 ms a call), so these are installed once per process as trampolines that route to the
 * simulated world while a seed drains and to the real function otherwise.
 */
const MODULE_PATCHES: Patch[] = [
  { target: nodeCrypto, key: "getRandomValues", value: simGetRandomValues },
  { target: nodeCrypto, key: "randomUUID", value: simRandomUUID },
  { target: nodeCrypto, key: "randomBytes", value: simRandomBytes },
  { target: nodeCrypto, key: "randomFillSync", value: simRandomFillSync },
  { target: nodeCrypto, key: "randomFill", value: simRandomFill },
  { target: nodeCrypto, key: "randomInt", value: simRandomInt },
  { target: nodeNet, key: "connect", value: simNet("connect") },
  { target: nodeNet, key: "createConnection", value: simNet("createConnection") },
  { target: nodeNet, key: "createServer", value: simNet("createServer") },
  { target: httpAgentPrototype, key: "createConnection", value: simNet("createConnection") },
  { target: nodeTls, key: "connect", value: refusedReal("tls.connect()", PLAIN_TCP) },
  { target: nodeTls, key: "createServer", value: refusedReal("tls.createServer()", PLAIN_TCP) },
  { target: httpsAgentPrototype, key: "createConnection", value: refusedReal("an https request", PLAIN_TCP) },
  { target: nodeDgram, key: "createSocket", value: refusedReal("dgram.createSocket()", NO_UDP) },
  { target: nodeTimersPromises, key: "setTimeout", value: promisesSetTimeout },
  { target: nodeTimersPromises, key: "setImmediate", value: promisesSetImmediate },
  { target: nodeTimersPromises, key: "setInterval", value: promisesSetInterval },
  ...(typeof nodeTimersPromises.scheduler === "object" && nodeTimersPromises.scheduler !== null
    ? [
        {
          target: nodeTimersPromises.scheduler as object,
          key: "wait",
          value: (ms: number, options?: { signal?: AbortSignal }) =>
            promisesSetTimeout(ms, undefined, options),
        },
        { target: nodeTimersPromises.scheduler as object, key: "yield", value: () => promisesSetImmediate() },
      ]
    : []),
];
for (const name of ["setTimeout", "setInterval", "setImmediate"] as const) {
  const fn = strictTimer(name, timers[name]);
  PATCHES.push({ target: globalThis, key: name, value: fn });
  MODULE_PATCHES.push({ target: nodeTimers, key: name, value: fn });
}
for (const name of ["clearTimeout", "clearInterval", "clearImmediate"] as const) {
  PATCHES.push({ target: globalThis, key: name, value: timers[name] });
  MODULE_PATCHES.push({ target: nodeTimers, key: name, value: timers[name] });
}

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

function defineTrampoline(p: Patch): void {
  const target = p.target as Record<PropertyKey, unknown>;
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
    return;
  }
  Object.defineProperty(target, p.key, {
    value: trampoline,
    writable: true,
    configurable: true,
    enumerable: descriptor?.enumerable ?? true,
  });
}

/**
 * Installs, once per process and when this module loads (before the user's modules load), a
 * trampoline in place of every function hermetic mode replaces: builtin-module functions (whose
 * ESM twins only change through `syncBuiltinESMExports()`, about 0.1 ms a call) and the global
 * functions a library may capture at load (`const now = Date.now`, `const { randomBytes } =
 * require("crypto")`, `process.hrtime.bigint`). A trampoline routes to the simulated world while a
 * seed drains and to the real function otherwise. A reference captured before `@moonpool/sim`
 * loaded, and a captured `Date` class (`new D()`), cannot be caught.
 */
function installTrampolines(): void {
  for (const p of MODULE_PATCHES) defineTrampoline(p);
  for (const p of PATCHES) if (p.key !== "Date") defineTrampoline(p);
  defineTrampoline({ target: RealDate, key: "now", value: simDateNow });
  syncBuiltinESMExports();
}
installTrampolines();

/** What Intl sees of the draining world (read through `world`, so one object serves every seed). */
const intlWorld: IntlWorld = {
  get locale() {
    return currentWorld().locale;
  },
  nowEpochMs: () => virtualDateMs(),
};

/** What each global patch replaced: restored on `removeHermetic`. */
const saved: { target: Record<PropertyKey, unknown>; key: PropertyKey; own: boolean; value: unknown }[] = [];
/** Patches whose property cannot be written (checked once; such globals are left alone). */
let unwritable: Set<Patch> | null = null;

function findUnwritable(): Set<Patch> {
  const out = new Set<Patch>();
  for (const p of PATCHES) {
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

/** Installs the hermetic globals for `w` (idempotent). Plain writes: cheaper than defineProperty. */
export function installHermetic(w: HostedWorld): void {
  if (world !== null) return;
  unwritable ??= findUnwritable();
  world = w;
  strict = w.hermetic === "strict";
  setIntlWorld(intlWorld);
  for (const p of PATCHES) {
    if (unwritable.has(p)) continue;
    const target = p.target as Record<PropertyKey, unknown>;
    const own = Object.hasOwn(target, p.key);
    saved.push({ target, key: p.key, own, value: own ? target[p.key] : undefined });
    target[p.key] = p.value;
  }
}

/** Restores every real global (idempotent). */
export function removeHermetic(): void {
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

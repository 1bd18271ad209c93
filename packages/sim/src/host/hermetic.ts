// Hermetic mode on Node: the web-standard globals (hermetic-globals.ts) plus `process.hrtime`,
// `process.uptime` and the builtin modules (`node:crypto`, `node:timers`, `node:net`, ...),
// whose functions become trampolines when this module loads.
import { createRequire, syncBuiltinESMExports } from "node:module";
import type { HostedWorld } from "../engine/host.ts";
import {
  currentWorld,
  defineTrampoline,
  installGlobalTrampolines,
  installPatches,
  type Patch,
  removePatches,
  SimTimer,
  simGetRandomValues,
  simRandomUUID,
  strict,
  TIMER_FUNCTIONS,
  timers,
  violation,
  WEB_PATCHES,
  world,
} from "./hermetic-globals.ts";

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

const processObj = process as unknown as object;

/** Node's global patches: the web ones plus the process clock. */
const PATCHES: Patch[] = [
  ...WEB_PATCHES,
  { target: processObj, key: "hrtime", value: simHrtime },
  {
    target: processObj,
    key: "uptime",
    value: () => (strict ? violation("process.uptime()", "ctx.time.now()") : currentWorld().nowNs() / 1e9),
  },
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
for (const [key, value] of Object.entries(TIMER_FUNCTIONS)) {
  MODULE_PATCHES.push({ target: nodeTimers, key, value });
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
  installGlobalTrampolines(PATCHES);
  syncBuiltinESMExports();
}
installTrampolines();

/** Installs the hermetic globals for `w` (idempotent). */
export function installHermetic(w: HostedWorld): void {
  installPatches(w, PATCHES);
}

/** Restores every real global (idempotent). */
export function removeHermetic(): void {
  removePatches();
}

export { forgetHermeticSeed, VIRTUAL_EPOCH_MS } from "./hermetic-globals.ts";
export { SimTimer };

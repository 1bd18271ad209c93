// BUGGIFY: fault-injection sites in production code, inert outside a simulation.
//
// Site identity and its cost:
// - `buggify("label")`: the label is the site. One Map lookup; the recommended form.
// - `` buggify`label` `` (tagged template): the template object is the site. JavaScript gives
//   each template literal in the source one frozen object, the same on every evaluation, so a
//   WeakMap lookup identifies the call site with no stack capture at all. Its name (for
//   `buggifySites()`) is the label text, or the call site's `file:line:column` captured ONCE at
//   the site's first visit when the text is empty.
// - `buggify()` with no argument: JavaScript offers no cheap caller identity, so this form needs
//   a one-frame stack capture to know its site. It draws the fire coin first and captures only
//   when the coin lands (25% of live calls by default, p for buggifyWithProb(p)); outside a
//   simulation, in the quiet tail or with buggify off it returns false before any capture. Use
//   it for cold paths; hot paths should pass a label or use the tagged form
//   (bench/src/chaos/buggify.bench.ts measures all three).
import { checkProbability, InvalidArgumentError } from "@moonpool/core";
import { type ChaosRuntime, chaosEpoch, currentChaosRuntime } from "./runtime.ts";

const STATE = Symbol.for("moonpool.chaos.buggify");

interface BuggifyState {
  /** Epoch of `active`; a new epoch (seed) forgets every activation. */
  epoch: number;
  /** Site name -> activated for this seed. */
  active: Map<string, boolean>;
  /** Tagged-template sites -> their stable name (kept across seeds). */
  templateNames: WeakMap<TemplateStringsArray, string>;
  /** Every site name seen (first visit order), for diagnostics. */
  seen: Set<string>;
}

function state(): BuggifyState {
  // On globalThis so two copies of this package share the sites of the running simulation.
  const g = globalThis as { [STATE]?: BuggifyState };
  g[STATE] ??= { epoch: -1, active: new Map(), templateNames: new WeakMap(), seen: new Set() };
  return g[STATE];
}

/** The `file:line:column` of the code that called `publicFn`. */
function callSiteName(publicFn: PublicFn): string {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 1;
  // Format only the one frame we need (the default formatting of a whole trace is what costs).
  Error.prepareStackTrace = (_e, frames) => {
    const f = frames[0];
    return f ? `${f.getFileName() ?? "?"}:${f.getLineNumber() ?? 0}:${f.getColumnNumber() ?? 0}` : "?";
  };
  try {
    Error.captureStackTrace(holder, publicFn);
    return String(holder.stack);
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** The exported function a stack capture starts above (so the first frame is its caller). */
type PublicFn = (...args: never[]) => unknown;

type SiteArg = string | TemplateStringsArray | undefined;

function siteName(arg: SiteArg, rest: readonly unknown[], publicFn: PublicFn): string {
  if (typeof arg === "string") return arg;
  if (arg === undefined) return callSiteName(publicFn);
  const st = state();
  let name = st.templateNames.get(arg);
  if (name === undefined) {
    const text = String.raw(arg, ...rest).trim();
    name = text.length > 0 ? text : callSiteName(publicFn);
    st.templateNames.set(arg, name);
  }
  return name;
}

/** Activation of `name` for the current seed, drawn at its first visit. */
function isActive(name: string, runtime: ChaosRuntime): boolean {
  const st = state();
  const epoch = chaosEpoch();
  if (st.epoch !== epoch) {
    st.epoch = epoch;
    st.active.clear();
  }
  let active = st.active.get(name);
  if (active === undefined) {
    // First visit this seed: one draw decides activation for the rest of the seed.
    active = runtime.random() < (runtime.buggifyActivation ?? 0.5);
    st.active.set(name, active);
    st.seen.add(name);
  }
  return active;
}

/** The shared decision: is `site` active this seed, and does it fire now with `p`? */
function decide(site: SiteArg, rest: readonly unknown[], p: number | undefined, publicFn: PublicFn): boolean {
  const runtime = currentChaosRuntime();
  if (runtime === null || runtime.buggifyEnabled === false || !runtime.chaosActive()) return false;
  const fireP = p ?? runtime.buggifyProbability ?? 0.25;
  if (site === undefined) {
    // Unlabeled: identifying the site costs a stack capture, so draw the fire coin first and
    // identify the site only when it lands (a fraction p of calls). P(fire) = P(active) * p as
    // for labeled sites; activation is still drawn once per seed, at the site's first
    // identified visit.
    if (!(runtime.random() < fireP)) return false;
    return isActive(callSiteName(publicFn), runtime);
  }
  if (!isActive(siteName(site, rest, publicFn), runtime)) return false;
  return runtime.random() < fireP;
}

/**
 * True when this BUGGIFY site should misbehave now. A site is activated (or not) once per seed,
 * at its first visit (probability 0.5 by default); an active site fires with probability 0.25 by
 * default at each call. Always false outside a simulation, when buggify is off for the seed, and
 * in the quiet tail after the chaos window.
 *
 * ```ts
 * if (buggify("wal.slow-append")) await time.sleep(random.int(1, 200));
 * if (buggify`cache.skip`) return await loadFromDisk();   // tagged form: no string needed
 * ```
 */
export function buggify(label?: string): boolean;
export function buggify(strings: TemplateStringsArray, ...values: unknown[]): boolean;
export function buggify(label?: string | TemplateStringsArray, ...values: unknown[]): boolean {
  return decide(label, values, undefined, buggify);
}

/**
 * Like `buggify` with fire probability `p` (in [0, 1], checked at every call) for an active
 * site. Activation is still per seed, at the runtime's activation probability.
 *
 * ```ts
 * if (buggifyWithProb(0.05, "rpc.drop-reply")) return;
 * ```
 */
export function buggifyWithProb(p: number, label?: string): boolean {
  checkProbability("buggifyWithProb(p)", p);
  return decide(label, [], p, buggifyWithProb);
}

/**
 * `value` normally; when the site fires, a random integer in [min, maxExclusive) from the seed's
 * stream (FDB's BUGGIFY knobs: e.g. a tiny buffer size or a huge timeout on some seeds).
 */
export function buggifyKnob(label: string, value: number, min: number, maxExclusive: number): number {
  if (!(min < maxExclusive)) {
    throw new InvalidArgumentError(
      "buggifyKnob(min, maxExclusive)",
      `min (${min}) must be < maxExclusive (${maxExclusive}) at site "${label}"`,
    );
  }
  if (!decide(label, [], undefined, buggifyKnob)) return value;
  const runtime = currentChaosRuntime()!;
  return min + Math.floor(runtime.random() * (maxExclusive - min));
}

/** Names of every site visited in this process so far and whether each is active this seed. */
export function buggifySites(): { site: string; active: boolean | undefined }[] {
  const st = state();
  const fresh = st.epoch === chaosEpoch();
  return [...st.seen].map((site) => ({ site, active: fresh ? st.active.get(site) : undefined }));
}

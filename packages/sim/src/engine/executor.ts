// The executor entry point: runs one seed of the simulated world on this host (`#host`: Node's,
// or the browser's in a bundle built with the "browser" condition).
import { drainHost } from "#host";
import { expectedLocale, expectedTimeZone, knownLocale, knownTimeZone } from "../host/intl.ts";
import type { DrainHost } from "./host.ts";
import type { RunSeed, SeedOutcome, SeedRunOptions } from "./kernel.ts";
import { SimWorld } from "./world.ts";

const ACTIVE = Symbol.for("moonpool.sim.activeSeed");
type Registry = { [ACTIVE]?: number | null };

/** Default per-seed budgets (the runner usually passes its own). */
export const DEFAULT_BUDGETS = { virtualMs: 3_600_000, wallMs: 60_000, wakesPerInstant: 1_000_000 } as const;

function checkOptions(options: SeedRunOptions): void {
  if (options === null || typeof options !== "object")
    throw new TypeError("runSeed(options): expected an object");
  const { seed, budgets } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(
      `invalid runSeed(options.seed): expected a non-negative safe integer, got ${String(seed)}`,
    );
  }
  if (options.hermetic !== true && options.hermetic !== false && options.hermetic !== "strict") {
    throw new TypeError(
      `invalid runSeed(options.hermetic): expected true, false or "strict", got ${String(options.hermetic)}`,
    );
  }
  if (options.timeZone !== undefined && knownTimeZone(options.timeZone) === null)
    throw new RangeError(`invalid runSeed(options.timeZone): ${expectedTimeZone(options.timeZone)}`);
  if (options.locale !== undefined && knownLocale(options.locale) === null)
    throw new RangeError(`invalid runSeed(options.locale): ${expectedLocale(options.locale)}`);
  if (budgets === null || typeof budgets !== "object")
    throw new TypeError("invalid runSeed(options.budgets): expected an object");
  for (const key of ["virtualMs", "wallMs", "wakesPerInstant"] as const) {
    const v = budgets[key];
    if (typeof v !== "number" || !(v > 0)) {
      throw new RangeError(
        `invalid runSeed(options.budgets.${key}): expected a positive number, got ${String(v)}`,
      );
    }
  }
  if (typeof options.onQuiescent !== "function")
    throw new TypeError("invalid runSeed(options.onQuiescent): expected a function");
  if (typeof options.onTrace !== "function")
    throw new TypeError("invalid runSeed(options.onTrace): expected a function");
}

/** Builds a `RunSeed` on a given host (tests and other hosts; `runSeed` uses this host's). */
export function createRunSeed(host: DrainHost): RunSeed {
  return (options, main) => {
    checkOptions(options);
    if (typeof main !== "function")
      return Promise.reject(new TypeError("runSeed(main): expected a function"));
    const registry = globalThis as Registry;
    const running = registry[ACTIVE];
    if (running !== undefined && running !== null) {
      return Promise.reject(
        new Error(`runSeed: seed ${running} is still running; seeds run one at a time per process`),
      );
    }
    registry[ACTIVE] = options.seed;
    return new Promise<SeedOutcome>((resolve) => {
      const world = new SimWorld(options, host, (outcome) => {
        registry[ACTIVE] = null;
        resolve(outcome);
      });
      try {
        world.start(main);
      } catch (error) {
        host.leave();
        host.endSeed(() => {});
        registry[ACTIVE] = null;
        throw error;
      }
    });
  };
}

/**
 * Runs `main` as the root task of one seed and drains the simulated world until `main` settles
 * or the seed fails. Never rejects for a failure of the simulation: the outcome carries it.
 *
 * @example
 * ```ts
 * const outcome = await runSeed(
 *   { seed: 1, hermetic: true, budgets: DEFAULT_BUDGETS, onQuiescent: () => false, onTrace: () => {} },
 *   async (kernel, actors) => {
 *     const a = actors.createActor("a", "10.0.0.1");
 *     await a.time.sleep(1_000);
 *   },
 * );
 * ```
 */
export const runSeed: RunSeed = createRunSeed(drainHost);

// Module state of libraries that outlives a seed. A library loaded once per process keeps its
// module-level variables from one seed to the next (undici's fast-timer wheel keeps its clock and
// the timers a previous seed left pending), so a seed would depend on the seeds before it. Known
// cases are reset before every seed; users register their own with `registerSeedReset`.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Known libraries: a module path suffix in the CommonJS cache and how to reset its state. */
const KNOWN: readonly {
  readonly suffix: string;
  readonly reset: (exports: Record<string, unknown>) => void;
}[] = [
  {
    // undici (npm): fastNow and the fastTimers array; reset() is its own (test-only) API.
    suffix: "/undici/lib/util/timers.js",
    reset: (exports) => (exports.reset as () => void)(),
  },
];

const discovered = new Map<string, () => void>();
const registered = new Map<string, () => void>();

/** Finds the known libraries loaded so far (called when a simulation run starts). */
export function discoverLibraryState(): void {
  for (const path of Object.keys(require.cache)) {
    if (discovered.has(path)) continue;
    for (const known of KNOWN) {
      const exports = require.cache[path]?.exports as Record<string, unknown> | undefined;
      if (
        path.replaceAll("\\", "/").endsWith(known.suffix) &&
        exports &&
        typeof exports.reset === "function"
      ) {
        discovered.set(path, () => known.reset(exports));
      }
    }
  }
}

/**
 * Runs `reset` before every seed, so module state of your own or of a library (a cache, a
 * connection pool, a counter) starts each seed the same. `name` identifies it (registering the
 * same name again replaces it).
 */
export function registerSeedReset(name: string, reset: () => void): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError("registerSeedReset(name): expected a non-empty string");
  }
  if (typeof reset !== "function") throw new TypeError("registerSeedReset(reset): expected a function");
  registered.set(name, reset);
}

/** Resets every known and registered library state (before a seed). */
export function resetLibraryState(): void {
  for (const reset of discovered.values()) reset();
  for (const reset of registered.values()) reset();
}

// Where the runner gets the executor from. The real one is `runSeed` in engine/executor.ts; a
// test can put another `RunSeed` in its place (e.g. to unit-test the runner against a fake).
import type { RunSeed } from "../../engine/kernel.ts";

const OVERRIDE = Symbol.for("moonpool.sim.runSeedOverride");
type Holder = { [OVERRIDE]?: RunSeed | null };

/** Replaces the executor for this thread (null restores the real one); returns the previous. */
export function setRunSeedOverride(runSeed: RunSeed | null): RunSeed | null {
  const g = globalThis as Holder;
  const previous = g[OVERRIDE] ?? null;
  g[OVERRIDE] = runSeed;
  return previous;
}

let real: RunSeed | null = null;

/** The executor to use now. */
export async function loadRunSeed(): Promise<RunSeed> {
  const override = (globalThis as Holder)[OVERRIDE];
  if (override) return override;
  if (real) return real;
  // Loaded lazily so the runner can be developed before the executor module exists.
  const specifier = "../../engine/executor.ts";
  let mod: { runSeed?: RunSeed };
  try {
    mod = (await import(specifier)) as { runSeed?: RunSeed };
  } catch (error) {
    throw new Error(`the simulation executor (engine/executor.ts) could not be loaded: ${String(error)}`, {
      cause: error,
    });
  }
  if (typeof mod.runSeed !== "function") throw new Error("engine/executor.ts does not export runSeed");
  real = mod.runSeed;
  return real;
}

// Where the runner gets the executor from: `runSeed` of engine/executor.ts, unless a test put
// another `RunSeed` in its place (e.g. to unit-test the runner against a fake).
import { runSeed } from "../../engine/executor.ts";
import type { RunSeed } from "../../engine/kernel.ts";

const OVERRIDE = Symbol.for("moonpool.sim.runSeedOverride");
type Holder = { [OVERRIDE]?: RunSeed | null };

/** Replaces the executor for this thread (null restores the real one); returns the previous. */
export function setRunSeedOverride(replacement: RunSeed | null): RunSeed | null {
  const g = globalThis as Holder;
  const previous = g[OVERRIDE] ?? null;
  g[OVERRIDE] = replacement;
  return previous;
}

/** The executor to use now. */
export function loadRunSeed(): RunSeed {
  return (globalThis as Holder)[OVERRIDE] ?? runSeed;
}

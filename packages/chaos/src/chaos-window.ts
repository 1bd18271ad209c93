import { currentChaosRuntime } from "./runtime.ts";

/**
 * True while a simulation runs and its chaos window is open. False outside a simulation and in
 * the quiet tail after the window, when faults stop and partitions heal (see `QUIET_TAIL`), so
 * liveness checks run on a healed system.
 */
export function chaosActive(): boolean {
  const runtime = currentChaosRuntime();
  return runtime?.chaosActive() === true;
}

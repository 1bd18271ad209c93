// Devices keep deadlines in integer nanoseconds (the engine's unit) and convert only when they
// hand a delay to `kernel.schedule`, which takes milliseconds.
import type { SimKernel, TimerHandle } from "../../engine/kernel.ts";
import { NS_PER_MS } from "../../engine/time-units.ts";

/** Schedules `fn` at the absolute virtual time `atNs` (or now, if that is in the past). */
export function scheduleAt(kernel: SimKernel, atNs: number, label: string, fn: () => void): TimerHandle {
  const delayNs = Math.max(0, atNs - kernel.nowNs());
  return kernel.schedule(delayNs / NS_PER_MS, label, fn);
}

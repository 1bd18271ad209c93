// Device-side time helpers. Devices keep deadlines in integer nanoseconds (the engine's unit)
// and convert only when they hand a delay to `kernel.schedule`, which takes milliseconds.
import type { SimKernel, TimerHandle } from "../../engine/kernel.ts";

/** Milliseconds to integer nanoseconds. */
export function msToNs(ms: number): number {
  return Math.round(ms * 1e6);
}

/** Schedules `fn` at the absolute virtual time `atNs` (or now, if that is in the past). */
export function scheduleAt(kernel: SimKernel, atNs: number, label: string, fn: () => void): TimerHandle {
  const delayNs = Math.max(0, atNs - kernel.nowNs());
  return kernel.schedule(delayNs / 1e6, label, fn);
}

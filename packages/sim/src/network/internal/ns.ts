// Devices keep deadlines in integer nanoseconds (the engine's unit) and convert only when they
// hand a delay to `kernel.schedule` (or a device owner), which take milliseconds.
import type { DeviceOwner } from "../../engine/device-owner.ts";
import type { SimKernel, TimerHandle } from "../../engine/kernel.ts";
import { NS_PER_MS } from "../../engine/time-units.ts";

/** Schedules `fn` at the absolute virtual time `atNs` (or now, if that is in the past). */
export function scheduleAt(kernel: SimKernel, atNs: number, label: string, fn: () => void): TimerHandle {
  const delayNs = Math.max(0, atNs - kernel.nowNs());
  return kernel.schedule(delayNs / NS_PER_MS, label, fn);
}

/** `owner.schedule` at the absolute time `atNs`: dropped if the owner is killed first. */
export function ownedAt(
  kernel: SimKernel,
  owner: DeviceOwner,
  atNs: number,
  label: string,
  fn: () => void,
): TimerHandle {
  return owner.schedule(Math.max(0, atNs - kernel.nowNs()) / NS_PER_MS, label, fn);
}

/** `owner.deliver` at the absolute time `atNs`: runs even if the owner was killed meanwhile. */
export function deliverAt(
  kernel: SimKernel,
  owner: DeviceOwner,
  atNs: number,
  label: string,
  fn: () => void,
): TimerHandle {
  return owner.deliver(Math.max(0, atNs - kernel.nowNs()) / NS_PER_MS, label, fn);
}

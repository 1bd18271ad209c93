/** Network fault families, in swarm draw order. */
export const NETWORK_FAULT_FAMILIES = [
  "pairLatency",
  "clog",
  "partition",
  "bitFlip",
  "partialIo",
  "randomClose",
  "connectFailure",
  "reorder",
  "halfOpen",
  "linkCut",
  "clockDrift",
  "sleepDelay",
] as const;

/** Storage fault families, in swarm draw order (the crash model is not a family: always on). */
export const STORAGE_FAULT_FAMILIES = [
  "readCorruption",
  "writeCorruption",
  "phantomWrite",
  "misdirectedWrite",
  "misdirectedRead",
  "syncFailure",
  "stall",
  "throttle",
] as const;

/** Attrition families (reboot kinds), in swarm draw order. */
export const ATTRITION_FAULT_FAMILIES = ["graceful", "crash", "wipe"] as const;

/** Every fault family a swarm mask can switch on or off. */
export const FAULT_FAMILIES = [
  ...NETWORK_FAULT_FAMILIES,
  ...STORAGE_FAULT_FAMILIES,
  ...ATTRITION_FAULT_FAMILIES,
  "buggify",
  "bursts",
] as const;

export type NetworkFaultFamily = (typeof NETWORK_FAULT_FAMILIES)[number];
export type StorageFaultFamily = (typeof STORAGE_FAULT_FAMILIES)[number];
export type AttritionFaultFamily = (typeof ATTRITION_FAULT_FAMILIES)[number];
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

// Virtual time is integer nanoseconds inside a `number`; public APIs take milliseconds.

/** Nanoseconds per millisecond. */
export const NS_PER_MS = 1_000_000;

/** Converts a non-negative ms duration to integer ns. */
export function msToNs(ms: number): number {
  return Math.round(ms * NS_PER_MS);
}

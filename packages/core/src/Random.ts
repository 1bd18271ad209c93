/**
 * Randomness. Real implementations use crypto randomness; the simulator draws from the seed's
 * counted stream, so every decision replays exactly.
 */
export interface RandomProvider {
  /** A float in [0, 1). */
  random(): number;
  /** An integer in [min, maxExclusive); both must be safe integers with min < maxExclusive. */
  int(min: number, maxExclusive: number): number;
  /** True with probability `p` (default 0.5); `p` must be within [0, 1]. */
  bool(p?: number): boolean;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

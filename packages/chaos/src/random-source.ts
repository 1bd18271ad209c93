import type { RandomProvider } from "@moonpool/core";

/**
 * The only thing chaos decisions need from a random stream: a draw in [0, 1). Any
 * `RandomProvider` (the simulator's counted stream, a test's seeded generator) fits.
 */
export type RandomSource = Pick<RandomProvider, "random">;

/** An integer in [min, maxExclusive) from one draw (`min` when the range is empty or inverted). */
export function drawInt(rng: RandomSource, min: number, maxExclusive: number): number {
  if (maxExclusive <= min) return min;
  return min + Math.floor(rng.random() * (maxExclusive - min));
}

/** A float in [min, max) from one draw (`min` when `max <= min`). */
export function drawBetween(rng: RandomSource, min: number, max: number): number {
  if (max <= min) return min;
  return min + rng.random() * (max - min);
}

/** True with probability `p`. Draws nothing when `p` is 0 or 1, so "off" costs no draw. */
export function drawChance(rng: RandomSource, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return rng.random() < p;
}

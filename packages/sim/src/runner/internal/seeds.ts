// Deriving the seeds of a run from its base seed, and checking user-given seeds.
import { InvalidArgumentError } from "@moonpool/core";

/** The default base seed: runs are reproducible unless a random base seed is asked for. */
export const DEFAULT_BASE_SEED = 1;

/** Seed number `i` of a run: the base seed itself first, then well-mixed 32-bit values. */
export function deriveSeed(base: number, i: number): number {
  if (i === 0) return base;
  let z = (Math.imul(i, 0x9e3779b9) + (base % 0x100000000) + Math.floor(base / 0x100000000)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Throws unless `seed` is a non-negative safe integer. */
export function checkSeed(argument: string, seed: unknown): asserts seed is number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError(argument, `seeds are non-negative safe integers, got ${String(seed)}`);
  }
}

/** A random base seed (only when asked for: `.randomSeed()`). */
export function randomBaseSeed(): number {
  const bytes = new Uint32Array(1);
  globalThis.crypto.getRandomValues(bytes);
  return bytes[0]!;
}

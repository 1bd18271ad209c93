// Deriving the seeds of a run from its base seed, and checking user-given seeds.
import { InvalidArgumentError } from "@moonpool/core";

/** The default base seed: runs are reproducible unless a random base seed is asked for. */
export const DEFAULT_BASE_SEED = 1;

/** Murmur3's 32-bit finalizer: a bijection on 32-bit values with fmix32(0) = 0. */
function fmix32(h: number): number {
  let z = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Seed number `i` of a run: the base seed itself first, then well-mixed 32-bit values. Bases
 * below 2^32 derive what they always did; the high bits of a larger base are mixed in with `i`,
 * so `2 ** 32` and `1` (same low bits plus high bits summed) no longer derive the same seeds.
 */
export function deriveSeed(base: number, i: number): number {
  if (i === 0) return base;
  const low = base % 0x100000000;
  const high = Math.floor(base / 0x100000000);
  let z = (Math.imul(i, 0x9e3779b9) + low) >>> 0;
  if (high !== 0) z = (z ^ fmix32((Math.imul(high, 0x27d4eb2f) + Math.imul(i, 0x165667b1)) >>> 0)) >>> 0;
  return fmix32(z);
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

/**
 * The seeds of an iteration run, in order, each once. For a base below 2^32 the derived seeds
 * are distinct (an odd multiplier and a bijective mix on 32 bits), so only the base itself can
 * come back and nothing else is remembered; a larger base mixes in its high bits, which may
 * repeat a seed, so those runs remember every seed.
 */
export class SeedSequence {
  private readonly base: number;
  private readonly seen: Set<number> | null;
  private i = 0;

  constructor(base: number) {
    this.base = base;
    this.seen = base < 0x100000000 ? null : new Set<number>();
  }

  next(): number {
    for (;;) {
      const i = this.i++;
      const seed = deriveSeed(this.base, i);
      if (this.seen === null) {
        if (i === 0 || seed !== this.base) return seed;
      } else if (!this.seen.has(seed)) {
        this.seen.add(seed);
        return seed;
      }
    }
  }
}

// A small, fast, seedable PRNG on 32-bit integers (sfc32, public domain by Chris Doty-Humphrey)
// and the salted sub-stream derivation used by every seed. Standard JavaScript only.

/** Mixes a 32-bit value (murmur3's finalizer): spreads seed bits before they enter the state. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Salts that keep the streams of one seed independent (ASCII tags, as moonpool does). */
export const StreamSalt = {
  main: 0x6d61696e, // "main"
  schedule: 0x73636864, // "schd"
  select: 0x73656c62, // "selb"
  swarm: 0x7377726d, // "swrm"
} as const;

/** sfc32: 128 bits of state, period >= 2^32, passes PractRand; one `next()` is a few integer ops. */
export class Sfc32 {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;

  /** `seed` is any non-negative safe integer; `salt` selects the sub-stream. */
  constructor(seed: number, salt: number) {
    this.reseed(seed, salt);
  }

  /** Restarts the generator from (seed, salt). */
  reseed(seed: number, salt: number): void {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    this.a = fmix32(lo ^ salt);
    this.b = fmix32(hi ^ Math.imul(salt, 0x9e3779b9));
    this.c = fmix32((lo + 0x6a09e667) ^ fmix32(hi + salt));
    this.d = 1;
    // Warm up so nearby seeds diverge immediately.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

const TWO_POW_32 = 0x100000000;
const TWO_POW_53 = 9007199254740992;

/** A float in [0, 1) with 53 random bits (two 32-bit draws). */
export function drawFloat(g: Sfc32): number {
  const hi = g.next() >>> 5; // 27 bits
  const lo = g.next() >>> 6; // 26 bits
  return (hi * 67108864 + lo) / TWO_POW_53;
}

/** An unbiased integer in [min, maxExclusive); the caller has validated the range. */
export function drawInt(g: Sfc32, min: number, maxExclusive: number): number {
  const range = maxExclusive - min;
  if (range <= TWO_POW_32) {
    // Rejection sampling on 32 bits: no modulo bias.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    for (;;) {
      const x = g.next();
      if (x < limit) return min + (x % range);
    }
  }
  if (range > TWO_POW_53) {
    // Wider than 53 bits (e.g. MIN_SAFE..MAX_SAFE): scale a 53-bit float; not every value is reachable.
    const x = min + Math.floor(drawFloat(g) * range);
    return x < maxExclusive ? x : maxExclusive - 1;
  }
  // Wide ranges: 53-bit draws with rejection.
  const limit = TWO_POW_53 - (TWO_POW_53 % range);
  for (;;) {
    const x = (g.next() >>> 5) * 67108864 + (g.next() >>> 6);
    if (x < limit) return min + (x % range);
  }
}

/** Fills `out` with random bytes. */
export function drawBytes(g: Sfc32, out: Uint8Array): Uint8Array {
  let i = 0;
  for (; i + 4 <= out.length; i += 4) {
    const x = g.next();
    out[i] = x & 0xff;
    out[i + 1] = (x >>> 8) & 0xff;
    out[i + 2] = (x >>> 16) & 0xff;
    out[i + 3] = x >>> 24;
  }
  if (i < out.length) {
    let x = g.next();
    for (; i < out.length; i++) {
      out[i] = x & 0xff;
      x >>>= 8;
    }
  }
  return out;
}

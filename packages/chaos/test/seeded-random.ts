import type { RandomProvider } from "@moonpool/core";

/** A small seeded generator (sfc32) implementing RandomProvider, for deterministic tests. */
export function seededRandom(seed: number): RandomProvider & { draws: number } {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const r = {
    draws: 0,
    random(): number {
      r.draws++;
      return next();
    },
    int(min: number, maxExclusive: number): number {
      return min + Math.floor(r.random() * (maxExclusive - min));
    },
    bool(p = 0.5): boolean {
      return r.random() < p;
    },
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(r.random() * 256);
      return out;
    },
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(r.random() * items.length)]!;
    },
  };
  return r;
}

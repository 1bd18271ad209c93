import { describe, expect, it } from "vitest";
import { deriveSeed, SeedSequence } from "../../../src/runner/internal/seeds.ts";

const derived = (base: number, n = 20) => Array.from({ length: n }, (_, i) => deriveSeed(base, i + 1));

describe("deriveSeed", () => {
  it("bases below 2^32 derive the seeds they always did", () => {
    expect([
      deriveSeed(1, 1),
      deriveSeed(1, 2),
      deriveSeed(42, 3),
      deriveSeed(0xffffffff, 7),
      deriveSeed(0, 5),
    ]).toEqual([2527132011, 314344336, 321366731, 1240119404, 1215922603]);
  });

  it("the high bits of a 64-bit base matter: 1 and 2^32 derive different seeds", () => {
    const one = derived(1);
    const big = derived(2 ** 32);
    expect(big.filter((s, i) => s === one[i])).toEqual([]);
    const shifted = derived(2 ** 32 + 5);
    expect(shifted.filter((s, i) => s === derived(5)[i] || s === derived(6)[i])).toEqual([]);
    expect(new Set(derived(2 ** 40 + 3, 1000)).size).toBeGreaterThan(990);
  });

  it("the base itself comes first and every derived seed is a 32-bit unsigned integer", () => {
    expect(deriveSeed(2 ** 52 + 1, 0)).toBe(2 ** 52 + 1);
    for (const s of derived(Number.MAX_SAFE_INTEGER, 100)) {
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    }
  });
});

describe("SeedSequence", () => {
  /** What the runner did before: derive, skipping every seed already run. */
  const remembered = (base: number, n: number): number[] => {
    const used = new Set<number>();
    const out: number[] = [];
    for (let i = 0; out.length < n; i++) {
      const seed = deriveSeed(base, i);
      if (!used.has(seed)) out.push(seed);
      used.add(seed);
    }
    return out;
  };
  const sequence = (base: number, n: number): number[] => {
    const s = new SeedSequence(base);
    return Array.from({ length: n }, () => s.next());
  };

  it("gives the seeds of a run that remembers every seed, without remembering them", () => {
    for (const base of [0, 1, 7, 0xffffffff, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER])
      expect(sequence(base, 20_000), `base ${base}`).toEqual(remembered(base, 20_000));
  });

  it("skips a derived seed equal to the base", () => {
    const base = deriveSeed(1, 5); // seed 5 of base 1, used as a base: its own seed 0
    const derived = sequence(base, 2_000);
    expect(derived[0]).toBe(base);
    expect(new Set(derived).size).toBe(derived.length);
  });
});

import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors.ts";
import type { ConformanceTarget } from "./ConformanceTarget.ts";
import { errorOf } from "./internal/expectations.ts";

/** RandomProvider: ranges, probabilities, byte counts and argument checks. */
export function randomConformance(target: ConformanceTarget): void {
  describe("random", () => {
    it("random() is in [0, 1) and varies", () =>
      target.run(async ({ random }) => {
        const seen = new Set<number>();
        for (let i = 0; i < 1_000; i++) {
          const x = random.random();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          seen.add(x);
        }
        expect(seen.size).toBeGreaterThan(900);
      }));

    it("int(min, maxExclusive) stays in range and reaches both ends", () =>
      target.run(async ({ random }) => {
        const seen = new Set<number>();
        for (let i = 0; i < 2_000; i++) {
          const x = random.int(-3, 3);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(-3);
          expect(x).toBeLessThan(3);
          seen.add(x);
        }
        expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2]);
        for (let i = 0; i < 20; i++) expect(random.int(7, 8)).toBe(7);
        const lo = Number.MIN_SAFE_INTEGER;
        const hi = Number.MAX_SAFE_INTEGER;
        for (let i = 0; i < 200; i++) {
          const wide = random.int(lo, hi);
          expect(Number.isSafeInteger(wide)).toBe(true);
          expect(wide).toBeGreaterThanOrEqual(lo);
          expect(wide).toBeLessThan(hi);
          const big = random.int(0, hi);
          expect(big).toBeGreaterThanOrEqual(0);
          expect(big).toBeLessThan(hi);
        }
      }));

    it("bool(0) is always false, bool(1) always true, bool() gives both", () =>
      target.run(async ({ random }) => {
        for (let i = 0; i < 500; i++) {
          expect(random.bool(0)).toBe(false);
          expect(random.bool(1)).toBe(true);
        }
        const seen = new Set<boolean>();
        for (let i = 0; i < 200; i++) seen.add(random.bool());
        expect(seen).toEqual(new Set([true, false]));
      }));

    it("bytes(n) returns n bytes", () =>
      target.run(async ({ random }) => {
        for (const n of [0, 1, 16, 1_000]) {
          const bytes = random.bytes(n);
          expect(bytes).toBeInstanceOf(Uint8Array);
          expect(bytes.byteLength).toBe(n);
        }
        const sample = random.bytes(1_000);
        expect(new Set(sample).size).toBeGreaterThan(100);
      }));

    it("pick() returns an element of the array", () =>
      target.run(async ({ random }) => {
        const items = ["a", "b", "c"] as const;
        const seen = new Set<string>();
        for (let i = 0; i < 300; i++) seen.add(random.pick(items));
        expect([...seen].sort()).toEqual(["a", "b", "c"]);
        expect(random.pick([9])).toBe(9);
      }));

    it("rejects bad arguments with InvalidArgumentError", () =>
      target.run(async ({ random }) => {
        const bad: [string, () => unknown][] = [
          ["int(1, 1)", () => random.int(1, 1)],
          ["int(5, 2)", () => random.int(5, 2)],
          ["int(0.5, 2)", () => random.int(0.5, 2)],
          ["int(0, NaN)", () => random.int(0, Number.NaN)],
          ["int(0, 2^60)", () => random.int(0, 2 ** 60)],
          ["bool(1.5)", () => random.bool(1.5)],
          ["bool(-0.1)", () => random.bool(-0.1)],
          ["bool(NaN)", () => random.bool(Number.NaN)],
          ["bytes(-1)", () => random.bytes(-1)],
          ["bytes(1.5)", () => random.bytes(1.5)],
          ["pick([])", () => random.pick([])],
        ];
        for (const [label, call] of bad) {
          expect(await errorOf(call), label).toBeInstanceOf(InvalidArgumentError);
        }
      }));
  });
}

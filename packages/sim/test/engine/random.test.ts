import { InvalidArgumentError } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { drawInt, Sfc32, StreamSalt } from "../../src/engine/prng.ts";
import { CountedRandom, StreamRandom } from "../../src/engine/random-streams.ts";

describe("seeded random streams", () => {
  it("the same (seed, salt) gives the same stream; others differ", () => {
    const take = (seed: number, salt: number) => {
      const g = new Sfc32(seed, salt);
      return Array.from({ length: 8 }, () => g.next());
    };
    expect(take(1, StreamSalt.main)).toEqual(take(1, StreamSalt.main));
    expect(take(1, StreamSalt.main)).not.toEqual(take(2, StreamSalt.main));
    expect(take(1, StreamSalt.main)).not.toEqual(take(1, StreamSalt.schedule));
    expect(take(2 ** 40, StreamSalt.main)).not.toEqual(take(0, StreamSalt.main));
  });

  it("int is unbiased enough and covers the range", () => {
    const g = new Sfc32(9, StreamSalt.main);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[drawInt(g, 0, 6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it("counts draws on the main stream only", () => {
    const main = new CountedRandom(3, StreamSalt.main);
    const sched = new StreamRandom(3, StreamSalt.schedule);
    main.random();
    main.int(0, 10);
    main.bool();
    main.bytes(100);
    main.pick([1, 2, 3]);
    sched.index(5);
    expect(main.draws).toBe(5);
  });

  it("reseed points restart the stream after `count` draws since the last (re)seed", () => {
    const plain = new CountedRandom(1, StreamSalt.main);
    const other = new CountedRandom(77, StreamSalt.main);
    const reseeded = new CountedRandom(1, StreamSalt.main, [{ count: 3, seed: 77 }]);
    const a = Array.from({ length: 6 }, () => reseeded.int(0, 1_000_000));
    const head = Array.from({ length: 3 }, () => plain.int(0, 1_000_000));
    const tail = Array.from({ length: 3 }, () => other.int(0, 1_000_000));
    expect(a).toEqual([...head, ...tail]);
    expect(reseeded.draws).toBe(6);
    expect(reseeded.drawsSinceReseed).toBe(3);
  });

  it("validates arguments with errors naming them", () => {
    const r = new CountedRandom(1, StreamSalt.main);
    expect(() => r.pick([])).toThrow(InvalidArgumentError);
    expect(() => r.int(5, 5)).toThrow(/int\(min, maxExclusive\)/);
    expect(() => r.bool(1.5)).toThrow(/bool\(p\)/);
    expect(() => r.bytes(-1)).toThrow(/bytes\(n\)/);
    expect(() => new CountedRandom(1, StreamSalt.main, [{ count: -1, seed: 2 }])).toThrow(
      /reseeds\[0\]\.count/,
    );
    expect(r.draws).toBe(0);
  });
});

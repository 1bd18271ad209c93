import { describe, expect, it } from "vitest";
import { CodeEdgeHistory, hitClass, hitsAbove } from "../../src/internal/code-edges.ts";

describe("code-edge hit classes", () => {
  it("bucket hit counts as AFL does", () => {
    const counts = [0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 127, 128, 255, 10_000];
    expect(counts.map(hitClass)).toEqual([0, 1, 2, 4, 8, 8, 16, 16, 32, 32, 64, 64, 128, 128, 128]);
  });

  it("give the fewest hits above a known class", () => {
    for (const known of [0, 1, 2, 4, 8, 16, 32, 64]) {
      const n = hitsAbove(known);
      expect(hitClass(n)).toBeGreaterThan(known);
      expect(hitClass(n - 1)).toBeLessThanOrEqual(known);
    }
    expect(hitsAbove(128)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("CodeEdgeHistory", () => {
  it("a never-taken edge is structured novelty, a higher class of a known edge a plain one", () => {
    const h = new CodeEdgeHistory();
    h.merge([{ key: "a#b0.0", hitClass: 2 }]);
    const events = h.novel(
      [
        { key: "a#b0.1", hitClass: 1, count: 9, ordinal: 3 },
        { key: "a#b0.0", hitClass: 4, count: 2, ordinal: 1 },
      ],
      5,
    );
    // Ordered by position, numbered after the timeline's 5 assertion events.
    expect(events.map((e) => [e.message, e.priority, e.seq, e.count, e.ordinal])).toEqual([
      ["a#b0.0", 0, 5, 2, 1],
      ["a#b0.1", 1, 6, 9, 3],
    ]);
    expect(h.novel([{ key: "a#b0.0", hitClass: 2, count: 1, ordinal: 1 }], 0)).toEqual([]);
  });

  it("a hit past the last assertion call feeds the history without a split point", () => {
    const h = new CodeEdgeHistory();
    expect(h.novel([{ key: "a#f0", hitClass: 1 }], 0)).toEqual([]);
    expect(h.isNew([{ key: "a#f0", hitClass: 1 }])).toBe(true);
    h.merge([{ key: "a#f0", hitClass: 1 }]);
    expect(h.isNew([{ key: "a#f0", hitClass: 1 }])).toBe(false);
  });

  it("merges by the best class per edge, in any order", () => {
    const a = new CodeEdgeHistory();
    a.merge([
      { key: "x#f0", hitClass: 8 },
      { key: "x#b1.0", hitClass: 1 },
    ]);
    const b = new CodeEdgeHistory();
    b.merge([
      { key: "x#f0", hitClass: 2 },
      { key: "x#b1.1", hitClass: 128 },
    ]);
    const ab = new CodeEdgeHistory();
    ab.mergeHistory(a);
    ab.mergeHistory(b);
    const ba = new CodeEdgeHistory();
    ba.mergeHistory(b);
    ba.mergeHistory(a);
    expect(ab.export()).toEqual({ "x#b1.0": 1, "x#b1.1": 128, "x#f0": 8 });
    expect(ba.export()).toEqual(ab.export());
    expect(ab.covered()).toBe(3);
    // Classes reached: 8 stands for 1, 2, 4, 8; 128 for all eight.
    expect(ab.classes()).toBe(4 + 1 + 8);
  });
});

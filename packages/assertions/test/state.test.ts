import {
  always,
  assertionReport,
  coverageState,
  exportAssertionState,
  mergeAssertionState,
  reachable,
  resetAssertions,
  sometimes,
  sometimesAll,
  sometimesEach,
  sometimesEachReport,
  sometimesGreaterThan,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

function timelineA(): void {
  always(true, "inv");
  sometimes(false, "rare");
  sometimesGreaterThan(3, 5, "depth");
  sometimesAll({ a: true, b: false }, "both");
  sometimesEach("room", { r: 1 }, { hp: 3 });
}

function timelineB(): void {
  always(false, "inv");
  sometimes(true, "rare");
  reachable("end");
  sometimesGreaterThan(7, 5, "depth");
  sometimesAll({ a: true, b: true }, "both");
  sometimesEach("room", { r: 1 }, { hp: 9 });
  sometimesEach("room", { r: 2 });
}

function stateOf(timeline: () => void) {
  resetAssertions();
  timeline();
  return exportAssertionState();
}

describe("exportAssertionState / mergeAssertionState", () => {
  it("merges in any order to the same table (counts add, best watermark / frontier / quality win)", () => {
    const a = stateOf(timelineA);
    const b = stateOf(timelineB);
    resetAssertions();
    mergeAssertionState(a);
    mergeAssertionState(b);
    const ab = [assertionReport(), sometimesEachReport()];
    resetAssertions();
    mergeAssertionState(b);
    mergeAssertionState(a);
    expect([assertionReport(), sometimesEachReport()]).toEqual(ab);
    const byMessage = Object.fromEntries(assertionReport().map((e) => [e.message, e]));
    expect(byMessage.inv).toMatchObject({ pass: 1, fail: 1, status: "fail" });
    expect(byMessage.depth).toMatchObject({ pass: 1, fail: 1, watermark: 2 });
    expect(byMessage.both).toMatchObject({ frontier: 2, conditions: 2, status: "pass" });
    expect(sometimesEachReport()[0]!.buckets).toEqual([
      { label: "r=1", hits: 2, bestQuality: [9] },
      { label: "r=2", hits: 1 },
    ]);
    // plain data: survives JSON
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("returns the discoveries a merge causes, without calling the hook, and counts them", () => {
    const a = stateOf(timelineA);
    const b = stateOf(timelineB);
    resetAssertions();
    rec.discoveries.length = 0;
    const fromA = mergeAssertionState(a)
      .map((d) => [d.reason, d.message, d.value ?? d.bucket])
      .sort();
    expect(fromA).toEqual([
      ["frontier", "both", 1],
      ["new-bucket", "room", "r=1"],
    ]);
    const fromB = mergeAssertionState(b)
      .map((d) => [d.reason, d.message, d.value ?? d.bucket])
      .sort();
    expect(fromB).toEqual([
      ["first-hit", "depth", 2],
      ["first-hit", "end", undefined],
      ["first-hit", "rare", undefined],
      ["frontier", "both", 2],
      ["new-bucket", "room", "r=2"],
      ["quality", "room", "r=1"],
    ]);
    expect(mergeAssertionState(b)).toEqual([]); // nothing new the second time
    expect(rec.discoveries).toEqual([]);
    expect(coverageState().discoveries).toBe(8);
  });

  it("counts past 2^32 (two-word counters carry)", () => {
    const big = 2 ** 33 - 1; // low word 0xffffffff: the second merge carries
    const state = {
      assertions: [{ message: "hot", kind: "always" as const, pass: big, fail: 0 }],
      buckets: [],
    };
    mergeAssertionState(state);
    mergeAssertionState(state);
    always(true, "hot");
    expect(assertionReport().find((e) => e.message === "hot")?.pass).toBe(2 * big + 1);
  });

  it("rejects malformed state naming the argument", () => {
    expect(() => mergeAssertionState({} as never)).toThrow(/state must be an object/);
    expect(() =>
      mergeAssertionState({ assertions: [{ kind: "nope", message: "x" }], buckets: [] } as never),
    ).toThrow(/state.assertions has an invalid entry/);
  });
});

describe("discovery ids", () => {
  it("are stable per assertion and per bucket, across tables", () => {
    sometimes(true, "x");
    sometimesEach("each", { k: 1 });
    sometimesEach("each", { k: 2 });
    const first = [...rec.discoveryIds];
    expect(new Set(first).size).toBe(3);
    rec = freshWorld({ slots: 7, buckets: 5 }); // other sizes, other slot positions
    sometimes(true, "x");
    sometimesEach("each", { k: 1 });
    sometimesEach("each", { k: 2 });
    expect(rec.discoveryIds).toEqual(first);
  });
});

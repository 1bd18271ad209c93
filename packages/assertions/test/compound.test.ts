import {
  assertionReport,
  resetAssertions,
  sometimesAll,
  sometimesEach,
  sometimesEachReport,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

function entry(message: string) {
  return assertionReport().find((e) => e.message === message)!;
}

describe("sometimesAll", () => {
  it("tracks the frontier (most conditions true at once) and passes only when all hold together", () => {
    sometimesAll({ a: false, b: false, c: false }, "all");
    sometimesAll({ a: true, b: false, c: false }, "all");
    sometimesAll({ a: false, b: true, c: false }, "all"); // still one at once: no growth
    sometimesAll({ a: true, b: true, c: false }, "all");
    expect(entry("all")).toMatchObject({ status: "miss", frontier: 2, conditions: 3, pass: 0, fail: 4 });
    sometimesAll({ a: true, b: true, c: true }, "all");
    expect(entry("all")).toMatchObject({ status: "pass", frontier: 3, pass: 1, fail: 4 });
    expect(rec.discoveries).toEqual([
      { message: "all", kind: "sometimesAll", reason: "frontier", value: 1 },
      { message: "all", kind: "sometimesAll", reason: "frontier", value: 2 },
      { message: "all", kind: "sometimesAll", reason: "frontier", value: 3 },
    ]);
    expect(rec.violations).toEqual([]);
  });

  it("a frontier jump of several conditions is one discovery", () => {
    sometimesAll({ a: true, b: true, c: true }, "jump");
    expect(rec.discoveries).toEqual([
      { message: "jump", kind: "sometimesAll", reason: "frontier", value: 3 },
    ]);
  });
});

describe("sometimesEach", () => {
  it("makes one bucket per distinct identity key combination, whatever the key order", () => {
    sometimesEach("room", { floor: 1, room: 2 });
    sometimesEach("room", { room: 2, floor: 1 });
    sometimesEach("room", { floor: 1, room: 3 });
    sometimesEach("room", { floor: 2, room: 2 });
    expect(rec.discoveries).toEqual([
      { message: "room", kind: "sometimesEach", reason: "new-bucket", bucket: "floor=1, room=2" },
      { message: "room", kind: "sometimesEach", reason: "new-bucket", bucket: "floor=1, room=3" },
      { message: "room", kind: "sometimesEach", reason: "new-bucket", bucket: "floor=2, room=2" },
    ]);
    expect(entry("room")).toMatchObject({ kind: "sometimesEach", pass: 4, status: "pass", buckets: 3 });
    expect(sometimesEachReport()).toEqual([
      {
        message: "room",
        calls: 4,
        buckets: [
          { label: "floor=1, room=2", hits: 2 },
          { label: "floor=1, room=3", hits: 1 },
          { label: "floor=2, room=2", hits: 1 },
        ],
      },
    ]);
  });

  it("keeps the best quality per bucket, first quality key most significant, and discovers improvements", () => {
    sometimesEach("q", { floor: 1 }, { hp: 5, gold: 0 });
    sometimesEach("q", { floor: 1 }, { hp: 4, gold: 99 }); // worse: hp dominates
    sometimesEach("q", { floor: 1 }, { hp: 5, gold: 1 }); // better on the tie-breaker
    sometimesEach("q", { floor: 1 }, { hp: 9, gold: 0 }); // better
    sometimesEach("q", { floor: 2 }, { hp: 1, gold: 0 }); // separate bucket
    expect(rec.discoveries.map((d) => [d.reason, d.bucket, d.quality])).toEqual([
      ["new-bucket", "floor=1", [5, 0]],
      ["quality", "floor=1", [5, 1]],
      ["quality", "floor=1", [9, 0]],
      ["new-bucket", "floor=2", [1, 0]],
    ]);
    expect(sometimesEachReport()[0]!.buckets).toEqual([
      { label: "floor=1", hits: 4, bestQuality: [9, 0] },
      { label: "floor=2", hits: 1, bestQuality: [1, 0] },
    ]);
  });

  it("stays exact through its per-thread cache: changing shapes, NaN, -0, strings, and a reset", () => {
    for (let round = 0; round < 3; round++) {
      sometimesEach("shapes", { a: 1 });
      sometimesEach("shapes", { a: 1, b: 2 });
      sometimesEach("shapes", { b: 2, a: 1 });
      sometimesEach("shapes", { a: Number.NaN });
      sometimesEach("shapes", { a: -0 });
      sometimesEach("shapes", { a: 0 });
      sometimesEach("shapes", { a: "x" as unknown as number });
      sometimesEach("shapes", { a: 4294967296 + 1 });
      sometimesEach("shapes", { a: 1 });
    }
    expect(sometimesEachReport()[0]!.buckets).toEqual([
      { label: "a=0", hits: 6 },
      { label: "a=1", hits: 6 },
      { label: "a=1, b=2", hits: 6 },
      { label: 'a="x"', hits: 3 },
      { label: "a=4294967297", hits: 3 },
      { label: "a=NaN", hits: 3 },
    ]);
    expect(rec.discoveries).toHaveLength(6);
    resetAssertions();
    sometimesEach("shapes", { a: 1 });
    expect(rec.discoveries).toHaveLength(7); // a new run: the bucket is new again
    expect(sometimesEachReport()[0]!.buckets).toEqual([{ label: "a=1", hits: 1 }]);
  });

  it("sites are separate: the same keys under two messages are two buckets", () => {
    sometimesEach("site A", { k: 1 });
    sometimesEach("site B", { k: 1 });
    expect(rec.discoveries.map((d) => d.message)).toEqual(["site A", "site B"]);
  });
});

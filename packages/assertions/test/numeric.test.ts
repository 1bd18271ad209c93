import {
  alwaysGreaterThan,
  alwaysGreaterThanOrEqualTo,
  alwaysLessThan,
  alwaysLessThanOrEqualTo,
  assertionReport,
  sometimesGreaterThan,
  sometimesGreaterThanOrEqualTo,
  sometimesLessThan,
  sometimesLessThanOrEqualTo,
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

describe("numeric always", () => {
  it.each([
    ["alwaysGreaterThan", alwaysGreaterThan, [5, 3], [3, 3]],
    ["alwaysGreaterThanOrEqualTo", alwaysGreaterThanOrEqualTo, [3, 3], [2, 3]],
    ["alwaysLessThan", alwaysLessThan, [2, 3], [3, 3]],
    ["alwaysLessThanOrEqualTo", alwaysLessThanOrEqualTo, [3, 3], [4, 3]],
  ] as const)("%s passes on the boundary it allows and violates past it", (kind, fn, good, bad) => {
    fn(good[0], good[1], "n");
    expect(rec.violations).toEqual([]);
    fn(bad[0], bad[1], "n", { note: "x" });
    expect(rec.violations).toEqual([
      { message: "n", kind, details: { left: bad[0], right: bad[1], note: "x" } },
    ]);
    expect(entry("n")).toMatchObject({ kind, pass: 1, fail: 1, status: "fail" });
    expect(rec.discoveries).toEqual([]);
  });

  it("alwaysGreaterThan keeps the smallest margin (closest to violation)", () => {
    for (const v of [10, 4, 7, 5]) alwaysGreaterThan(v, 3, "gt");
    expect(entry("gt").watermark).toBe(1);
  });

  it("alwaysLessThan keeps the largest margin (closest to violation)", () => {
    for (const v of [-10, -2, -5]) alwaysLessThan(v, 0, "lt");
    expect(entry("lt").watermark).toBe(-2);
  });
});

describe("numeric sometimes", () => {
  it("sometimesGreaterThan: the watermark rises, each rise and the first pass are discoveries", () => {
    sometimesGreaterThan(1, 5, "gt"); // margin -4: the first value only sets the watermark
    sometimesGreaterThan(0, 5, "gt"); // worse: nothing
    sometimesGreaterThan(3, 5, "gt"); // margin -2: better
    sometimesGreaterThan(6, 5, "gt"); // passes for the first time
    sometimesGreaterThan(6, 5, "gt"); // same: nothing
    sometimesGreaterThan(9, 5, "gt"); // margin 4: better
    expect(rec.discoveries).toEqual([
      { message: "gt", kind: "sometimesGreaterThan", reason: "watermark", value: -2 },
      { message: "gt", kind: "sometimesGreaterThan", reason: "first-hit", value: 1 },
      { message: "gt", kind: "sometimesGreaterThan", reason: "watermark", value: 4 },
    ]);
    expect(entry("gt")).toMatchObject({ pass: 3, fail: 3, status: "pass", watermark: 4 });
    expect(rec.violations).toEqual([]);
  });

  it("sometimesLessThan: the watermark falls", () => {
    for (const v of [10, 12, 8, 9, -1]) sometimesLessThan(v, 0, "lt");
    expect(entry("lt")).toMatchObject({ pass: 1, fail: 4, status: "pass", watermark: -1 });
    expect(rec.discoveries.map((d) => d.value)).toEqual([8, -1]);
  });

  it("the or-equal variants pass on equality", () => {
    sometimesGreaterThanOrEqualTo(3, 3, "ge");
    sometimesLessThanOrEqualTo(3, 3, "le");
    expect(entry("ge").status).toBe("pass");
    expect(entry("le").status).toBe("pass");
  });

  it("a numeric sometimes never true is a miss that reports its best margin", () => {
    sometimesGreaterThanOrEqualTo(1, 10, "far");
    sometimesGreaterThanOrEqualTo(7, 10, "far");
    expect(entry("far")).toMatchObject({ status: "miss", watermark: -3 });
  });

  it("compares bigints exactly and tolerates NaN and non-numbers without throwing", () => {
    sometimesGreaterThan(2n ** 64n + 1n, 2n ** 64n, "big");
    expect(entry("big")).toMatchObject({ status: "pass", watermark: 1 });
    sometimesGreaterThan(Number.NaN, 0, "nan");
    expect(entry("nan")).toMatchObject({ status: "miss" });
    expect(entry("nan").watermark).toBeUndefined();
    expect(() => alwaysGreaterThan("x" as unknown as number, 0, "str")).not.toThrow();
    expect(rec.violations.map((v) => v.message)).toEqual(["str"]);
    alwaysLessThan(1n, 2, "mixed");
    expect(entry("mixed")).toMatchObject({ status: "pass", watermark: -1 });
  });
});

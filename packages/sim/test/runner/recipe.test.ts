import { describe, expect, it } from "vitest";
import { checkRecipe, formatRecipe, parseRecipe } from "../../src/index.ts";

describe("recipes", () => {
  it("parse and format round-trip moonpool's count@seed -> count@seed form", () => {
    const text = "12@345 -> 0@7 -> 3@9007199254740991";
    const points = parseRecipe(text);
    expect(points).toEqual([
      { count: 12, seed: 345 },
      { count: 0, seed: 7 },
      { count: 3, seed: Number.MAX_SAFE_INTEGER },
    ]);
    expect(formatRecipe(points)).toBe(text);
    expect(parseRecipe("  1@2->3@4 ")).toEqual([
      { count: 1, seed: 2 },
      { count: 3, seed: 4 },
    ]);
  });

  it("blank text is the empty recipe (the root timeline)", () => {
    expect(parseRecipe("")).toEqual([]);
    expect(parseRecipe("   ")).toEqual([]);
    expect(formatRecipe([])).toBe("");
  });

  it("rejects bad entries with errors naming the argument and the entry", () => {
    expect(() => parseRecipe("12@3 -> 45", "--recipe")).toThrow(/--recipe.*entry 2 "45" has no "@"/);
    expect(() => parseRecipe("x@3")).toThrow(/recipe.*count "x" is not a non-negative integer/);
    expect(() => parseRecipe("1@3.5")).toThrow(/seed "3.5" is not a non-negative integer/);
    expect(() => parseRecipe("-1@3")).toThrow(/count -1 is negative/);
    expect(() => parseRecipe("1@-3")).toThrow(/seed -3 is negative/);
    expect(() => parseRecipe("1@9007199254740992")).toThrow(/not a safe integer/);
    expect(() => parseRecipe("1@2 -> ")).toThrow(/entry 2 "" has no "@"/);
    expect(() => parseRecipe(5 as never)).toThrow(/expected a string/);
  });

  it("checks recipes given as data", () => {
    expect(checkRecipe([{ count: 1, seed: 2 }])).toEqual([{ count: 1, seed: 2 }]);
    expect(() => checkRecipe([{ count: -1, seed: 2 }])).toThrow(/recipe\[0\]\.count/);
    expect(() => checkRecipe([{ count: 1, seed: 1.5 }], "r")).toThrow(/r\[0\]\.seed/);
  });
});

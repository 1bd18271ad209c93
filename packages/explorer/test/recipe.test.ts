import { describe, expect, it } from "vitest";
import { childSeed, parseRecipe, recipeText, type SplitPoint } from "../src/index.ts";

const parent: SplitPoint[] = [{ count: 12, ordinal: 3, seed: 99 }];

describe("child seeds", () => {
  it("are deterministic safe integers", () => {
    const s = childSeed(1, parent, "gate", 0);
    expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    expect(childSeed(1, parent, "gate", 0)).toBe(s);
  });

  it("mix the root seed, the parent recipe, the mark, the child index and the round", () => {
    const base = childSeed(1, parent, "gate", 0);
    const variants = [
      childSeed(2, parent, "gate", 0),
      childSeed(1, [], "gate", 0),
      childSeed(1, [{ count: 12, ordinal: 4, seed: 99 }], "gate", 0),
      childSeed(1, [{ count: 12, ordinal: 3, seed: 98 }], "gate", 0),
      childSeed(1, parent, "gatf", 0),
      childSeed(1, parent, "gate", 1),
      childSeed(1, parent, "gate", 0, 1),
    ];
    for (const v of variants) expect(v).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });
});

describe("recipe text", () => {
  it("drops the ordinals: the text form is moonpool's count@seed", () => {
    const text = recipeText([...parent, { count: 0, ordinal: 1, seed: 7 }]);
    expect(text).toBe("12@99 -> 0@7");
    expect(parseRecipe(text)).toEqual([
      { count: 12, seed: 99 },
      { count: 0, seed: 7 },
    ]);
  });
});

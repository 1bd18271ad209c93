import {
  always,
  alwaysGreaterThan,
  assertionGate,
  assertionReport,
  setAssertionGate,
  sometimes,
  sometimesAll,
  sometimesEach,
  sometimesGreaterThan,
  unreachable,
} from "@moonpool/assertions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});
afterEach(() => setAssertionGate(null));

function everyKind(): void {
  always(false, "a");
  sometimes(true, "s");
  sometimesGreaterThan(3, 1, "n");
  alwaysGreaterThan(0, 1, "an");
  sometimesAll({ x: true }, "all");
  sometimesEach("each", { k: 1 });
  unreachable("u");
}

describe("setAssertionGate", () => {
  it("sees every assertion call, in order, with its kind", () => {
    const kinds: string[] = [];
    setAssertionGate((kind) => {
      kinds.push(kind);
      return true;
    });
    everyKind();
    expect(kinds).toEqual([
      "always",
      "sometimes",
      "sometimesGreaterThan",
      "alwaysGreaterThan",
      "sometimesAll",
      "sometimesEach",
      "unreachable",
    ]);
    expect(rec.violations.length).toBe(3);
  });

  it("a false gate skips accounting, discoveries and violations entirely", () => {
    setAssertionGate(() => false);
    everyKind();
    expect(rec.violations).toEqual([]);
    expect(rec.discoveries).toEqual([]);
    expect(assertionReport().every((e) => e.pass === 0 && e.fail === 0)).toBe(true);
    setAssertionGate(null);
    sometimes(true, "s");
    expect(rec.discoveries.map((d) => d.message)).toEqual(["s"]);
  });

  it("a throwing gate lets the call count, and bad gates are refused", () => {
    setAssertionGate(() => {
      throw new Error("boom");
    });
    sometimes(true, "s");
    expect(rec.discoveries.length).toBe(1);
    expect(() => setAssertionGate(42 as never)).toThrow(/gate must be null or a function/);
    expect(assertionGate()).not.toBeNull();
  });
});

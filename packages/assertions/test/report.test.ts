import {
  always,
  assertionReport,
  coverageState,
  reachable,
  registerAssertion,
  resetAssertions,
  sometimes,
  sometimesAll,
  sometimesEach,
  sometimesGreaterThan,
  unreachable,
  validateAssertionContracts,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

/** A tiny deterministic "workload": what it asserts depends on the seed. */
function runSeed(seed: number): void {
  always(seed % 4 !== 3, "seed not 3 mod 4", { seed });
  sometimes(seed % 5 === 0, "seed divisible by 5");
  if (seed % 2 === 0) reachable("even seed");
  sometimesGreaterThan(seed, 8, "seed above 8");
}

describe("accumulation across seeds", () => {
  it("counts add up over every seed of a run; a reset starts a new run", () => {
    const failingSeeds: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const before = rec.violations.length;
      runSeed(seed);
      if (rec.violations.length > before) failingSeeds.push(seed);
    }
    expect(failingSeeds).toEqual([3, 7]);
    const byMessage = Object.fromEntries(assertionReport().map((e) => [e.message, e]));
    expect(byMessage["seed not 3 mod 4"]).toMatchObject({ pass: 8, fail: 2, status: "fail" });
    expect(byMessage["seed divisible by 5"]).toMatchObject({ pass: 2, fail: 8, status: "pass" });
    expect(byMessage["even seed"]).toMatchObject({ pass: 5, status: "pass" });
    expect(byMessage["seed above 8"]).toMatchObject({ pass: 1, fail: 9, status: "pass", watermark: 1 });
    // logged once over the run, even though two seeds failed
    expect(rec.log).toEqual(['[ASSERTION FAILED] always "seed not 3 mod 4" | {"seed":3}']);

    resetAssertions();
    expect(assertionReport()).toEqual([]);
    expect(coverageState()).toEqual({ discoveries: 0, coverageAssertions: 0, unhit: 0 });
    runSeed(3);
    expect(rec.log).toHaveLength(2); // a new run logs its first failure again
  });

  it("discoveries happen once per run: a second seed covering the same ground adds none", () => {
    runSeed(10);
    const first = coverageState().discoveries;
    expect(first).toBeGreaterThan(0);
    runSeed(10);
    expect(coverageState().discoveries).toBe(first);
    runSeed(12); // new watermark for "seed above 8"
    expect(coverageState().discoveries).toBe(first + 1);
  });
});

describe("contract validation", () => {
  it("separates violations from coverage gaps, with counts and a readable format", () => {
    registerAssertion("reachable", "never reached");
    always(true, "holds");
    always(false, "broken");
    always(true, "broken");
    unreachable("should not happen");
    sometimes(false, "never true");
    sometimesGreaterThan(2, 10, "too low");
    sometimesAll({ a: true, b: false }, "not together");
    sometimesEach("buckets", { k: 1 });
    const v = validateAssertionContracts();
    expect(v.ok).toBe(false);
    expect(v.counts).toEqual({ assertions: 8, violations: 2, coverageGaps: 4, problems: 0 });
    expect(v.violations).toEqual([
      { message: "broken", kind: "always", reason: "failed 1 of 2 evaluations", pass: 1, fail: 1 },
      { message: "should not happen", kind: "unreachable", reason: "reached 1 time", pass: 0, fail: 1 },
    ]);
    expect(v.coverageGaps.map((g) => `${g.kind} ${g.message}: ${g.reason}`)).toEqual([
      "reachable never reached: never reached",
      "sometimes never true: never true (1 evaluation)",
      "sometimesAll not together: never all true (at best 1 of 2 at once; 1 evaluation)",
      "sometimesGreaterThan too low: never true (1 evaluation; best margin -8)",
    ]);
    expect(v.format()).toBe(
      [
        "Assertion contracts: 2 violations, 4 coverage gaps, 0 problems (8 assertions)",
        "Violations:",
        '  FAIL always "broken": failed 1 of 2 evaluations',
        '  FAIL unreachable "should not happen": reached 1 time',
        "Coverage gaps:",
        '  MISS reachable "never reached": never reached',
        '  MISS sometimes "never true": never true (1 evaluation)',
        '  MISS sometimesAll "not together": never all true (at best 1 of 2 at once; 1 evaluation)',
        '  MISS sometimesGreaterThan "too low": never true (1 evaluation; best margin -8)',
      ].join("\n"),
    );
  });

  it("is ok when every contract holds", () => {
    always(true, "a");
    sometimes(true, "b");
    const v = validateAssertionContracts();
    expect(v.ok).toBe(true);
    expect(v.format()).toBe("Assertion contracts: 0 violations, 0 coverage gaps, 0 problems (2 assertions)");
  });

  it("an empty run has no coverage assertions, and says so through coverageState", () => {
    always(true, "only an always");
    expect(coverageState()).toEqual({ discoveries: 0, coverageAssertions: 0, unhit: 0 });
  });
});

import {
  always,
  assertionCatalog,
  assertionReport,
  coverageState,
  registerAssertion,
  registerAssertions,
  resetAssertions,
  sometimes,
  validateAssertionContracts,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld } from "./helpers.ts";

beforeEach(() => {
  freshWorld();
});

describe("catalog", () => {
  it("makes never-evaluated assertions visible: always and sometimes/reachable become misses", () => {
    registerAssertions([
      ["always", "invariant checked"],
      ["alwaysOrUnreachable", "optional invariant"],
      ["sometimes", "rare branch"],
      { kind: "reachable", message: "recovery path" },
      ["unreachable", "impossible state"],
    ]);
    expect(assertionReport()).toEqual([
      { message: "invariant checked", kind: "always", pass: 0, fail: 0, status: "miss" },
      { message: "rare branch", kind: "sometimes", pass: 0, fail: 0, status: "miss" },
      { message: "recovery path", kind: "reachable", pass: 0, fail: 0, status: "miss" },
      { message: "impossible state", kind: "unreachable", pass: 0, fail: 0, status: "pass" },
      { message: "optional invariant", kind: "alwaysOrUnreachable", pass: 0, fail: 0, status: "pass" },
    ]);
    const v = validateAssertionContracts();
    expect(v.violations).toEqual([]);
    expect(v.coverageGaps.map((g) => [g.message, g.reason])).toEqual([
      ["invariant checked", "never evaluated"],
      ["rare branch", "never evaluated"],
      ["recovery path", "never reached"],
    ]);
    expect(coverageState()).toEqual({ discoveries: 0, coverageAssertions: 2, unhit: 2 });

    always(true, "invariant checked");
    sometimes(true, "rare branch");
    expect(validateAssertionContracts().coverageGaps.map((g) => g.message)).toEqual(["recovery path"]);
    expect(coverageState()).toEqual({ discoveries: 1, coverageAssertions: 2, unhit: 1 });
  });

  it("survives resetAssertions while counts do not", () => {
    registerAssertion("sometimes", "kept");
    sometimes(true, "kept");
    sometimes(true, "not registered");
    resetAssertions();
    expect(assertionReport()).toEqual([
      { message: "kept", kind: "sometimes", pass: 0, fail: 0, status: "miss" },
    ]);
    expect(assertionCatalog()).toEqual([{ kind: "sometimes", message: "kept" }]);
  });

  it("rejects bad input with errors that name the argument", () => {
    expect(() => registerAssertion("sometime" as never, "x")).toThrow(/kind must be one of/);
    expect(() => registerAssertion("always", 3 as never)).toThrow(/message must be a string/);
    registerAssertion("always", "dup");
    registerAssertion("always", "dup");
    expect(() => registerAssertion("sometimes", "dup")).toThrow(/already registered as always/);
    expect(() => registerAssertions(5 as never)).toThrow(/entries must be an iterable/);
  });
});

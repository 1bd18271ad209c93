import * as A from "@moonpool/assertions";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

const throwingProxy = () =>
  new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("ownKeys trap");
      },
      get() {
        throw new Error("get trap");
      },
    },
  );
const throwingToString = () => ({
  toString() {
    throw new Error("no string");
  },
});

/** Values user code might pass by mistake, or on purpose at the worst moment. */
const hostile = fc.oneof(
  fc.anything(),
  fc.bigInt(),
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    Symbol("s"),
    () => 1,
    Object.create(null),
  ),
  fc.constant(0).map(throwingProxy),
  fc.constant(0).map(throwingToString),
);

type AnyFn = (...args: unknown[]) => void;
const fns: [string, AnyFn][] = [
  ["always", A.always as AnyFn],
  ["alwaysOrUnreachable", A.alwaysOrUnreachable as AnyFn],
  ["sometimes", A.sometimes as AnyFn],
  ["reachable", A.reachable as AnyFn],
  ["unreachable", A.unreachable as AnyFn],
  ["alwaysGreaterThan", A.alwaysGreaterThan as AnyFn],
  ["alwaysGreaterThanOrEqualTo", A.alwaysGreaterThanOrEqualTo as AnyFn],
  ["alwaysLessThan", A.alwaysLessThan as AnyFn],
  ["alwaysLessThanOrEqualTo", A.alwaysLessThanOrEqualTo as AnyFn],
  ["sometimesGreaterThan", A.sometimesGreaterThan as AnyFn],
  ["sometimesGreaterThanOrEqualTo", A.sometimesGreaterThanOrEqualTo as AnyFn],
  ["sometimesLessThan", A.sometimesLessThan as AnyFn],
  ["sometimesLessThanOrEqualTo", A.sometimesLessThanOrEqualTo as AnyFn],
  ["alwaysSome", A.alwaysSome as AnyFn],
  ["sometimesAll", A.sometimesAll as AnyFn],
  ["sometimesEach", A.sometimesEach as AnyFn],
];

describe("no assertion function ever throws", () => {
  it.each(fns)("%s, whatever its arguments", (_name, fn) => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 5 }), (args) => {
        fn(...args);
      }),
      { numRuns: 300 },
    );
    expect(() => A.assertionReport()).not.toThrow();
    expect(() => A.validateAssertionContracts().format()).not.toThrow();
  });

  it("a violated always still reaches the hook with hostile details or message", () => {
    fc.assert(
      fc.property(hostile, hostile, (message, details) => {
        const before = rec.violations.length;
        A.always(false, message as string, details as A.AssertionDetails);
        A.alwaysGreaterThan(0, 1, message as string, details as A.AssertionDetails);
        A.alwaysSome(
          throwingProxy() as Record<string, boolean>,
          message as string,
          details as A.AssertionDetails,
        );
        expect(rec.violations.length).toBe(before + 3);
        expect(() => JSON.stringify(rec.violations.at(-1))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

import {
  always,
  alwaysOrUnreachable,
  alwaysSome,
  assertionReport,
  reachable,
  setAssertionHooks,
  sometimes,
  unreachable,
  validateAssertionContracts,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

function entry(message: string) {
  return assertionReport().find((e) => e.message === message);
}

describe("always", () => {
  it("counts passes and fails and reports a violation per failing call", () => {
    always(true, "a");
    always(true, "a");
    always(false, "a", { x: 1 });
    always(false, "a", { x: 2 });
    expect(entry("a")).toEqual({ message: "a", kind: "always", pass: 2, fail: 2, status: "fail" });
    expect(rec.violations).toEqual([
      { message: "a", kind: "always", details: { x: 1 } },
      { message: "a", kind: "always", details: { x: 2 } },
    ]);
  });

  it("logs a violated assertion once, with the details of its first failure", () => {
    always(false, "logged", { n: 1 });
    always(false, "logged", { n: 2 });
    expect(rec.log).toEqual(['[ASSERTION FAILED] always "logged" | {"n":1}']);
  });

  it("passes when every evaluation holds and never raises discoveries", () => {
    always(true, "fine");
    expect(entry("fine")?.status).toBe("pass");
    expect(rec.discoveries).toEqual([]);
    expect(rec.violations).toEqual([]);
  });

  it("without hooks only records and logs", () => {
    setAssertionHooks(null);
    expect(() => always(false, "no hooks")).not.toThrow();
    expect(entry("no hooks")?.fail).toBe(1);
    expect(rec.log).toHaveLength(1);
  });
});

describe("alwaysOrUnreachable", () => {
  it("fails like always when false", () => {
    alwaysOrUnreachable(false, "aou");
    expect(entry("aou")?.status).toBe("fail");
    expect(rec.violations.map((v) => v.kind)).toEqual(["alwaysOrUnreachable"]);
  });
  it("passes when true", () => {
    alwaysOrUnreachable(true, "aou ok");
    expect(entry("aou ok")?.status).toBe("pass");
  });
});

describe("sometimes", () => {
  it("is a miss until it holds once, never a violation, and the first hold is a discovery", () => {
    sometimes(false, "s");
    expect(entry("s")).toMatchObject({ pass: 0, fail: 1, status: "miss" });
    sometimes(true, "s");
    sometimes(true, "s");
    expect(entry("s")).toMatchObject({ pass: 2, fail: 1, status: "pass" });
    expect(rec.violations).toEqual([]);
    expect(rec.discoveries).toEqual([{ message: "s", kind: "sometimes", reason: "first-hit" }]);
  });
});

describe("reachable / unreachable", () => {
  it("reachable counts reaches and discovers the first", () => {
    reachable("r");
    reachable("r");
    expect(entry("r")).toMatchObject({ kind: "reachable", pass: 2, status: "pass" });
    expect(rec.discoveries.map((d) => d.reason)).toEqual(["first-hit"]);
  });

  it("unreachable is a violation each time it is reached, logged once with its tag", () => {
    unreachable("u", { why: "oops" });
    unreachable("u");
    expect(entry("u")).toMatchObject({ kind: "unreachable", pass: 0, fail: 2, status: "fail" });
    expect(rec.violations).toEqual([
      { message: "u", kind: "unreachable", details: { why: "oops" } },
      { message: "u", kind: "unreachable" },
    ]);
    expect(rec.log).toEqual(['[UNREACHABLE REACHED] unreachable "u" | {"why":"oops"}']);
  });
});

describe("alwaysSome", () => {
  it("holds when at least one condition does, and reports the conditions when none does", () => {
    alwaysSome({ a: false, b: true }, "some");
    expect(rec.violations).toEqual([]);
    alwaysSome({ a: false, b: false }, "some", { extra: 1 });
    expect(rec.violations).toEqual([
      { message: "some", kind: "alwaysSome", details: { a: false, b: false, extra: 1 } },
    ]);
    expect(entry("some")).toMatchObject({ pass: 1, fail: 1, status: "fail" });
  });
  it("an empty record has no true condition", () => {
    alwaysSome({}, "empty some");
    expect(entry("empty some")?.status).toBe("fail");
  });
});

describe("nothing throws", () => {
  it("serialises bigints and cycles in details", () => {
    const cyclic: Record<string, unknown> = { id: 7n, nested: { deep: [1n, 2] } };
    cyclic.self = cyclic;
    (cyclic.nested as Record<string, unknown>).parent = cyclic;
    expect(() => always(false, "cyclic", cyclic)).not.toThrow();
    expect(rec.violations[0]!.details).toEqual({
      id: "7",
      nested: { deep: ["1", 2], parent: "[Circular]" },
      self: "[Circular]",
    });
    expect(rec.log[0]).toContain('"self":"[Circular]"');
  });

  it("survives throwing getters, throwing toJSON, odd messages and a throwing hook", () => {
    const hostile = {
      get boom(): never {
        throw new Error("getter exploded");
      },
      toJSONHolder: {
        toJSON: () => {
          throw new Error("no json");
        },
      },
      fn: function named() {},
      sym: Symbol("s"),
    };
    expect(() => always(false, "hostile", hostile)).not.toThrow();
    expect(rec.violations[0]!.details).toEqual({
      boom: "[getter failed: getter exploded]",
      toJSONHolder: "[toJSON failed: no json]",
      fn: "[Function named]",
      sym: "Symbol(s)",
    });
    setAssertionHooks({
      onViolation: () => {
        throw new Error("hook broke");
      },
    });
    expect(() => always(false, "hook throws")).not.toThrow();
    expect(() => always(false, 42 as unknown as string)).not.toThrow();
    expect(entry("42")?.fail).toBe(1);
    const v = validateAssertionContracts();
    expect(v.problems.some((p) => p.includes("onViolation hook threw: hook broke"))).toBe(true);
  });

  it("reports one message used with two kinds as a problem, counting into the first slot", () => {
    sometimes(true, "shared name");
    always(false, "shared name");
    expect(rec.violations).toHaveLength(1);
    const v = validateAssertionContracts();
    expect(v.problems).toEqual([
      '"shared name" is used as always but was first seen as sometimes; one message must name one assertion',
    ]);
    expect(v.ok).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { CheckWriter } from "../../src/internal/checks.ts";
import type { TypeModel } from "../../src/model.ts";
import * as rt from "../../src/runtime/index.ts";

// Compiles a check to a function the way an emitted module would, with the runtime helpers in scope.
function compile(t: TypeModel): (v: unknown) => rt.ValidationResult<unknown> {
  const w = new CheckWriter("v");
  w.check(t, "v", [], "d");
  const body = `return function (v, e, d, o) {\n${w.lines.join("\n")}\n};`;
  const check = new Function("bad", "issue", "prefix", "key", "isObject", body)(
    rt.bad,
    rt.issue,
    rt.prefix,
    rt.key,
    rt.isObject,
  );
  return (v) => {
    const e: rt.Issues = [];
    check(v, e, 0, rt.limits(undefined));
    return rt.finish(e, v, "req");
  };
}

const order: TypeModel = {
  kind: "object",
  fields: [
    {
      name: "items",
      wireName: "items",
      optional: false,
      type: {
        kind: "array",
        item: {
          kind: "object",
          fields: [
            { name: "qty", wireName: "qty", optional: false, type: { kind: "number", format: "f64" } },
          ],
        },
      },
    },
  ],
};

describe("CheckWriter (straight-line validators)", () => {
  it("accepts valid input and reports a wrong-typed nested field with its path", () => {
    const validate = compile(order);
    expect(validate({ items: [{ qty: 1 }] })).toEqual({ ok: true, value: { items: [{ qty: 1 }] } });
    const r = validate({ items: [{ qty: 1 }, { qty: 1 }, { qty: 1 }, { qty: "3" }] });
    expect(r).toEqual({
      ok: false,
      errors: [{ path: "req.items[3].qty", message: 'expected finite number, got string "3"' }],
    });
  });
});

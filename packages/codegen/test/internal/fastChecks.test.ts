// The boolean fast path (`is_T`) accepts exactly what the error-collecting check (`v_T`) accepts,
// under every option: many valid and mutated values, for the fixtures' message types and for random
// type models, under random limits (unknown keys rejected or not, small depth, array, string and
// byte limits, few errors).
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDeclarations } from "../../src/index.ts";
import type { FieldModel, TypeModel } from "../../src/model.ts";
import { type Limits, limits } from "../../src/runtime/index.ts";
import { compileChecks } from "../support/compileChecks.ts";
import { Rng, sample } from "../support/sampleValues.ts";

const here = fileURLToPath(new URL("..", import.meta.url));

const limitsArb: fc.Arbitrary<Limits> = fc
  .record({
    unknownKeys: fc.constantFrom("allow", "reject" as const),
    maxDepth: fc.integer({ min: 0, max: 8 }),
    maxArrayLength: fc.integer({ min: 0, max: 5 }),
    maxStringLength: fc.integer({ min: 0, max: 8 }),
    maxBytesLength: fc.integer({ min: 0, max: 6 }),
    maxErrors: fc.integer({ min: 1, max: 3 }),
  })
  .chain((small) =>
    fc.constantFrom(limits(small), limits(undefined), limits({ unknownKeys: small.unknownKeys })),
  );

/** Runs `values` samples of `name` per case and checks both verdicts agree; returns the tallies. */
function agree(
  checks: ReturnType<typeof compileChecks>,
  env: ReadonlyMap<string, TypeModel>,
  name: string,
  seed: number,
  o: Limits,
  tally: { valid: number; invalid: number },
): void {
  const r = new Rng(seed);
  for (let i = 0; i < 25; i++) {
    const value = sample(env.get(name)!, env, r, r.pick([0, 0.01, 0.05, 0.2]));
    const errors = checks.full(name, value, o);
    const fast = checks.fast(name, value, o);
    if (fast !== (errors.length === 0))
      throw new Error(
        `${name}: fast path says ${fast}, full check found ${JSON.stringify(errors)} under ${JSON.stringify(o)}`,
      );
    if (fast) tally.valid++;
    else tally.invalid++;
  }
}

describe("fast path (is_T) and full check (v_T) agree", () => {
  it("on the fixtures' message types", () => {
    const files = ["counter.ts", "shop.ts", "edges.ts"].map((f) => `${here}fixtures/${f}`);
    const types = readDeclarations(files, { cwd: here }).flatMap((m) => m.types);
    const env = new Map(types.map((t) => [t.name, t.type]));
    const checks = compileChecks([...env].map(([name, type]) => ({ name, type })));
    const names = [...env.keys()];
    const tally = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer(), limitsArb, (name, seed, o) => {
        agree(checks, env, name, seed, o, tally);
      }),
      { numRuns: 400 },
    );
    // Both verdicts are exercised, so the comparison is not vacuous.
    expect(tally.valid).toBeGreaterThan(500);
    expect(tally.invalid).toBeGreaterThan(500);
  });

  it("on random type models", () => {
    const tally = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(modelArb, fc.integer(), limitsArb, (root, seed, o) => {
        const env = new Map<string, TypeModel>([
          ["Root", root],
          ["Named", NAMED],
          ["Node", NODE],
        ]);
        const checks = compileChecks([...env].map(([name, type]) => ({ name, type })));
        agree(checks, env, "Root", seed, o, tally);
      }),
      { numRuns: 300 },
    );
    expect(tally.valid).toBeGreaterThan(500);
    expect(tally.invalid).toBeGreaterThan(500);
  });

  it("refuses maxErrors 0, which would stop the full check after an array's first item", () => {
    expect(() => limits({ maxErrors: 0 })).toThrow("options.maxErrors: expected a positive integer");
  });
});

const field = (name: string, type: TypeModel, optional = false): FieldModel => ({
  name,
  wireName: name,
  type,
  optional,
});

/** A named type the random models refer to. */
const NAMED: TypeModel = {
  kind: "object",
  fields: [field("id", { kind: "bigint", format: "u64" }), field("note", { kind: "string" }, true)],
};
/** A recursive one: the cycle passes through an optional field and an array. */
const NODE: TypeModel = {
  kind: "object",
  fields: [
    field("label", { kind: "string" }),
    field("next", { kind: "ref", name: "Node" }, true),
    field("kids", { kind: "array", item: { kind: "ref", name: "Node" } }),
    field("named", { kind: "nullable", inner: { kind: "ref", name: "Named" } }),
  ],
};

// Field names include inherited `Object.prototype` members and a non-identifier.
const FIELD_NAMES = ["a", "b", "valueOf", "toString", "odd key", "n"];

const leafArb: fc.Arbitrary<TypeModel> = fc.oneof(
  fc.constantFrom<TypeModel>(
    { kind: "string" },
    { kind: "boolean" },
    { kind: "null" },
    { kind: "void" },
    { kind: "bytes" },
    { kind: "uid" },
    { kind: "address" },
    { kind: "endpoint" },
    { kind: "service", service: "S" },
    { kind: "ref", name: "Named" },
    { kind: "ref", name: "Node" },
  ),
  fc
    .constantFrom("f64", "f32", "u8", "u16", "u32", "i8", "i16", "i32" as const)
    .map((format): TypeModel => ({ kind: "number", format })),
  fc.constantFrom("u64", "i64" as const).map((format): TypeModel => ({ kind: "bigint", format })),
  fc
    .constantFrom<string | number | boolean>("edge", 1, 0.5, true)
    .map((value): TypeModel => ({ kind: "literal", value })),
  fc
    .uniqueArray(fc.constantFrom("a", "b", "in stock", "3d"), { minLength: 1, maxLength: 3 })
    .map((values): TypeModel => ({ kind: "enum", values })),
);

const fieldsArb = (inner: fc.Arbitrary<TypeModel>, exclude: string[] = []) =>
  fc
    .uniqueArray(fc.constantFrom(...FIELD_NAMES.filter((n) => !exclude.includes(n))), { maxLength: 4 })
    .chain((names) =>
      fc.tuple(...names.map((n) => fc.tuple(inner, fc.boolean()).map(([t, opt]) => field(n, t, opt)))),
    );

const { model: modelArb } = fc.letrec<{ model: TypeModel }>((tie) => ({
  model: fc.oneof(
    { maxDepth: 3, depthIdentifier: "model" },
    leafArb,
    tie("model").map((item): TypeModel => ({ kind: "array", item })),
    fc.array(tie("model"), { maxLength: 3 }).map((items): TypeModel => ({ kind: "tuple", items })),
    fieldsArb(tie("model")).map((fields): TypeModel => ({ kind: "object", fields })),
    tie("model").map((value): TypeModel => ({ kind: "record", value })),
    tie("model").map((inner): TypeModel => ({ kind: "nullable", inner })),
    fc
      .tuple(
        fc.constantFrom("kind", "valueOf"),
        fc.uniqueArray(fc.constantFrom("x", "y", "z z"), { minLength: 1, maxLength: 3 }),
      )
      .chain(([tag, tags]) =>
        fc
          .tuple(...tags.map((t) => fieldsArb(tie("model"), [tag]).map((fields) => ({ tag: t, fields }))))
          .map((variants): TypeModel => ({ kind: "union", tag, variants })),
      ),
  ),
}));

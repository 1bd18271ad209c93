// Compiles a TypeModel to the boolean fast path of `validateT` (`is_T`): the same verdict as the
// error-collecting value check (`v_T`, checks.ts) under the same limits, but straight-line code that
// returns false at the first problem, allocates nothing and builds no path or message. `validateT`
// runs it first and runs `v_T` only on a refusal, to say where and why.

import type { FieldModel, TypeModel, VariantModel } from "../model.ts";
import { CodeWriter } from "./codeWriter.ts";
import { lit, read } from "./paths.ts";
import { bigintBounds, INT_RANGES, SERVICE_BLOB_FIELDS } from "./typeFacts.ts";

const REFUSE = "return false;";

/** Emits the body statements of one `is_T(v, d, o): boolean` function. */
export class FastCheckWriter extends CodeWriter {
  readonly #named: (name: string) => TypeModel | undefined;

  /** `named` resolves refs, so a required field of a named type needs no separate `undefined` test. */
  constructor(named: (name: string) => TypeModel | undefined = () => undefined) {
    super();
    this.#named = named;
  }

  /** Whether a check of `t` alone refuses `undefined` (else a required field tests it first). */
  refusesUndefined(t: TypeModel, seen = new Set<string>()): boolean {
    if (t.kind === "void") return false;
    if (t.kind === "nullable") return this.refusesUndefined(t.inner, seen);
    if (t.kind !== "ref") return true;
    const target = this.#named(t.name);
    if (target === undefined || seen.has(t.name)) return false;
    seen.add(t.name);
    return this.refusesUndefined(target, seen);
  }

  /** Emits statements that return false unless `x` (a variable) is a valid `t` at depth `d`. */
  check(t: TypeModel, x: string, d: string): void {
    switch (t.kind) {
      case "string":
        this.refuseIf(`typeof ${x} !== "string" || ${x}.length > o.maxString`);
        return;
      case "boolean":
        this.refuseIf(`typeof ${x} !== "boolean"`);
        return;
      case "null":
        this.refuseIf(`${x} !== null`);
        return;
      case "void":
        this.refuseIf(`${x} !== undefined && ${x} !== null`);
        return;
      case "literal":
        this.refuseIf(`${x} !== ${JSON.stringify(t.value)}`);
        return;
      case "enum":
        this.refuseIf(t.values.map((v) => `${x} !== ${JSON.stringify(v)}`).join(" && "));
        return;
      case "number":
        if (t.format === "f64" || t.format === "f32") this.refuseIf(`!Number.isFinite(${x})`);
        else {
          const [lo, hi] = INT_RANGES[t.format];
          this.refuseIf(
            `typeof ${x} !== "number" || !Number.isInteger(${x}) || ${x} < ${lo} || ${x} > ${hi}`,
          );
        }
        return;
      case "bigint": {
        const [lo, hi] = bigintBounds(t.format);
        this.refuseIf(`typeof ${x} !== "bigint" || ${x} < ${lo} || ${x} > ${hi}`);
        return;
      }
      case "array": {
        this.refuseIf(`!Array.isArray(${x}) || ${x}.length > o.maxArray || ${d} >= o.maxDepth`);
        const i = this.tmp("i");
        this.open(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`);
        const y = this.tmp("y");
        this.line(`const ${y} = ${x}[${i}];`);
        this.check(t.item, y, `${d} + 1`);
        this.close();
        return;
      }
      case "tuple":
        this.refuseIf(`!Array.isArray(${x}) || ${x}.length !== ${t.items.length} || ${d} >= o.maxDepth`);
        t.items.forEach((item, i) => {
          const y = this.tmp("y");
          this.line(`const ${y} = ${x}[${i}];`);
          this.check(item, y, `${d} + 1`);
        });
        return;
      case "object":
        this.object(t.fields, x, d, undefined);
        return;
      case "record": {
        this.refuseIf(`!isObject(${x}) || ${d} >= o.maxDepth`);
        const ks = this.tmp("ks");
        this.line(`const ${ks} = Object.keys(${x});`);
        this.refuseIf(`${ks}.length > o.maxArray`);
        const k = this.tmp("key");
        this.open(`for (const ${k} of ${ks}) {`);
        this.refuseIf(`${k} === "__proto__" || ${k} === "constructor" || ${k} === "prototype"`);
        const y = this.tmp("y");
        this.line(`const ${y} = ${x}[${k}];`);
        this.check(t.value, y, `${d} + 1`);
        this.close();
        return;
      }
      case "nullable":
        this.open(`if (${x} !== null) {`);
        this.check(t.inner, x, d);
        this.close();
        return;
      case "ref":
        this.refuseIf(`!is_${t.name}(${x}, ${d}, o)`);
        return;
      case "union":
        this.union(t.tag, t.variants, x, d);
        return;
      case "bytes":
        this.refuseIf(`!(${x} instanceof Uint8Array) || ${x}.length > o.maxBytes`);
        return;
      case "uid":
        this.refuseIf(`!(${x} instanceof UID)`);
        return;
      case "address":
        this.refuseIf(`!(${x} instanceof NetworkAddress)`);
        return;
      case "endpoint":
        this.refuseIf(`!(${x} instanceof Endpoint)`);
        return;
      case "service":
        this.object(SERVICE_BLOB_FIELDS, x, d, undefined);
        return;
    }
  }

  refuseIf(condition: string): void {
    this.line(`if (${condition}) ${REFUSE}`);
  }

  /** An object's fields; `tag` is a union's tag field (allowed beside the fields). */
  object(fields: readonly FieldModel[], x: string, d: string, tag: string | undefined): void {
    this.refuseIf(`!isObject(${x}) || ${d} >= o.maxDepth`);
    for (const f of fields) {
      const fx = this.tmp("f");
      this.line(`const ${fx} = ${read(x, f.name)};`);
      if (f.optional) {
        this.open(`if (${fx} !== undefined) {`);
        this.check(f.type, fx, `${d} + 1`);
        this.close();
      } else {
        if (!this.refusesUndefined(f.type)) this.refuseIf(`${fx} === undefined`);
        this.check(f.type, fx, `${d} + 1`);
      }
    }
    const allowed = [...(tag === undefined ? [] : [tag]), ...fields.map((f) => f.name)];
    if (allowed.length === 0) {
      this.refuseIf(`o.reject && Object.keys(${x}).length > 0`);
      return;
    }
    // A call, not an inline loop: the loop would make every is_T too large for V8 to inline into
    // its parent's check, which cost valid input ~30% even with unknown keys allowed.
    this.refuseIf(`o.reject && !onlyKeys(${x}, [${allowed.map(lit).join(", ")}])`);
  }

  union(tag: string, variants: readonly VariantModel[], x: string, d: string): void {
    this.refuseIf(`!isObject(${x})`);
    this.open(`switch (${read(x, tag)}) {`);
    for (const v of variants) {
      this.open(`case ${lit(v.tag)}: {`);
      this.object(v.fields, x, d, tag);
      this.line("break;");
      this.close();
    }
    this.open("default:");
    this.line(REFUSE);
    this.outdent();
    this.close();
  }
}

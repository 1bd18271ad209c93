// Compiles a TypeModel to a wire encoder (`e_T`): the in-memory form -> the serde value a codec
// writes (externally tagged enums, renamed fields), in serde's key order.

import type { FieldModel, TypeModel } from "../model.ts";
import { CodeWriter } from "./codeWriter.ts";
import { lit, propName, seg } from "./paths.ts";

/** Emits the body statements of one encoder function. */
export class EncodeWriter extends CodeWriter {
  readonly #needsEncode: (name: string) => boolean;

  /** `needsEncode(name)`: whether the named type's wire form differs (it then has an `e_` function). */
  constructor(needsEncode: (name: string) => boolean, firstTemp = 0) {
    super(firstTemp);
    this.#needsEncode = needsEncode;
  }

  /** Encoder: returns the wire expression of in-memory value `x` (statements as needed). */
  encode(t: TypeModel, x: string): string {
    if (!needsEncoding(t, this.#needsEncode)) return x;
    switch (t.kind) {
      case "ref":
        return `e_${t.name}(${x})`;
      case "array": {
        const y = this.tmp("y");
        const inner = new EncodeWriter(this.#needsEncode, this.nextTemp + 1000);
        const expr = inner.encode(t.item, y);
        if (inner.lines.length === 0) return `${x}.map((${y}: any) => ${expr})`;
        const out = this.tmp("a");
        this.line(`const ${out}: unknown[] = [];`);
        this.open(`for (const ${y} of ${x}) {`);
        const e2 = this.encode(t.item, y);
        this.line(`${out}.push(${e2});`);
        this.close();
        return out;
      }
      case "tuple":
        return `[${t.items
          .map((it, i) => {
            const y = this.tmp("y");
            this.line(`const ${y} = ${x}[${i}];`);
            return this.encode(it, y);
          })
          .join(", ")}]`;
      case "record": {
        const out = this.tmp("m");
        const k = this.tmp("key");
        this.line(`const ${out}: Record<string, unknown> = {};`);
        this.open(`for (const ${k} of Object.keys(${x})) {`);
        const y = this.tmp("y");
        this.line(`const ${y} = ${x}[${k}];`);
        this.line(`${out}[${k}] = ${this.encode(t.value, y)};`);
        this.close();
        return out;
      }
      case "nullable": {
        const out = this.tmp("n");
        this.line(`let ${out}: unknown = null;`);
        this.open(`if (${x} !== null) {`);
        this.line(`${out} = ${this.encode(t.inner, x)};`);
        this.close();
        return out;
      }
      case "object":
        return this.encodeFields(t.fields, x);
      case "union": {
        const out = this.tmp("u");
        this.line(`let ${out}: unknown;`);
        this.open(`switch (${x}${seg(t.tag)}) {`);
        for (const v of t.variants) {
          this.open(`case ${lit(v.tag)}: {`);
          if (v.fields.length === 0) this.line(`${out} = ${lit(v.tag)};`);
          else this.line(`${out} = { ${propName(v.tag)}: ${this.encodeFields(v.fields, x)} };`);
          this.line("break;");
          this.close();
        }
        this.line(`default: throw new TypeError(\`unknown variant \${String(${x}${seg(t.tag)})}\`);`);
        this.close();
        return out;
      }
      default:
        return x;
    }
  }

  encodeFields(fields: readonly FieldModel[], x: string): string {
    const out = this.tmp("o");
    // Keys in declaration order (serde's order): a literal up to the first optional field.
    const firstOptional = fields.findIndex((f) => f.optional);
    const lead = firstOptional < 0 ? fields : fields.slice(0, firstOptional);
    const parts = lead.map((f) => {
      const y = this.tmp("y");
      this.line(`const ${y} = ${x}${seg(f.name)};`);
      return `${propName(f.wireName)}: ${this.encode(f.type, y)}`;
    });
    this.line(`const ${out}: Record<string, unknown> = { ${parts.join(", ")} };`);
    for (const f of firstOptional < 0 ? [] : fields.slice(firstOptional)) {
      const y = this.tmp("y");
      this.line(`const ${y} = ${x}${seg(f.name)};`);
      if (f.optional) this.open(`if (${y} !== undefined) {`);
      this.line(`${out}${seg(f.wireName)} = ${this.encode(f.type, y)};`);
      if (f.optional) this.close();
    }
    return out;
  }
}

/** True when the wire form of `t` differs from its in-memory form (enums, renames). */
export function needsEncoding(t: TypeModel, named: (name: string) => boolean): boolean {
  switch (t.kind) {
    case "ref":
      return named(t.name);
    case "array":
      return needsEncoding(t.item, named);
    case "record":
      return needsEncoding(t.value, named);
    case "nullable":
      return needsEncoding(t.inner, named);
    case "tuple":
      return t.items.some((i) => needsEncoding(i, named));
    case "object":
      return t.fields.some((f) => f.name !== f.wireName || needsEncoding(f.type, named));
    case "union":
      return true;
    default:
      return false;
  }
}

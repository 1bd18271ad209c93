// Compiles a TypeModel to the straight-line checks that collect errors: value checks (`v_T`: the
// in-memory form) and wire decoders (`w_T`: the serde value a codec produced -> the in-memory
// form). Paths are built only on the error branches, so valid input costs no string work; the
// boolean fast path (fastChecks.ts) runs first and these run only to say why a value is refused.

import type { FieldModel, TypeModel, VariantModel } from "../model.ts";
import { CodeWriter } from "./codeWriter.ts";
import { lit, type Path, propName, read, render, seg } from "./paths.ts";
import { bigintBounds, INT_RANGES, label, SERVICE_BLOB_FIELDS } from "./typeFacts.ts";

/** `v`: check the in-memory form; `w`: decode the wire form (building the result). */
export type Mode = "v" | "w";

/** Emits the body statements of one check or decoder function. */
export class CheckWriter extends CodeWriter {
  readonly #mode: Mode;

  constructor(mode: Mode) {
    super();
    this.#mode = mode;
  }

  /** Checks `x` (a variable) against `t` at depth `d`; returns the decoded value's expression (mode `w`). */
  check(t: TypeModel, x: string, p: Path, d: string): string {
    const P = () => render(p);
    const w = this.#mode === "w";
    switch (t.kind) {
      case "string":
        this.line(`if (typeof ${x} !== "string") bad(e, ${P()}, "string", ${x});`);
        this.line(
          `else if (${x}.length > o.maxString) issue(e, ${P()}, \`string longer than \${o.maxString} (\${${x}.length})\`);`,
        );
        return x;
      case "boolean":
        this.line(`if (typeof ${x} !== "boolean") bad(e, ${P()}, "boolean", ${x});`);
        return x;
      case "null":
        this.line(`if (${x} !== null) bad(e, ${P()}, "null", ${x});`);
        return "null";
      case "void":
        this.line(`if (${x} !== undefined && ${x} !== null) bad(e, ${P()}, "nothing", ${x});`);
        return "undefined";
      case "literal":
        this.line(`if (${x} !== ${JSON.stringify(t.value)}) bad(e, ${P()}, ${lit(label(t))}, ${x});`);
        return x;
      case "enum":
        this.line(
          `if (${t.values.map((v) => `${x} !== ${JSON.stringify(v)}`).join(" && ")}) bad(e, ${P()}, ${lit(label(t))}, ${x});`,
        );
        return x;
      case "number":
        if (t.format === "f64" || t.format === "f32") {
          this.line(
            `if (typeof ${x} !== "number" || !Number.isFinite(${x})) bad(e, ${P()}, ${lit(label(t))}, ${x});`,
          );
        } else {
          const [lo, hi] = INT_RANGES[t.format];
          this.line(
            `if (typeof ${x} !== "number" || !Number.isInteger(${x}) || ${x} < ${lo} || ${x} > ${hi}) bad(e, ${P()}, ${lit(label(t))}, ${x});`,
          );
        }
        return x;
      case "bigint":
        return this.bigint(t.format, x, P());
      case "array":
        return this.array(t.item, x, p, d);
      case "tuple": {
        const out = w ? this.tmp("t") : x;
        if (w) this.line(`let ${out}: any;`);
        this.line(
          `if (!Array.isArray(${x}) || ${x}.length !== ${t.items.length}) bad(e, ${P()}, ${lit(label(t))}, ${x});`,
        );
        this.line(`else if (${d} >= o.maxDepth) issue(e, ${P()}, \`nested deeper than \${o.maxDepth}\`);`);
        this.open("else {");
        const outs = t.items.map((item, i) => {
          const y = this.tmp("y");
          this.line(`const ${y} = ${x}[${i}];`);
          return this.check(item, y, [...p, { lit: `[${i}]` }], `${d} + 1`);
        });
        if (w) this.line(`${out} = [${outs.join(", ")}];`);
        this.close();
        return out;
      }
      case "object":
        return this.object(t.fields, x, p, d, undefined);
      case "record":
        return this.record(t.value, x, p, d);
      case "nullable": {
        const out = this.tmp("n");
        if (w) {
          this.line(`let ${out}: any = null;`);
          this.open(`if (${x} !== null && ${x} !== undefined) {`);
        } else this.open(`if (${x} !== null) {`);
        const inner = this.check(t.inner, x, p, d);
        if (w) this.line(`${out} = ${inner};`);
        this.close();
        return out;
      }
      case "ref": {
        const k = this.tmp("k");
        const out = this.tmp("r");
        if (p.length > 0) this.line(`const ${k} = e.length;`);
        this.line(`${w ? `const ${out} = ` : ""}${this.#mode}_${t.name}(${x}, e, ${d}, o);`);
        if (p.length > 0) this.line(`if (e.length !== ${k}) prefix(e, ${k}, ${P()});`);
        return out;
      }
      case "union":
        return w ? this.unionWire(t.tag, t.variants, x, p, d) : this.unionValue(t.tag, t.variants, x, p, d);
      case "bytes":
        return this.bytes(x, p);
      case "uid":
        if (!w) {
          this.line(`if (!(${x} instanceof UID)) bad(e, ${P()}, "UID", ${x});`);
          return x;
        }
        return this.uidWire(x, p, d);
      case "address":
        if (!w) {
          this.line(`if (!(${x} instanceof NetworkAddress)) bad(e, ${P()}, "NetworkAddress", ${x});`);
          return x;
        }
        return this.addressWire(x, p, d);
      case "endpoint": {
        if (!w) {
          this.line(`if (!(${x} instanceof Endpoint)) bad(e, ${P()}, "Endpoint", ${x});`);
          return x;
        }
        const out = this.tmp("ep");
        this.line(`let ${out}: any;`);
        this.line(`if (!isObject(${x})) bad(e, ${P()}, "Endpoint {address, token}", ${x});`);
        this.open("else {");
        const a = this.tmp("y");
        const tk = this.tmp("y");
        this.line(`const ${a} = ${x}.address;`);
        this.line(`const ${tk} = ${x}.token;`);
        const ao = this.addressWire(a, [...p, { lit: ".address" }], `${d} + 1`);
        const to = this.uidWire(tk, [...p, { lit: ".token" }], `${d} + 1`);
        this.line(`if (${ao} !== undefined && ${to} !== undefined) ${out} = new Endpoint(${ao}, ${to});`);
        this.close();
        return out;
      }
      case "service":
        return this.object(SERVICE_BLOB_FIELDS, x, p, d, undefined);
    }
  }

  bigint(format: "u64" | "i64", x: string, P: string): string {
    const [lo, hi] = bigintBounds(format);
    const l = lit(label({ kind: "bigint", format }));
    if (this.#mode === "v") {
      this.line(`if (typeof ${x} !== "bigint" || ${x} < ${lo} || ${x} > ${hi}) bad(e, ${P}, ${l}, ${x});`);
      return x;
    }
    // serde writes u64/i64 as bare JSON numbers: small ones decode as numbers, large as bigints.
    const out = this.tmp("b");
    this.line(
      `const ${out} = typeof ${x} === "bigint" ? ${x} : typeof ${x} === "number" && Number.isSafeInteger(${x}) ? BigInt(${x}) : undefined;`,
    );
    this.line(`if (${out} === undefined || ${out} < ${lo} || ${out} > ${hi}) bad(e, ${P}, ${l}, ${x});`);
    return out;
  }

  array(item: TypeModel, x: string, p: Path, d: string): string {
    const w = this.#mode === "w";
    const out = this.tmp("a");
    const P = render(p);
    if (w) this.line(`let ${out}: any;`);
    this.line(`if (!Array.isArray(${x})) bad(e, ${P}, "array", ${x});`);
    this.line(
      `else if (${x}.length > o.maxArray) issue(e, ${P}, \`array longer than \${o.maxArray} (\${${x}.length})\`);`,
    );
    this.line(`else if (${d} >= o.maxDepth) issue(e, ${P}, \`nested deeper than \${o.maxDepth}\`);`);
    this.open("else {");
    if (w) this.line(`${out} = new Array(${x}.length);`);
    const i = this.tmp("i");
    this.open(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`);
    const y = this.tmp("y");
    this.line(`const ${y} = ${x}[${i}];`);
    const itemOut = this.check(item, y, [...p, { lit: "[" }, { expr: i }, { lit: "]" }], `${d} + 1`);
    if (w) this.line(`${out}[${i}] = ${itemOut};`);
    this.line("if (e.length >= o.maxErrors) break;");
    this.close();
    this.close();
    return out;
  }

  record(value: TypeModel, x: string, p: Path, d: string): string {
    const w = this.#mode === "w";
    const out = this.tmp("m");
    const P = render(p);
    if (w) this.line(`let ${out}: any;`);
    this.line(`if (!isObject(${x})) bad(e, ${P}, "object (map)", ${x});`);
    this.line(`else if (${d} >= o.maxDepth) issue(e, ${P}, \`nested deeper than \${o.maxDepth}\`);`);
    this.open("else {");
    const ks = this.tmp("ks");
    this.line(`const ${ks} = Object.keys(${x});`);
    this.open(`if (${ks}.length > o.maxArray) {`);
    this.line(`issue(e, ${P}, \`map with more than \${o.maxArray} entries (\${${ks}.length})\`);`);
    this.reopen("} else {");
    if (w) this.line(`${out} = {};`);
    const k = this.tmp("key");
    this.open(`for (const ${k} of ${ks}) {`);
    this.open(`if (${k} === "__proto__" || ${k} === "constructor" || ${k} === "prototype") {`);
    this.line(`issue(e, ${render([...p, { expr: `key(${k})` }])}, "forbidden key");`);
    this.line("continue;");
    this.close();
    const y = this.tmp("y");
    this.line(`const ${y} = ${x}[${k}];`);
    const vo = this.check(value, y, [...p, { expr: `key(${k})` }], `${d} + 1`);
    if (w) this.line(`${out}[${k}] = ${vo};`);
    this.line("if (e.length >= o.maxErrors) break;");
    this.close();
    this.close();
    this.close();
    return out;
  }

  /** An object's fields; `tag` adds the union tag as the first output field (wire mode). */
  object(
    fields: readonly FieldModel[],
    x: string,
    p: Path,
    d: string,
    tag: [string, string] | undefined,
  ): string {
    const w = this.#mode === "w";
    const out = this.tmp("o");
    const P = render(p);
    if (w) this.line(`let ${out}: any;`);
    this.line(`if (!isObject(${x})) bad(e, ${P}, "object", ${x});`);
    this.line(`else if (${d} >= o.maxDepth) issue(e, ${P}, \`nested deeper than \${o.maxDepth}\`);`);
    this.open("else {");
    const outs: [FieldModel, string, string][] = [];
    for (const f of fields) {
      const key = w ? f.wireName : f.name;
      const fx = this.tmp("f");
      this.line(`const ${fx} = ${read(x, key)};`);
      const fp: Path = [...p, { lit: seg(key) }];
      if (f.optional) {
        const fo = this.tmp("v");
        if (w) this.line(`let ${fo}: any;`);
        this.open(w ? `if (${fx} !== undefined && ${fx} !== null) {` : `if (${fx} !== undefined) {`);
        const r = this.check(f.type, fx, fp, `${d} + 1`);
        if (w) this.line(`${fo} = ${r};`);
        this.close();
        outs.push([f, fo, fx]);
      } else {
        this.line(`if (${fx} === undefined) bad(e, ${render(fp)}, ${lit(label(f.type))}, undefined);`);
        this.open("else {");
        const fo = this.tmp("v");
        // Declared before the block in wire mode so the object literal can use it.
        if (w) this.insert(2, 1, `let ${fo}: any;`);
        const r = this.check(f.type, fx, fp, `${d} + 1`);
        if (w) this.line(`${fo} = ${r};`);
        this.close();
        outs.push([f, fo, fx]);
      }
    }
    const allowed = [...(tag ? [tag[0]] : []), ...fields.map((f) => (w ? f.wireName : f.name))];
    const k = this.tmp("key");
    this.open("if (o.reject) {");
    this.open(`for (const ${k} of Object.keys(${x})) {`);
    if (allowed.length > 0 && !(w && tag)) {
      this.line(
        `if (${allowed.map((a) => `${k} !== ${lit(a)}`).join(" && ")}) issue(e, ${render([...p, { expr: `key(${k})` }])}, "unknown field");`,
      );
    } else if (w && tag && fields.length > 0) {
      this.line(
        `if (${fields.map((f) => `${k} !== ${lit(f.wireName)}`).join(" && ")}) issue(e, ${render([...p, { expr: `key(${k})` }])}, "unknown field");`,
      );
    } else {
      this.line(`issue(e, ${render([...p, { expr: `key(${k})` }])}, "unknown field");`);
    }
    this.close();
    this.close();
    if (w) {
      // Keys in declaration order (serde's order), so re-encoding gives a serde peer's bytes.
      const firstOptional = outs.findIndex(([f]) => f.optional);
      const lead = firstOptional < 0 ? outs : outs.slice(0, firstOptional);
      const head = lead.map(([f, fo]) => `${propName(f.name)}: ${fo}`);
      if (tag) head.unshift(`${propName(tag[0])}: ${lit(tag[1])}`);
      this.line(`${out} = { ${head.join(", ")} };`);
      for (const [f, fo] of firstOptional < 0 ? [] : outs.slice(firstOptional)) {
        if (f.optional) this.line(`if (${fo} !== undefined) ${out}${seg(f.name)} = ${fo};`);
        else this.line(`${out}${seg(f.name)} = ${fo};`);
      }
    }
    this.close();
    return out;
  }

  unionValue(tag: string, variants: readonly VariantModel[], x: string, p: Path, d: string): string {
    const P = render(p);
    this.line(`if (!isObject(${x})) bad(e, ${P}, "object", ${x});`);
    this.open("else {");
    const tv = this.tmp("tag");
    this.line(`const ${tv} = ${read(x, tag)};`);
    this.open(`switch (${tv}) {`);
    for (const v of variants) {
      this.open(`case ${lit(v.tag)}: {`);
      this.object(v.fields, x, p, d, [tag, v.tag]);
      this.line("break;");
      this.close();
    }
    this.open("default:");
    this.line(
      `bad(e, ${render([...p, { lit: seg(tag) }])}, ${lit(variants.map((v) => JSON.stringify(v.tag)).join(" | "))}, ${tv});`,
    );
    this.outdent();
    this.close();
    this.close();
    return x;
  }

  unionWire(tag: string, variants: readonly VariantModel[], x: string, p: Path, d: string): string {
    const out = this.tmp("u");
    const P = render(p);
    const units = variants.filter((v) => v.fields.length === 0);
    const structs = variants.filter((v) => v.fields.length > 0);
    const names = lit(variants.map((v) => JSON.stringify(v.tag)).join(" | "));
    this.line(`let ${out}: any;`);
    // serde's externally tagged enum: a unit variant is its name, the others `{"Name": {...}}`.
    this.open(`if (typeof ${x} === "string") {`);
    this.open(`switch (${x}) {`);
    for (const u of units)
      this.line(`case ${lit(u.tag)}: ${out} = { ${propName(tag)}: ${lit(u.tag)} }; break;`);
    this.line(`default: bad(e, ${P}, ${names}, ${x});`);
    this.close();
    this.reopen(`} else if (isObject(${x})) {`);
    const ks = this.tmp("ks");
    this.line(`const ${ks} = Object.keys(${x});`);
    this.line(
      `if (${ks}.length !== 1) issue(e, ${P}, \`expected an externally tagged enum {Variant: ...} with one key, got \${${ks}.length} keys\`);`,
    );
    this.open("else {");
    const body = this.tmp("body");
    this.line(`const ${body} = ${x}[${ks}[0]!];`);
    this.open(`switch (${ks}[0]) {`);
    for (const s of structs) {
      this.open(`case ${lit(s.tag)}: {`);
      const r = this.object(s.fields, body, [...p, { lit: seg(s.tag) }], `${d} + 1`, [tag, s.tag]);
      this.line(`${out} = ${r};`);
      this.line("break;");
      this.close();
    }
    this.line(`default: bad(e, ${P}, ${names}, ${ks}[0]);`);
    this.close();
    this.close();
    this.close(`} else bad(e, ${P}, ${names}, ${x});`);
    return out;
  }

  bytes(x: string, p: Path): string {
    const P = render(p);
    if (this.#mode === "v") {
      this.line(`if (!(${x} instanceof Uint8Array)) bad(e, ${P}, "Uint8Array", ${x});`);
      this.line(`else if (${x}.length > o.maxBytes) issue(e, ${P}, \`bytes longer than \${o.maxBytes}\`);`);
      return x;
    }
    const out = this.tmp("by");
    this.line(`let ${out}: any;`);
    this.open(`if (${x} instanceof Uint8Array) {`);
    this.line(`if (${x}.length > o.maxBytes) issue(e, ${P}, \`bytes longer than \${o.maxBytes}\`);`);
    this.line(`else ${out} = ${x};`);
    this.close(`} else if (!Array.isArray(${x})) bad(e, ${P}, "bytes (array of 0..255)", ${x});`);
    this.line(`else if (${x}.length > o.maxBytes) issue(e, ${P}, \`bytes longer than \${o.maxBytes}\`);`);
    this.open("else {");
    const i = this.tmp("i");
    this.line(`${out} = new Uint8Array(${x}.length);`);
    this.open(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`);
    this.line(`const b = ${x}[${i}];`);
    this.open(`if (typeof b !== "number" || (b & 255) !== b) {`);
    this.line(
      `bad(e, ${render([...p, { lit: "[" }, { expr: i }, { lit: "]" }])}, "byte (integer 0..255)", b);`,
    );
    this.line("break;");
    this.close();
    this.line(`${out}[${i}] = b;`);
    this.close();
    this.close();
    return out;
  }

  uidWire(x: string, p: Path, d: string): string {
    const out = this.tmp("id");
    const P = render(p);
    this.line(`let ${out}: any;`);
    this.line(`if (!isObject(${x})) bad(e, ${P}, "UID {first, second}", ${x});`);
    this.open("else {");
    const a = this.tmp("y");
    const b = this.tmp("y");
    this.line(`const ${a} = ${x}.first;`);
    this.line(`const ${b} = ${x}.second;`);
    const k = this.tmp("k");
    this.line(`const ${k} = e.length;`);
    const fa = this.bigint("u64", a, render([...p, { lit: ".first" }]));
    const fb = this.bigint("u64", b, render([...p, { lit: ".second" }]));
    this.line(`if (e.length === ${k}) ${out} = new UID(${fa}!, ${fb}!);`);
    this.close();
    void d;
    return out;
  }

  addressWire(x: string, p: Path, d: string): string {
    const out = this.tmp("ad");
    const P = render(p);
    this.line(`let ${out}: any;`);
    this.line(`if (!isObject(${x})) bad(e, ${P}, "NetworkAddress {ip, port, flags}", ${x});`);
    this.line(
      `else if (typeof ${x}.ip !== "string") bad(e, ${render([...p, { lit: ".ip" }])}, "string", ${x}.ip);`,
    );
    this.line(
      `else if (typeof ${x}.port !== "number") bad(e, ${render([...p, { lit: ".port" }])}, "u16 (integer 0..65535)", ${x}.port);`,
    );
    this.line(
      `else if (${x}.flags !== undefined && typeof ${x}.flags !== "number") bad(e, ${render([...p, { lit: ".flags" }])}, "u16 (integer 0..65535)", ${x}.flags);`,
    );
    this.open("else {");
    this.line(`try { ${out} = new NetworkAddress(${x}.ip, ${x}.port, ${x}.flags ?? 0); }`);
    this.line(`catch (err) { issue(e, ${P}, (err as Error).message); }`);
    this.close();
    void d;
    return out;
  }
}

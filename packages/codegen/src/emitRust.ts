// `--emit rust`: one Rust module per declaration file with the serde types of every message (same
// wire form as the TypeScript codecs: renames, externally tagged enums, `Option` for optional
// fields, u64/i64, `Vec`, `BTreeMap` for maps) and each service as a trait in the shape of
// moonpool's `#[service]` (one async method per method, request in, `Result<response, RpcError>`
// out) with its method-token constants. The moonpool crate's UID/NetworkAddress/Endpoint are not
// available offline, so the module carries serde-compatible copies in `pub mod wire`. Pure and
// deterministic: the same model gives the same text.

import { inlineName } from "./internal/naming.ts";
import { emitRustWire } from "./internal/rustWire.ts";
import type { FieldModel, FileModel, MethodModel, NamedType, ServiceModel, TypeModel } from "./model.ts";
import { snakeCase } from "./reader.ts";

const KEYWORDS = new Set(
  (
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod " +
    "move mut pub ref return self static struct super trait true type unsafe use where while abstract become " +
    "box do final macro override priv try typeof unsized virtual yield"
  ).split(" "),
);
const DERIVE = "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]";

function pascal(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  return /^[0-9]/.test(name) || name === "" ? `V${name}` : name;
}

/** A Rust field name for `name`: snake_case, a raw identifier for keywords. */
function fieldName(name: string): { ident: string; plain: string } {
  let plain = snakeCase(name).replace(/[^A-Za-z0-9_]/g, "_");
  if (/^[0-9]/.test(plain) || plain === "") plain = `f_${plain}`;
  if (plain === "self" || plain === "super" || plain === "crate" || plain === "Self")
    return { ident: `${plain}_`, plain: `${plain}_` };
  return { ident: KEYWORDS.has(plain) ? `r#${plain}` : plain, plain };
}

function docLines(doc: string | undefined, indent: string): string[] {
  if (doc === undefined) return [];
  return doc.split("\n").map((l) => `${indent}///${l.length > 0 ? ` ${l}` : ""}`);
}

const INT: Record<string, string> = {
  f64: "f64",
  f32: "f32",
  u8: "u8",
  u16: "u16",
  u32: "u32",
  i8: "i8",
  i16: "i16",
  i32: "i32",
};

class RustWriter {
  readonly #model: FileModel;
  readonly #items: string[] = [];
  readonly #taken = new Set<string>();
  readonly #direct = new Map<string, Set<string>>();
  readonly #aliases = new Set<string>();
  readonly uses = new Set<"map" | "wire">();

  constructor(model: FileModel) {
    this.#model = model;
    for (const t of model.types) this.#taken.add(t.name);
    for (const t of model.types) this.#direct.set(t.name, directRefs(t.type));
    for (const t of model.types)
      if (t.type.kind !== "object" && t.type.kind !== "enum" && t.type.kind !== "union")
        this.#aliases.add(t.name);
  }

  /** True when named type `from` reaches `to` through fields held inline (no Vec/map between). */
  reaches(from: string, to: string): boolean {
    const seen = new Set<string>();
    const walk = (n: string): boolean => {
      if (n === to) return true;
      if (seen.has(n)) return false;
      seen.add(n);
      return [...(this.#direct.get(n) ?? [])].some(walk);
    };
    return walk(from);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.#taken.has(name); i++) name = `${base}${i}`;
    this.#taken.add(name);
    return name;
  }

  /**
   * The Rust type of `t`; inline objects, enums and unions become items named `hint`. `owner` is
   * the named type being written; `direct` is false below a Vec or map (already indirect).
   */
  rust(t: TypeModel, hint: string, owner: string, direct: boolean): string {
    switch (t.kind) {
      case "string":
        return "String";
      case "boolean":
        return "bool";
      case "null":
      case "void":
        return "()";
      case "number":
        return INT[t.format]!;
      case "bigint":
        return t.format;
      case "literal":
        // The value is not enforced on the Rust side; an integral number is written as JavaScript does.
        if (typeof t.value === "string") return "String";
        if (typeof t.value === "boolean") return "bool";
        return Number.isInteger(t.value) ? "i64" : "f64";
      case "array":
        return `Vec<${this.rust(t.item, `${hint}Item`, owner, false)}>`;
      case "tuple":
        return `(${t.items.map((i, n) => this.rust(i, `${hint}${n}`, owner, direct)).join(", ")}${t.items.length === 1 ? "," : ""})`;
      case "record":
        this.uses.add("map");
        return `BTreeMap<String, ${this.rust(t.value, `${hint}Value`, owner, false)}>`;
      case "nullable":
        return `Option<${this.rust(t.inner, hint, owner, direct)}>`;
      case "ref":
        // An alias (`pub type`) boxes inside its own expansion where needed, so its uses never do.
        return direct && !this.#aliases.has(t.name) && this.reaches(t.name, owner)
          ? `Box<${t.name}>`
          : t.name;
      case "bytes":
        return "Vec<u8>";
      case "uid":
        this.uses.add("wire");
        return "wire::UID";
      case "address":
        this.uses.add("wire");
        return "wire::NetworkAddress";
      case "endpoint":
        this.uses.add("wire");
        return "wire::Endpoint";
      case "service":
        this.uses.add("wire");
        return "wire::ServiceRef";
      case "enum":
      case "object":
      case "union": {
        const name = this.fresh(hint);
        this.item(name, t, undefined, owner);
        return name;
      }
    }
  }

  fields(fields: readonly FieldModel[], hint: string, owner: string, indent: string): string[] {
    const out: string[] = [];
    for (const f of fields) {
      const { ident, plain } = fieldName(f.name);
      const attrs: string[] = [];
      if (plain !== f.wireName) attrs.push(`rename = ${JSON.stringify(f.wireName)}`);
      let type = this.rust(f.type, `${hint}${pascal(f.name)}`, owner, true);
      if (f.optional) {
        attrs.push('default, skip_serializing_if = "Option::is_none"');
        if (f.type.kind !== "nullable") type = `Option<${type}>`;
      }
      if (f.type.kind === "literal") out.push(`${indent}/// Always \`${JSON.stringify(f.type.value)}\`.`);
      if (attrs.length > 0) out.push(`${indent}#[serde(${attrs.join(", ")})]`);
      out.push(`${indent}pub ${ident}: ${type},`);
    }
    return out;
  }

  /** Writes item `name` for type `t` (struct, enum or alias). */
  item(name: string, t: TypeModel, doc: string | undefined, owner: string): void {
    const lines = docLines(doc, "");
    switch (t.kind) {
      case "object": {
        const body = this.fields(t.fields, name, owner, "    ");
        lines.push(DERIVE, `pub struct ${name} {`, ...body, "}");
        break;
      }
      case "enum": {
        lines.push(DERIVE, `pub enum ${name} {`);
        const names = variantNames(t.values);
        t.values.forEach((v, i) => {
          if (names[i] !== v) lines.push(`    #[serde(rename = ${JSON.stringify(v)})]`);
          lines.push(`    ${names[i]},`);
        });
        lines.push("}");
        break;
      }
      case "union": {
        const variants: string[] = [];
        const names = variantNames(t.variants.map((v) => v.tag));
        for (const [i, v] of t.variants.entries()) {
          const vname = names[i]!;
          if (vname !== v.tag) variants.push(`    #[serde(rename = ${JSON.stringify(v.tag)})]`);
          if (v.fields.length === 0) variants.push(`    ${vname},`);
          else {
            // Variant fields are public with the enum; `pub` is not allowed on them.
            const body = this.fields(v.fields, `${name}${vname}`, owner, "        ").map((l) =>
              l.replace(/^(\s+)pub /, "$1"),
            );
            variants.push(`    ${vname} {`, ...body, "    },");
          }
        }
        lines.push(DERIVE, `pub enum ${name} {`, ...variants, "}");
        break;
      }
      default:
        lines.push(`pub type ${name} = ${this.rust(t, name, owner, true)};`);
    }
    this.#items.push(lines.join("\n"));
  }

  named(t: NamedType): void {
    this.item(t.name, t.type, t.doc, t.name);
  }

  /** The Rust type of a method's request or response (inline types get the TypeScript alias name). */
  side(s: ServiceModel, m: MethodModel, which: "request" | "response"): string {
    const t = which === "request" ? m.request : m.response;
    if (t.kind === "object" || t.kind === "union" || t.kind === "enum") {
      const name = this.fresh(inlineName(s, m, which));
      this.item(name, t, `The ${which} of \`${s.name}.${m.name}\` (declared inline).`, name);
      return name;
    }
    return this.rust(t, inlineName(s, m, which), "", false);
  }

  service(s: ServiceModel): void {
    const methods = s.methods.map((m) => ({
      m,
      req: this.side(s, m, "request"),
      resp: this.side(s, m, "response"),
    }));
    this.uses.add("wire");
    const consts = `${snakeCase(s.name)}_methods`;
    const lines = [
      ...docLines(s.doc, ""),
      ...(s.doc !== undefined ? ["///"] : []),
      `/// The ${s.name} service as moonpool's \`#[service]\` trait: method \`i\` (1-based, declaration`,
      `/// order) is at \`base.adjusted(i)\`; see [\`${consts}\`].`,
      "#[allow(async_fn_in_trait)]",
      `pub trait ${s.name} {`,
    ];
    for (const { m, req, resp } of methods) {
      lines.push(
        ...docLines(m.doc, "    "),
        `    async fn ${fieldName(m.name).ident}(&self, req: ${req}) -> Result<${resp}, wire::RpcError>;`,
      );
    }
    lines.push("}", "");
    lines.push(`/// Method indices of [\`${s.name}\`]: the token of method \`i\` is \`base.adjusted(i)\`.`);
    lines.push(`pub mod ${consts} {`);
    lines.push(`    /// The service's name.`, `    pub const NAME: &str = ${JSON.stringify(s.name)};`);
    for (const [i, { m }] of methods.entries())
      lines.push(`    pub const ${snakeCase(m.name).toUpperCase()}: u32 = ${i + 1};`);
    lines.push(`    pub const METHOD_COUNT: u32 = ${methods.length};`, "}");
    this.#items.push(lines.join("\n"));
  }

  write(source: string, tokenLines: readonly string[]): string {
    for (const t of this.#model.types) this.named(t);
    for (const s of this.#model.services) this.service(s);
    const header = [
      `// Generated by moonpool-codegen from ${source}: do not edit. Change the declaration and run`,
      "// moonpool-codegen --emit rust again; `--check` fails while this file is stale.",
      ...tokenLines.map((l) => `// ${l}`),
      "",
      "use serde::{Deserialize, Serialize};",
      ...(this.uses.has("map") ? ["use std::collections::BTreeMap;"] : []),
      "",
    ];
    return `${[...header, this.#items.join("\n\n"), "", emitRustWire()].join("\n")}\n`;
  }
}

/** Rust variant names for tag values: PascalCase, numbered where two would collide. */
function variantNames(tags: readonly string[]): string[] {
  const used = new Set<string>();
  return tags.map((tag) => {
    let name = pascal(tag);
    for (let i = 2; used.has(name); i++) name = `${pascal(tag)}${i}`;
    used.add(name);
    return name;
  });
}

/** Named types a type holds inline (not below a Vec or map): the edges that need a `Box`. */
function directRefs(t: TypeModel, out = new Set<string>()): Set<string> {
  switch (t.kind) {
    case "ref":
      out.add(t.name);
      break;
    case "nullable":
      directRefs(t.inner, out);
      break;
    case "tuple":
      for (const i of t.items) directRefs(i, out);
      break;
    case "object":
      for (const f of t.fields) directRefs(f.type, out);
      break;
    case "union":
      for (const v of t.variants) for (const f of v.fields) directRefs(f.type, out);
      break;
    default:
      break;
  }
  return out;
}

/** The Rust module of one declaration file. `source` is the declaration's path relative to it. */
export function emitRust(model: FileModel, source: string, tokenLines: readonly string[]): string {
  return new RustWriter(model).write(source, tokenLines);
}

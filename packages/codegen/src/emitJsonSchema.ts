// `--emit json-schema`: one JSON Schema (2020-12) document per declaration file describing every
// message type as it is on the wire in moonpool's serde JSON profile (what the JSON codec writes
// and a serde_json peer reads): renamed fields, externally tagged enums, u64/i64 as bare JSON
// integers, `Uint8Array` as an array of bytes, optional fields absent or null. Pure and
// deterministic: the same model gives the same text.

import { basename } from "node:path";
import { inlineName } from "./internal/naming.ts";
import { INT_RANGES } from "./internal/typeFacts.ts";
import type { FieldModel, FileModel, MethodModel, TypeModel, VariantModel } from "./model.ts";

/** JSON value with exact 64-bit integers (`bigint`), as the schema text needs them. */
type Json = null | boolean | number | bigint | string | readonly Json[] | { readonly [key: string]: Json };

const U64_MAX = 18446744073709551615n;
const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;
/** Keys the generated validators refuse in maps (prototype pollution). */
const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];
/** Names of the moonpool types in `$defs` (a dot keeps them apart from message type names). */
const BUILTIN = {
  uid: "moonpool.UID",
  address: "moonpool.NetworkAddress",
  endpoint: "moonpool.Endpoint",
  service: "moonpool.ServiceRef",
} as const;

/** The vocabulary keyword naming each service and its method tokens (validators ignore it). */
export const SERVICES_KEYWORD = "x-moonpool-services";

const ref = (name: string): Json => ({ $ref: `#/$defs/${name}` });
const int = (lo: number | bigint, hi: number | bigint): Json => ({
  type: "integer",
  minimum: lo,
  maximum: hi,
});

class SchemaWriter {
  readonly builtins = new Set<keyof typeof BUILTIN>();

  type(t: TypeModel): Json {
    switch (t.kind) {
      case "string":
        return { type: "string" };
      case "boolean":
        return { type: "boolean" };
      case "null":
      case "void":
        return { type: "null" };
      case "number": {
        if (t.format === "f64" || t.format === "f32") return { type: "number" };
        const [lo, hi] = INT_RANGES[t.format]!;
        return int(lo, hi);
      }
      case "bigint":
        return t.format === "u64" ? int(0, U64_MAX) : int(I64_MIN, I64_MAX);
      case "literal":
        return { const: t.value };
      case "enum":
        return { type: "string", enum: [...t.values] };
      case "array":
        return { type: "array", items: this.type(t.item) };
      case "tuple":
        return {
          type: "array",
          prefixItems: t.items.map((i) => this.type(i)),
          items: false,
          minItems: t.items.length,
        };
      case "object":
        return this.object(t.fields, false);
      case "record":
        return {
          type: "object",
          propertyNames: { not: { enum: FORBIDDEN_KEYS } },
          additionalProperties: this.type(t.value),
        };
      case "nullable":
        return { anyOf: [this.type(t.inner), { type: "null" }] };
      case "union":
        return this.union(t.variants);
      case "ref":
        return ref(t.name);
      case "bytes":
        return { type: "array", items: int(0, 255) };
      case "uid":
      case "address":
      case "endpoint":
        this.builtins.add(t.kind);
        if (t.kind === "endpoint") this.builtins.add("uid").add("address");
        return ref(BUILTIN[t.kind]);
      case "service":
        this.builtins.add("service").add("uid");
        return { $ref: `#/$defs/${BUILTIN.service}`, description: `ServiceRef<${t.service}>` };
    }
  }

  // serde reads a missing `Option` field and a `null` one alike; unknown fields are ignored, as
  // serde and the generated decoders (by default) ignore them.
  object(fields: readonly FieldModel[], closed: boolean): Json {
    const properties: Record<string, Json> = {};
    for (const f of fields) {
      const t = this.type(f.type);
      properties[f.wireName] =
        f.optional && f.type.kind !== "nullable" ? { anyOf: [t, { type: "null" }] } : t;
    }
    const required = fields.filter((f) => !f.optional).map((f) => f.wireName);
    return {
      type: "object",
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(closed ? { additionalProperties: false } : {}),
    };
  }

  // An externally tagged serde enum: a unit variant is its name, the others `{"name": {...}}`.
  union(variants: readonly VariantModel[]): Json {
    const units = variants.filter((v) => v.fields.length === 0).map((v) => v.tag);
    const options: Json[] = [];
    if (units.length > 0) options.push({ type: "string", enum: units });
    for (const v of variants.filter((v) => v.fields.length > 0)) {
      options.push({
        type: "object",
        properties: { [v.tag]: this.object(v.fields, false) },
        required: [v.tag],
        additionalProperties: false,
      });
    }
    return options.length === 1 ? options[0]! : { oneOf: options };
  }

  builtinDefs(): Record<string, Json> {
    const defs: Record<string, Json> = {};
    if (this.builtins.has("address"))
      defs[BUILTIN.address] = {
        description: "moonpool's NetworkAddress (flags default to 0)",
        type: "object",
        properties: { ip: { type: "string" }, port: int(0, 65535), flags: int(0, 65535) },
        required: ["ip", "port"],
      };
    if (this.builtins.has("endpoint"))
      defs[BUILTIN.endpoint] = {
        description: "moonpool's Endpoint: an address and a token",
        type: "object",
        properties: { address: ref(BUILTIN.address), token: ref(BUILTIN.uid) },
        required: ["address", "token"],
      };
    if (this.builtins.has("service"))
      defs[BUILTIN.service] = {
        description: "An interface blob (interfaces are data): the server's address and base token",
        type: "object",
        properties: {
          address: {
            type: "object",
            properties: { ip: { type: "string" }, port: int(0, 65535), flags: int(0, 65535) },
            required: ["ip", "port", "flags"],
          },
          base_token: ref(BUILTIN.uid),
        },
        required: ["address", "base_token"],
      };
    if (this.builtins.has("uid"))
      defs[BUILTIN.uid] = {
        description: "moonpool's UID: two u64 halves",
        type: "object",
        properties: { first: int(0, U64_MAX), second: int(0, U64_MAX) },
        required: ["first", "second"],
      };
    return defs;
  }
}

/** The schema document of one declaration file, as JSON text (`bigint`s written exactly). */
export function emitJsonSchema(model: FileModel, source: string): string {
  const w = new SchemaWriter();
  const defs: Record<string, Json> = {};
  for (const t of model.types) {
    const schema = w.type(t.type);
    defs[t.name] = t.doc === undefined ? schema : { description: t.doc, ...(schema as object) };
  }
  const services: Record<string, Json> = {};
  for (const s of model.services) {
    const side = (m: MethodModel, which: "request" | "response"): Json => {
      const t = which === "request" ? m.request : m.response;
      if (t.kind === "ref") return ref(t.name);
      const name = inlineName(s, m, which);
      if (!(name in defs)) defs[name] = w.type(t);
      return ref(name);
    };
    services[s.name] = {
      ...(s.doc !== undefined ? { description: s.doc } : {}),
      methods: s.methods.map((m, i) => ({
        name: m.name,
        index: i + 1,
        request: side(m, "request"),
        response: side(m, "response"),
      })),
    };
  }
  const sorted: Record<string, Json> = {};
  for (const k of Object.keys(defs).sort()) sorted[k] = defs[k]!;
  Object.assign(sorted, w.builtinDefs());
  const doc: Json = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $comment: `Generated by moonpool-codegen from ${source}: do not edit. Wire form in moonpool's serde JSON profile; method i is at base.adjusted(i).`,
    title: basename(source).replace(/\.(m|c)?tsx?$/, ""),
    [SERVICES_KEYWORD]: services,
    $defs: sorted,
  };
  return `${stringify(doc, "")}\n`;
}

// JSON.stringify with 2-space indentation, but `bigint`s written as bare integers.
function stringify(v: Json, indent: string): string {
  if (typeof v === "bigint") return v.toString();
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + stringify(x, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, Json>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${stringify(x, inner)}`).join(",\n")}\n${indent}}`;
}

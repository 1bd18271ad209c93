// Facts about model types that every emitter of checks shares: integer ranges, the shape of a
// service reference blob, and what an error message says a check expects.

import type { NumberFormat, TypeModel } from "../model.ts";

/** Inclusive ranges of the integer number formats. */
export const INT_RANGES: Record<Exclude<NumberFormat, "f64" | "f32">, [number, number]> = {
  u8: [0, 255],
  u16: [0, 65535],
  u32: [0, 4294967295],
  i8: [-128, 127],
  i16: [-32768, 32767],
  i32: [-2147483648, 2147483647],
};

/** The bound constants (runtime exports) of a bigint format: `[min, max]`. */
export function bigintBounds(format: "u64" | "i64"): [string, string] {
  return format === "u64" ? ["0n", "U64_MAX"] : ["I64_MIN", "I64_MAX"];
}

function field(name: string, type: TypeModel) {
  return { name, wireName: name, optional: false, type };
}

/** `ServiceRef<S>` in memory and on the wire: `{ address: {ip, port, flags}, base_token: {first, second} }`. */
export const SERVICE_BLOB_FIELDS = [
  field("address", {
    kind: "object",
    fields: [
      field("ip", { kind: "string" }),
      field("port", { kind: "number", format: "u16" }),
      field("flags", { kind: "number", format: "u16" }),
    ],
  }),
  field("base_token", {
    kind: "object",
    fields: [
      field("first", { kind: "bigint", format: "u64" }),
      field("second", { kind: "bigint", format: "u64" }),
    ],
  }),
] as const;

/** What a check expects, for messages. */
export function label(t: TypeModel): string {
  switch (t.kind) {
    case "number":
      return t.format === "f64"
        ? "finite number"
        : t.format === "f32"
          ? "finite number (f32)"
          : intLabel(t.format);
    case "bigint":
      return t.format === "u64" ? "u64 (integer 0..2^64-1)" : "i64 (integer -2^63..2^63-1)";
    case "literal":
      return JSON.stringify(t.value);
    case "enum":
      return t.values.map((v) => JSON.stringify(v)).join(" | ");
    case "ref":
      return t.name;
    case "nullable":
      return `${label(t.inner)} or null`;
    case "tuple":
      return `tuple of ${t.items.length}`;
    case "record":
      return "object (map)";
    case "union":
      return "object";
    case "bytes":
      return "bytes";
    case "uid":
      return "UID";
    case "endpoint":
      return "Endpoint";
    case "address":
      return "NetworkAddress";
    case "service":
      return `ServiceRef<${t.service}>`;
    case "void":
      return "nothing";
    default:
      return t.kind;
  }
}

function intLabel(f: keyof typeof INT_RANGES): string {
  const [lo, hi] = INT_RANGES[f];
  return `${f} (integer ${lo}..${hi})`;
}

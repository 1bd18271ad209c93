// The generated validators and wire decoders on malformed input: each gives the documented error
// with a path, and none throws.
import { JsonCodec } from "@moonpool/transport";
import { describe, expect, it } from "vitest";
import {
  decodeOrder,
  decodeShape,
  encodeLineItem,
  encodeOrder,
  encodeShape,
  validateLineItem,
  validateOrder,
  validateShape,
} from "./golden/shop.service.ts";
import { sampleOrder } from "./support/orders.ts";

const json = new JsonCodec();
// What a peer's bytes decode to before the generated decoder runs.
const wire = (text: string): unknown => json.decode(new TextEncoder().encode(text));

function errors(r: { ok: boolean; errors?: unknown }): unknown {
  expect(r.ok).toBe(false);
  return r.errors;
}

describe("validateT (in-memory values)", () => {
  it("accepts a valid value and returns it", () => {
    const order = sampleOrder();
    expect(validateOrder(order)).toEqual({ ok: true, value: order });
  });

  it("reports missing and wrong-typed fields with their paths", () => {
    const order = sampleOrder() as any;
    delete order.priority;
    order.items[1].qty = "3";
    order.nested.tags = ["a", 7];
    expect(errors(validateOrder(order, { root: "req" }))).toEqual([
      { path: "req.items[1].qty", message: 'expected u32 (integer 0..4294967295), got string "3"' },
      { path: "req.priority", message: "missing (expected Priority)" },
      { path: "req.nested.tags[1]", message: "expected string, got number 7" },
    ]);
  });

  it("rejects integers out of range, unsafe and fractional numbers for integer fields", () => {
    const item = { sku: "a", qty: 2 ** 53 + 2, unitPrice: 1 };
    expect(errors(validateLineItem(item))).toEqual([
      { path: "value.qty", message: "expected u32 (integer 0..4294967295), got number 9007199254740994" },
    ]);
    expect(validateLineItem({ ...item, qty: 1.5 }).ok).toBe(false);
    expect(validateLineItem({ ...item, qty: -1 }).ok).toBe(false);
    expect(errors(validateLineItem({ ...item, qty: 1, unitPrice: Number.NaN }))).toEqual([
      { path: "value.unitPrice", message: "expected finite number, got number NaN" },
    ]);
  });

  it("rejects unknown fields only when asked", () => {
    const item = { sku: "a", qty: 1, unitPrice: 1, extra: true };
    expect(validateLineItem(item).ok).toBe(true);
    expect(errors(validateLineItem(item, { unknownKeys: "reject" }))).toEqual([
      { path: "value.extra", message: "unknown field" },
    ]);
  });

  it("checks discriminated unions by their tag", () => {
    expect(validateShape({ kind: "circle", radius: 2 }).ok).toBe(true);
    expect(errors(validateShape({ kind: "hexagon" }))).toEqual([
      { path: "value.kind", message: 'expected "circle" | "rect" | "empty", got string "hexagon"' },
    ]);
    expect(errors(validateShape({ kind: "rect", width: 1 }))).toEqual([
      { path: "value.height", message: "missing (expected finite number)" },
    ]);
  });

  it("stops at the depth, array and string limits", () => {
    let order = sampleOrder();
    for (let i = 0; i < 10; i++) order = { ...sampleOrder(), parent: order };
    expect(validateOrder(order).ok).toBe(true);
    const deep = errors(validateOrder(order, { maxDepth: 5 })) as { path: string; message: string }[];
    expect(deep[0]?.message).toBe("nested deeper than 5");
    expect(deep[0]?.path).toMatch(/^value(\.parent)+/);
    const many = { ...sampleOrder(), items: Array.from({ length: 11 }, () => sampleOrder().items[0]!) };
    expect(errors(validateOrder(many, { maxArrayLength: 10 }))).toEqual([
      { path: "value.items", message: "array longer than 10 (11)" },
    ]);
    expect(
      errors(validateLineItem({ sku: "x".repeat(9), qty: 1, unitPrice: 1 }, { maxStringLength: 8 })),
    ).toEqual([{ path: "value.sku", message: "string longer than 8 (9)" }]);
  });

  it("refuses bad options naming the option", () => {
    expect(() => validateOrder(sampleOrder(), { maxDepth: -1 })).toThrow(/options\.maxDepth/);
    expect(() => validateOrder(sampleOrder(), { unknownKeys: "drop" as never })).toThrow(
      /options\.unknownKeys/,
    );
  });
});

describe("decodeT / encodeT (serde wire values)", () => {
  it("round-trips every type through the JSON codec's bytes", () => {
    const order = sampleOrder();
    const bytes = json.encode(encodeOrder(order));
    expect(decodeOrder(json.decode(bytes))).toEqual({ ok: true, value: order });
  });

  it("writes serde's layout: snake_case renames and externally tagged enums", () => {
    const text = (v: unknown) => new TextDecoder().decode(json.encode(v));
    expect(text(encodeLineItem({ sku: "a", qty: 1, unitPrice: 2, giftNote: "n" }))).toBe(
      '{"sku":"a","qty":1,"unit_price":2,"gift_note":"n"}',
    );
    expect(text(encodeShape({ kind: "rect", width: 1, height: 2 }))).toBe('{"rect":{"width":1,"height":2}}');
    expect(text(encodeShape({ kind: "empty" }))).toBe('"empty"');
    expect(decodeShape(wire('{"circle":{"radius":3}}'))).toEqual({
      ok: true,
      value: { kind: "circle", radius: 3 },
    });
    expect(decodeShape(wire('"empty"'))).toEqual({ ok: true, value: { kind: "empty" } });
    expect(errors(decodeShape(wire('{"circle":{"radius":3},"rect":{}}')))).toEqual([
      {
        path: "value",
        message: "expected an externally tagged enum {Variant: ...} with one key, got 2 keys",
      },
    ]);
  });

  it("keeps u64 exact up to 2^64-1 and rejects overflow and negative values", () => {
    const base = new TextDecoder().decode(json.encode(encodeOrder(sampleOrder())));
    expect(base).toContain('"id":18446744073709551615');
    expect(
      errors(decodeOrder(wire(base.replace('"id":18446744073709551615', '"id":18446744073709551616')))),
    ).toEqual([
      { path: "value.id", message: "expected u64 (integer 0..2^64-1), got bigint 18446744073709551616" },
    ]);
    expect(decodeOrder(wire(base.replace('"id":18446744073709551615', '"id":-1')))).toMatchObject({
      ok: false,
      errors: [{ path: "value.id" }],
    });
    expect(decodeOrder(wire(base.replace('"id":18446744073709551615', '"id":1.5')))).toMatchObject({
      ok: false,
      errors: [{ path: "value.id" }],
    });
  });

  it("never reads prototype keys into a map", () => {
    const base = new TextDecoder().decode(json.encode(encodeOrder(sampleOrder())));
    // A decoded value whose map has "__proto__" and "constructor" as own keys (what JSON.parse
    // without a reviver gives) is refused key by key.
    const polluted = wire(base) as { labels: Record<string, unknown> };
    Object.defineProperty(polluted.labels, "__proto__", { value: { polluted: 1 }, enumerable: true });
    Object.defineProperty(polluted.labels, "constructor", { value: 2, enumerable: true });
    expect(errors(decodeOrder(polluted))).toEqual([
      { path: "value.labels.__proto__", message: "forbidden key" },
      { path: "value.labels.constructor", message: "forbidden key" },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("decodes bytes from serde's number arrays and refuses non-bytes", () => {
    const base = new TextDecoder().decode(json.encode(encodeOrder(sampleOrder())));
    expect(base).toContain('"blob":[0,1,254,255]');
    expect(errors(decodeOrder(wire(base.replace('"blob":[0,1,254,255]', '"blob":[0,256]'))))).toEqual([
      { path: "value.blob[1]", message: "expected byte (integer 0..255), got number 256" },
    ]);
  });
});

describe("field order on the wire", () => {
  it("decoding and encoding keep declaration order (serde's), optional fields included", () => {
    const text = (v: unknown) => new TextDecoder().decode(json.encode(v));
    const order = { ...sampleOrder(), parent: null };
    const encoded = text(encodeOrder(order));
    const at = (k: string) => encoded.indexOf(`"${k}":`);
    expect(at("parent")).toBeLessThan(at("owner"));
    expect(at("owner")).toBeLessThan(at("replyTo"));
    expect(encoded).toContain(
      '"unit_price":0.5,"gift_note":"for you"},{"sku":"pear","qty":4294967295,"unit_price":1.25}',
    );
    const decoded = decodeOrder(json.decode(json.encode(encodeOrder(order))));
    expect(decoded.ok && Object.keys(decoded.value)).toEqual([
      "id",
      "delta",
      "items",
      "point",
      "blob",
      "labels",
      "shape",
      "priority",
      "parent",
      "owner",
      "replyTo",
      "trace",
      "audit",
      "nested",
    ]);
  });
});

// The emitted JSON Schema (test/golden/shop.schema.json) describes the wire form: a maintained
// validator (ajv 8, JSON Schema 2020-12) accepts every golden payload the codec writes and rejects
// malformed ones, the same ones the generated decoders reject.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JsonCodec } from "@moonpool/transport";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { SERVICES_KEYWORD } from "../src/emitJsonSchema.ts";
import {
  decodeLineItem,
  decodeOrder,
  decodePriority,
  decodeReceipt,
  decodeShape,
  encodeOrder,
} from "./golden/shop.service.ts";
import { interopOrder, wireFixtures } from "./support/wireFixtures.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const schema = JSON.parse(readFileSync(`${here}golden/shop.schema.json`, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword(SERVICES_KEYWORD);
ajv.addSchema(schema, "shop");
const codec = new JsonCodec();
const validator = (type: string) => {
  const v = ajv.getSchema(`shop#/$defs/${type}`);
  if (!v) throw new Error(`no $defs/${type}`);
  return v;
};
const decoders: Record<string, (w: unknown) => { ok: boolean }> = {
  LineItem: decodeLineItem,
  Shape: decodeShape,
  Priority: decodePriority,
  Receipt: decodeReceipt,
  Order: decodeOrder,
};

describe("the emitted JSON Schema", () => {
  it("is a valid 2020-12 document naming each service's methods and tokens", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema[SERVICES_KEYWORD].Shop.methods.map((m: { name: string; index: number }) => m)).toEqual([
      { name: "place", index: 1, request: { $ref: "#/$defs/Order" }, response: { $ref: "#/$defs/Receipt" } },
      { name: "echo", index: 2, request: { $ref: "#/$defs/Order" }, response: { $ref: "#/$defs/Order" } },
      {
        name: "lookup",
        index: 3,
        request: { $ref: "#/$defs/ShopLookupRequest" },
        response: { $ref: "#/$defs/ShopLookupResponse" },
      },
      {
        name: "count",
        index: 4,
        request: { $ref: "#/$defs/ShopCountRequest" },
        response: { $ref: "#/$defs/ShopCountResponse" },
      },
    ]);
  });

  it.each(["counter", "edges"])("%s.schema.json compiles under strict ajv, every $defs entry", (name) => {
    const other = new Ajv2020({ strict: true });
    other.addKeyword(SERVICES_KEYWORD);
    const doc = JSON.parse(readFileSync(`${here}golden/${name}.schema.json`, "utf8"));
    other.addSchema(doc, name);
    for (const def of Object.keys(doc.$defs))
      expect(other.getSchema(`${name}#/$defs/${def}`), def).toBeTypeOf("function");
  });

  it("accepts every golden payload the JSON codec writes", () => {
    const checked: string[] = [];
    for (const f of wireFixtures()) {
      if (!(f.type in schema.$defs)) continue; // the envelope and reply are transport types
      const v = validator(f.type);
      expect(v(JSON.parse(f.payload)), `${f.type} ${f.payload}: ${ajv.errorsText(v.errors)}`).toBe(true);
      checked.push(f.type);
    }
    expect(new Set(checked)).toEqual(
      new Set([
        "LineItem",
        "Shape",
        "Priority",
        "Receipt",
        "Order",
        "ShopLookupRequest",
        "AuditRecordRequest",
      ]),
    );
  });

  // Bad payloads are built as wire values (bigints exact), written by the JSON codec, then read by
  // ajv as plain JSON and by the generated decoder as the codec reads them.
  const order = () => codec.decode(codec.encode(encodeOrder(interopOrder()))) as Record<string, any>;
  const bad: [type: string, what: string, payload: () => unknown][] = [
    ["LineItem", "a missing field", () => ({ qty: 3, unit_price: 1.5 })],
    ["LineItem", "a wrong-typed field", () => ({ sku: "a", qty: "3", unit_price: 1.5 })],
    ["LineItem", "a u32 out of range", () => ({ sku: "a", qty: 4294967296, unit_price: 1.5 })],
    ["LineItem", "a fraction for an integer", () => ({ sku: "a", qty: 1.5, unit_price: 1.5 })],
    ["LineItem", "a wrong-typed optional field", () => ({ sku: "a", qty: 1, unit_price: 1.5, gift_note: 5 })],
    ["LineItem", "the camelCase name instead of the wire name", () => ({ sku: "a", qty: 1, unitPrice: 1.5 })],
    ["Shape", "an unknown variant", () => ({ triangle: { side: 1 } })],
    ["Shape", "two variant keys", () => ({ circle: { radius: 1 }, empty: {} })],
    ["Shape", "a struct variant written as a unit", () => "circle"],
    ["Shape", "the in-memory (internally tagged) form", () => ({ kind: "circle", radius: 1 })],
    ["Shape", "a wrong-typed variant field", () => ({ circle: { radius: "1" } })],
    ["Priority", "an unknown value", () => "urgent"],
    ["Receipt", "a negative u64", () => ({ orderId: -1, total: 1.5, shapes: [] })],
    ["Receipt", "a u64 overflow", () => ({ orderId: 2 ** 65, total: 1.5, shapes: [] })],
    ["Order", "a forbidden map key", () => ({ ...order(), labels: { constructor: 1 } })],
    ["Order", "a byte out of range", () => ({ ...order(), blob: [1, 256] })],
    ["Order", "a short tuple", () => ({ ...order(), point: [1.5, "x"] })],
    [
      "Order",
      "an Endpoint without its token",
      () => ({ ...order(), replyTo: { address: order().replyTo.address } }),
    ],
    ["Order", "a UID half that is negative", () => ({ ...order(), trace: { first: -1, second: 0 } })],
    [
      "Order",
      "a service reference without its base token",
      () => ({ ...order(), audit: { address: order().audit.address } }),
    ],
    ["Order", "a wrong nested inline field", () => ({ ...order(), nested: { depth: 2 ** 31, tags: [] } })],
  ];

  it("accepts the golden order once more after the round trip the bad cases start from", () => {
    const bytes = codec.encode(order());
    expect(validator("Order")(JSON.parse(new TextDecoder().decode(bytes)))).toBe(true);
    expect(decodeOrder(codec.decode(bytes)).ok).toBe(true);
  });

  it.each(bad)("rejects %s with %s, as the generated decoder does", (type, _what, payload) => {
    const bytes = codec.encode(payload());
    expect(validator(type)(JSON.parse(new TextDecoder().decode(bytes)))).toBe(false);
    expect(decoders[type]!(codec.decode(bytes)).ok).toBe(false);
  });
});

// A valid Order using every supported type, shared by the round-trip and validator tests.
import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import type { Order } from "../fixtures/shop.ts";

export const AUDIT_BLOB = {
  address: { ip: "10.0.1.1", port: 4500, flags: 0 },
  base_token: { first: 0xffff_ffff_ffff_fff0n, second: 42n },
};

/** An order with every kind of field: u64 at its maximum, i64 at its minimum, nested values. */
export function sampleOrder(): Order {
  return {
    id: 18446744073709551615n,
    delta: -9223372036854775808n,
    items: [
      { sku: "apple", qty: 3, unitPrice: 0.5, giftNote: "for you" },
      { sku: "pear", qty: 4294967295, unitPrice: 1.25 },
    ],
    point: [1.5, "x", true],
    blob: new Uint8Array([0, 1, 254, 255]),
    labels: { a: 1, "odd key": 255 },
    shape: { kind: "rect", width: 2, height: 3 },
    priority: "high",
    parent: {
      id: 1n,
      delta: 5n,
      items: [],
      point: [0, "", false],
      blob: new Uint8Array(0),
      labels: {},
      shape: { kind: "empty" },
      priority: "low",
      parent: null,
      replyTo: new Endpoint(NetworkAddress.parse("10.0.0.9:1"), new UID(1n, 2n)),
      trace: new UID(0n, 0n),
      audit: AUDIT_BLOB,
      nested: { depth: -1, tags: [] },
    },
    owner: "ann",
    replyTo: new Endpoint(NetworkAddress.parse("10.0.0.2:4501"), new UID((1n << 64n) - 5n, 77n)),
    trace: new UID(123456789012345678n, 9n),
    audit: AUDIT_BLOB,
    nested: { depth: 2147483647, tags: ["a", "b"] },
  };
}

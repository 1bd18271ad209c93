import { measure } from "../harness.ts";
import * as A from "./_ab_fn.ts";
import * as B from "./order.service.ts";

function order(): any {
  return {
    id: 18446744073709551000n,
    createdAt: 1764763200000n,
    customer: { name: "Ada Lovelace", email: "ada@example.com", tier: "gold" },
    items: Array.from({ length: 20 }, (_, i) => ({
      sku: `sku-${i}`,
      qty: i + 1,
      price: 9.99 + i,
      tags: ["new", i % 2 === 0 ? "even" : "odd"],
    })),
    total: 1234.5,
    note: "leave at the door",
  };
}
const o = order();
const bad = order();
bad.items[13].qty = "14";
// Make the shared closure polymorphic, as in a module with many types.
for (let i = 0; i < 1e5; i++) {
  A.validateBenchItem(o.items[0]);
  B.validateBenchItem(o.items[0]);
  A.validateBenchCustomer(o.customer);
}
const res: Record<string, number[]> = { A: [], B: [], Ai: [], Bi: [] };
for (let r = 0; r < 15; r++) {
  res.A!.push(measure(() => A.validateBenchOrder(o), { minMs: 100 }));
  res.B!.push(measure(() => B.validateBenchOrder(o), { minMs: 100 }));
  res.Ai!.push(measure(() => A.validateBenchOrder(bad), { minMs: 100 }));
  res.Bi!.push(measure(() => B.validateBenchOrder(bad), { minMs: 100 }));
}
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!;
for (const k of Object.keys(res)) console.log(k, (med(res[k]!) / 1e6).toFixed(3), "M ops/s");
console.log(
  "factory/function valid",
  (med(res.B!) / med(res.A!)).toFixed(3),
  "invalid",
  (med(res.Bi!) / med(res.Ai!)).toFixed(3),
);

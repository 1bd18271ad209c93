// The request of the validator benchmark: a realistic order (nested object, 20 items, bigint
// fields). `order.service.ts` is generated from it (`pnpm --filter @moonpool/bench codegen`).
import type { u32, u64 } from "@moonpool/codegen/runtime";

export interface BenchItem {
  sku: string;
  qty: u32;
  price: number;
  tags: string[];
}

export interface BenchCustomer {
  name: string;
  email: string;
  tier: "gold" | "silver" | "basic";
}

export interface BenchOrder {
  id: u64;
  createdAt: u64;
  customer: BenchCustomer;
  items: BenchItem[];
  total: number;
  note?: string;
}

/** @service */
export interface BenchShop {
  place(req: BenchOrder): Promise<u64>;
}

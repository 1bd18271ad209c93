import { describe, expect, it } from "vitest";
import { AckLedger } from "../src/ackLedger.ts";

describe("AckLedger", () => {
  it("accepts distinct values per node and tracks the highest", () => {
    const ledger = new AckLedger();
    expect(ledger.record("a", 1, "c0")).toBeNull();
    expect(ledger.record("a", 3, "c1")).toBeNull();
    expect(ledger.record("b", 1, "c0")).toBeNull(); // same value on another node is fine
    expect(ledger.maxAcked("a")).toBe(3);
    expect(ledger.maxAcked("b")).toBe(1);
    expect(ledger.maxAcked("z")).toBe(0);
    expect(ledger.acks).toBe(3);
  });

  it("reports a value acknowledged twice by the same node", () => {
    const ledger = new AckLedger();
    ledger.record("a", 7, "c0");
    expect(ledger.record("a", 7, "c1")).toMatch(/a acknowledged value 7 twice \(second time to c1\)/);
  });
});

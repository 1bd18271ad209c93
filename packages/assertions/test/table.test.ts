import {
  always,
  assertionReport,
  assertionTable,
  assertionTableBytes,
  attachAssertionTable,
  createAssertionTable,
  installAssertionTable,
  sometimes,
  sometimesEach,
  sometimesEachReport,
  validateAssertionContracts,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

describe("table", () => {
  it("lives in a SharedArrayBuffer by default", () => {
    const t = assertionTable();
    expect(t.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(t.shared).toBe(true);
    expect(t.buffer.byteLength).toBe(assertionTableBytes());
  });

  it("keeps many distinct messages apart in a small table (collisions probe, never merge)", () => {
    freshWorld({ slots: 64 });
    for (let i = 0; i < 64; i++) for (let k = 0; k <= i % 3; k++) always(true, `m${i}`);
    const report = assertionReport();
    expect(report).toHaveLength(64);
    for (const e of report) expect(e.pass).toBe((Number(e.message.slice(1)) % 3) + 1);
    expect(validateAssertionContracts().problems).toEqual([]);
  });

  it("keeps long messages that share a long prefix apart and reports them in full", () => {
    freshWorld({ messageBytes: 16 });
    const prefix = "x".repeat(40);
    always(true, `${prefix}-a`);
    always(false, `${prefix}-b`);
    const report = assertionReport();
    expect(report.map((e) => [e.message, e.pass, e.fail])).toEqual([
      [`${prefix}-b`, 0, 1],
      [`${prefix}-a`, 1, 0],
    ]);
  });

  it("reports assertion overflow instead of dropping silently, and still fails the seed", () => {
    rec = freshWorld({ slots: 2 });
    always(true, "one");
    always(true, "two");
    always(false, "three", { n: 3 });
    always(false, "three");
    expect(rec.violations.map((v) => v.message)).toEqual(["three", "three"]);
    expect(rec.log).toEqual([
      '[moonpool assertions] assertion table full (capacity 2): "three" and any further new assertion are not recorded; create a bigger table with createAssertionTable({ slots })',
      '[ASSERTION FAILED] always "three" | {"n":3}',
    ]);
    const v = validateAssertionContracts();
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(['assertion table full (capacity 2): 1 assertion not recorded, e.g. "three"']);
    expect(assertionTable().usage).toMatchObject({ slots: 2, slotCapacity: 2, droppedAssertions: 1 });
  });

  it("reports bucket overflow", () => {
    rec = freshWorld({ buckets: 3 });
    for (let i = 0; i < 5; i++) sometimesEach("b", { i });
    expect(rec.log).toEqual([
      "[moonpool assertions] sometimesEach bucket table full (capacity 3): new buckets are not recorded; create a bigger table with createAssertionTable({ buckets })",
    ]);
    expect(sometimesEachReport()[0]!.buckets).toHaveLength(3);
    expect(validateAssertionContracts().problems).toEqual([
      "sometimesEach bucket table full (capacity 3): 2 buckets not recorded",
    ]);
  });

  it("attaches a second view to the same buffer: both see the same counts", () => {
    const main = createAssertionTable({ slots: 32, buckets: 32 });
    installAssertionTable(main);
    sometimes(true, "seen by both");
    const other = createAssertionTable({ buffer: main.buffer });
    expect(other.slotCapacity).toBe(32);
    const slot = other.slotFor("seen by both", "sometimes");
    other.recordPass(slot);
    expect(main.slots().map((s) => [s.message, s.pass])).toEqual([["seen by both", 2]]);
    main.clear();
    // the other view notices the clear (generation) and does not reuse its stale cache
    expect(other.slotFor("after clear", "always")).toBeGreaterThanOrEqual(0);
    expect(other.slots().map((s) => s.message)).toEqual(["after clear"]);
  });

  it("refuses a buffer that does not hold a table, naming the argument", () => {
    expect(() => attachAssertionTable(new SharedArrayBuffer(1024))).toThrow(/assertion table/);
    expect(() => attachAssertionTable({} as never)).toThrow(/buffer must be/);
    expect(() => createAssertionTable({ slots: 0 })).toThrow(/options.slots/);
    expect(() => createAssertionTable({ buffer: new SharedArrayBuffer(64), slots: 8 })).toThrow(
      /options.buffer/,
    );
  });

  it("formats a zeroed buffer the caller allocated", () => {
    const buffer = new SharedArrayBuffer(assertionTableBytes({ slots: 8, buckets: 8 }));
    const t = createAssertionTable({ buffer, slots: 8, buckets: 8 });
    expect(t.slotCapacity).toBe(8);
    expect(attachAssertionTable(buffer).bucketCapacity).toBe(8);
  });
});

describe("registry", () => {
  it("two copies of the package in one process share one table, hooks and catalog", async () => {
    vi.resetModules();
    const copy = await import("@moonpool/assertions");
    expect(copy.always).not.toBe(always);
    copy.always(false, "from the other copy");
    expect(rec.violations.map((v) => v.message)).toEqual(["from the other copy"]);
    expect(assertionReport().map((e) => e.message)).toEqual(["from the other copy"]);
  });
});

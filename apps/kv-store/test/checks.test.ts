import { describe, expect, it } from "vitest";
import { parseBug } from "../src/bugs.ts";
import { checkHistory, dropUnobservedPendingWrites } from "../src/checks.ts";
import type { KvEvent } from "../src/history.ts";
import { type KvInput, operationsFromEvents } from "../src/linearizability/index.ts";

const call = (id: number, client: string, input: KvInput): KvEvent => ({
  kind: "call",
  id,
  client,
  input,
});
const put = (id: number, client: string, key: string, value: string) =>
  call(id, client, { op: "put", key, value });
const get = (id: number, client: string, key: string) => call(id, client, { op: "get", key });
const ret = (id: number, value?: string | null): KvEvent => ({
  kind: "return",
  id,
  output: value === undefined ? { ok: true } : { value },
});

describe("checkHistory", () => {
  it("accepts a sequential history and a concurrent one with a legal order", () => {
    expect(checkHistory([put(0, "a", "k", "1"), ret(0), get(1, "b", "k"), ret(1, "1")]).ok).toBe(true);
    // The read overlaps the write: old or new value are both fine.
    const overlapping = [
      put(0, "a", "k", "1"),
      ret(0),
      put(1, "a", "k", "2"),
      get(2, "b", "k"),
      ret(2, "1"),
      ret(1),
    ];
    expect(checkHistory(overlapping).ok).toBe(true);
  });

  it("names the lost write when a read after an acknowledged write returns an older value", () => {
    const verdict = checkHistory([
      put(0, "a", "k", "1"),
      ret(0),
      put(1, "a", "k", "2"),
      ret(1),
      get(2, "b", "k"),
      ret(2, "1"),
    ]);
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toMatch(/acknowledged write lost: put\(k, 2\) by a .* returned "1"/);
  });

  it("finds a non-linearizable history that loses no write (a new/old inversion between reads)", () => {
    // Write of 2 is still running; b reads 2, then c, after b finished, reads the older 1.
    const events = [
      put(0, "a", "k", "1"),
      ret(0),
      put(1, "a", "k", "2"),
      get(2, "b", "k"),
      ret(2, "2"),
      get(3, "c", "k"),
      ret(3, "1"),
      ret(1),
    ];
    const verdict = checkHistory(events);
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toMatch(/not linearizable/);
  });

  it("treats a write with an unknown outcome as possibly applied", () => {
    const events: KvEvent[] = [put(0, "a", "k", "1"), { kind: "info", id: 0 }, get(1, "b", "k"), ret(1, "1")];
    expect(checkHistory(events).ok).toBe(true);
  });
});

describe("dropUnobservedPendingWrites", () => {
  it("drops only unknown-outcome writes whose value nobody read", () => {
    const ops = operationsFromEvents<any, any>([
      put(0, "a", "k", "seen"),
      { kind: "info", id: 0 },
      put(1, "a", "k", "unseen"),
      { kind: "info", id: 1 },
      put(2, "a", "k", "acked"),
      ret(2),
      get(3, "b", "k"),
      ret(3, "seen"),
    ]);
    const kept = dropUnobservedPendingWrites(ops).map((o) => (o.input as { value?: string }).value ?? "get");
    expect(kept).toEqual(["seen", "acked", "get"]);
  });
});

describe("parseBug", () => {
  it("names the argument and the choices for an unknown bug", () => {
    expect(parseBug("stale-read")).toBe("stale-read");
    expect(() => parseBug("typo")).toThrow(
      /--bug: unknown bug "typo" \(choose one of ack-before-fsync, stale-read/,
    );
  });
});

import { AsyncQueue, Deque, Notify, UID } from "@moonpool/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EndpointMap, MessagingError } from "../src/index.ts";

describe("Deque", () => {
  it("behaves like an array used as a double-ended queue", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("push", "unshift", "shift"), fc.integer())), (ops) => {
        const d = new Deque<number>();
        const model: number[] = [];
        for (const [op, v] of ops) {
          if (op === "push") {
            d.push(v);
            model.push(v);
          } else if (op === "unshift") {
            d.unshift(v);
            model.unshift(v);
          } else expect(d.shift()).toBe(model.shift());
          expect(d.length).toBe(model.length);
          expect(d.peek()).toBe(model[0]);
        }
      }),
    );
  });
});

describe("Notify", () => {
  it("keeps one permit when nobody waits, so a wake is never lost", async () => {
    const n = new Notify();
    n.notify();
    n.notify();
    await n.notified(); // the permit
    let woke = false;
    const waiting = n.notified().then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false); // only one permit was kept
    n.notify();
    await waiting;
    expect(woke).toBe(true);
  });

  it("rejects a waiter whose signal aborts, without eating the next wake", async () => {
    const n = new Notify();
    const ctl = new AbortController();
    const aborted = n.notified(ctl.signal);
    ctl.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    n.notify();
    await n.notified();
  });
});

describe("AsyncQueue", () => {
  it("is FIFO, wakes waiters, and returns undefined once closed and drained", async () => {
    const q = new AsyncQueue<number>();
    const first = q.recv();
    q.push(1);
    q.push(2);
    expect(await first).toBe(1);
    expect(q.tryRecv()).toBe(2);
    const pending = q.recv();
    expect(q.close()).toEqual([]);
    expect(await pending).toBeUndefined();
    expect(q.push(3)).toBe(false);
  });

  it("an aborted receiver does not swallow the next item", async () => {
    const q = new AsyncQueue<string>();
    const ctl = new AbortController();
    const a = q.recv(ctl.signal);
    ctl.abort(new Error("gone"));
    await expect(a).rejects.toThrow("gone");
    q.push("x");
    expect(await q.recv()).toBe("x");
  });
});

describe("EndpointMap", () => {
  const r = () => ({
    got: [] as Uint8Array[],
    receive(p: Uint8Array) {
      this.got.push(p);
    },
  });

  it("keeps well-known slots and dynamic tokens apart; well-known slots cannot be removed", () => {
    const m = new EndpointMap();
    const wk = r();
    const dyn = r();
    m.insertWellKnown(5, wk);
    m.insert(new UID(1n, 2n), dyn);
    expect(m.get(UID.wellKnown(5))).toBe(wk);
    expect(m.get(new UID(1n, 2n))).toBe(dyn);
    expect(m.get(UID.wellKnown(6))).toBeUndefined();
    expect(m.get(new UID((1n << 64n) - 1n, 64n))).toBeUndefined(); // beyond the reserved slots
    expect(m.remove(UID.wellKnown(5))).toBe(false);
    expect(m.get(UID.wellKnown(5))).toBe(wk);
    expect(m.remove(new UID(1n, 2n), r())).toBe(false); // only the registered receiver removes itself
    expect(m.remove(new UID(1n, 2n))).toBe(true);
    expect(m.dynamicCount).toBe(0);
    expect(m.registrations).toBe(2);
    expect(m.deregistrations).toBe(1);
    expect(() => m.insertWellKnown(64, wk)).toThrow(MessagingError);
  });
});

import { describe, expect, it } from "vitest";
import { Mutex } from "../../src/sync/Mutex.ts";

describe("Mutex (plain promises)", () => {
  it("grants the lock in request order and one holder at a time", async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const job = (name: string) =>
      mutex.runExclusive(async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 1));
        log.push(`${name}-`);
      });
    await Promise.all([job("a"), job("b"), job("c")]);
    expect(log).toEqual(["a+", "a-", "b+", "b-", "c+", "c-"]);
    expect(mutex.locked).toBe(false);
  });

  it("an aborted waiter passes the lock on; release is idempotent; a throw releases", async () => {
    const mutex = new Mutex();
    const release = await mutex.lock();
    const controller = new AbortController();
    const aborted = mutex.lock(controller.signal);
    const next = mutex.lock();
    controller.abort(new Error("gave up"));
    await expect(aborted).rejects.toThrow("gave up");
    release();
    release();
    const releaseNext = await next;
    expect(mutex.locked).toBe(true);
    releaseNext();
    await expect(mutex.runExclusive(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(mutex.locked).toBe(false);
    await expect(mutex.lock(AbortSignal.abort(new Error("early")))).rejects.toThrow("early");
  });
});

import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { FailureMonitor, isWellKnownFamily } from "../src/index.ts";
import { FakeTime } from "./support/FakeWorld.ts";

const ADDR = "10.0.1.1:4500";
const ep = (second: bigint, first = 7n) => new Endpoint(NetworkAddress.parse(ADDR), new UID(first, second));

describe("FailureMonitor", () => {
  it("bounds its address map: the oldest change nobody waits on is forgotten first", async () => {
    const fm = new FailureMonitor(new FakeTime(), { maxAddresses: 3 });
    fm.setStatus("10.0.0.1:1", "failed");
    fm.setStatus("10.0.0.2:1", "available");
    const watched = fm.onDisconnect("10.0.0.2:1");
    fm.setStatus("10.0.0.3:1", "failed");
    fm.setStatus("10.0.0.1:1", "available"); // a change makes it the newest
    for (let i = 0; i < 1000; i++) fm.setStatus(`10.9.${i >> 8}.${i & 255}:1`, "failed");
    expect(fm.addressCount).toBe(3);
    expect(fm.addressStatus("10.0.0.2:1")).toBe("available"); // watched: kept
    expect(fm.addressStatus("10.0.0.1:1")).toBe("unknown");
    fm.forget("10.0.0.2:1");
    expect(fm.addressStatus("10.0.0.2:1")).toBe("unknown");
    fm.notifyDisconnect("10.0.0.2:1");
    await watched;
    expect(() => new FailureMonitor(new FakeTime(), { maxAddresses: 0 })).toThrow(/maxAddresses/);
  });

  it("callback watchers fire once, only for their endpoint, and stop when asked", () => {
    const fm = new FailureMonitor(new FakeTime());
    const fired: string[] = [];
    const stopAny = fm.watchDisconnectOrFailure(ep(1n), () => fired.push("any"));
    const stopMissing = fm.watchPermanentFailure(ep(2n), () => fired.push("missing 2"));
    const stopped = fm.watchPermanentFailure(ep(3n), () => fired.push("missing 3"));
    stopped();
    fm.endpointNotFound(ep(4n)); // another endpoint: nobody fires
    expect(fired).toEqual([]);
    fm.notifyDisconnect(ADDR);
    fm.notifyDisconnect(ADDR);
    expect(fired).toEqual(["any"]); // once; the permanent-failure watcher ignores disconnects
    fm.endpointNotFound(ep(3n));
    fm.endpointNotFound(ep(2n));
    expect(fired).toEqual(["any", "missing 2"]);
    stopAny();
    stopMissing(); // stopping after firing is a no-op
    stopped();
  });

  it("moves unknown → available → failed, waking waiters only on change", async () => {
    const fm = new FailureMonitor(new FakeTime());
    expect(fm.addressStatus(ADDR)).toBe("unknown");
    expect(fm.state(ep(1n))).toBe("unknown");
    fm.setStatus(ADDR, "available");
    expect(fm.state(ep(1n))).toBe("available");
    let woke = false;
    const waiting = fm.onDisconnectOrFailure(ep(1n)).then(() => {
      woke = true;
    });
    fm.setStatus(ADDR, "available"); // no change, no wake
    await Promise.resolve();
    expect(woke).toBe(false);
    fm.setStatus(ADDR, "failed");
    await waiting;
    expect(woke).toBe(true);
    expect(fm.state(ep(1n))).toBe("failed");
    await fm.onDisconnectOrFailure(ep(1n)); // already failed: immediate
  });

  it("a disconnect wakes waiters even when the link is back before they run", async () => {
    const fm = new FailureMonitor(new FakeTime());
    fm.setStatus(ADDR, "available");
    const waiting = fm.onDisconnectOrFailure(ep(1n));
    fm.notifyDisconnect(ADDR);
    fm.setStatus(ADDR, "available");
    await waiting;
  });

  it("marks endpoints permanently failed, never well-known ones, and wakes their waiters", async () => {
    const fm = new FailureMonitor(new FakeTime());
    fm.setStatus(ADDR, "available");
    const waiting = fm.onPermanentFailure(ep(1n));
    fm.endpointNotFound(ep(2n)); // other endpoint: does not resolve ep(1)
    fm.endpointNotFound(ep(1n));
    await waiting;
    expect(fm.permanentlyFailed(ep(1n))).toBe(true);
    expect(fm.state(ep(1n))).toBe("failed");
    expect(fm.state(ep(3n))).toBe("available");
    const wk = new Endpoint(NetworkAddress.parse(ADDR), UID.wellKnown(4));
    fm.endpointNotFound(wk);
    expect(fm.permanentlyFailed(wk)).toBe(false);
  });

  it("a method of a well-known interface wakes its current waiters but is never recorded", async () => {
    const fm = new FailureMonitor(new FakeTime());
    fm.setStatus(ADDR, "available");
    const method = new Endpoint(NetworkAddress.parse(ADDR), UID.wellKnown(4)).adjusted(2);
    expect(method.token.isWellKnown()).toBe(false); // moonpool would record it for good
    expect(isWellKnownFamily(method.token)).toBe(true);
    expect(isWellKnownFamily(new UID(7n, 1n))).toBe(false);
    const notFound = fm.onPermanentFailure(method);
    const failure = fm.onDisconnectOrFailure(method);
    let other = false;
    void fm.onPermanentFailure(method.adjusted(1)).then(() => {
      other = true;
    });
    fm.endpointNotFound(method);
    await notFound;
    await failure;
    await Promise.resolve();
    expect(other).toBe(false); // only the endpoint reported missing
    expect(fm.permanentlyFailed(method)).toBe(false);
    expect(fm.state(method)).toBe("available");
    expect(fm.failedEndpointCount).toBe(0);
  });

  it("bounds the failed-endpoint set by evicting the oldest", () => {
    const fm = new FailureMonitor(new FakeTime(), { maxFailedEndpoints: 2 });
    fm.endpointNotFound(ep(1n));
    fm.endpointNotFound(ep(2n));
    fm.endpointNotFound(ep(3n));
    expect(fm.failedEndpointCount).toBe(2);
    expect(fm.permanentlyFailed(ep(1n))).toBe(false);
    expect(fm.permanentlyFailed(ep(3n))).toBe(true);
  });

  it("onFailedFor resolves ms after the first failure it sees, even if the link recovers", async () => {
    const time = new FakeTime();
    const fm = new FailureMonitor(time);
    fm.setStatus(ADDR, "available");
    let done = false;
    const waiting = fm.onFailedFor(ep(1n), 1000).then(() => {
      done = true;
    });
    await time.advance(5000);
    expect(done).toBe(false);
    fm.setStatus(ADDR, "failed");
    await time.advance(500);
    fm.setStatus(ADDR, "available");
    await time.advance(499);
    expect(done).toBe(false);
    await time.advance(1);
    await waiting;
    expect(done).toBe(true);
  });

  it("aborting a wait rejects it and leaves no watcher or timer", async () => {
    const time = new FakeTime();
    const fm = new FailureMonitor(time);
    fm.setStatus(ADDR, "failed");
    const ctl = new AbortController();
    const waiting = fm.onFailedFor(ep(1n), 1000, ctl.signal);
    await time.advance(10);
    ctl.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(time.pendingTimers).toBe(0);
    const ctl2 = new AbortController();
    fm.setStatus(ADDR, "available");
    const w2 = fm.onDisconnect(ADDR, ctl2.signal);
    ctl2.abort(new Error("stop2"));
    await expect(w2).rejects.toThrow("stop2");
  });
});

import { describe, expect, it } from "vitest";
import { LazyAbort } from "../../../src/runner/internal/lazy-abort.ts";

describe("LazyAbort", () => {
  it("behaves as an AbortController for a signal read before the abort", () => {
    const lazy = new LazyAbort();
    const signal = lazy.signal;
    const seen: unknown[] = [];
    signal.addEventListener("abort", () => seen.push(signal.reason));
    expect(lazy.aborted).toBe(false);
    lazy.abort("stop");
    expect(seen).toEqual(["stop"]);
    expect(signal.aborted).toBe(true);
    lazy.abort("again");
    expect(signal.reason).toBe("stop");
    expect(lazy.signal).toBe(signal);
  });

  it("hands out an already-aborted signal, with the first reason, when read after the abort", () => {
    const lazy = new LazyAbort();
    const reason = new Error("shutdown");
    lazy.abort(reason);
    lazy.abort(new Error("later"));
    expect(lazy.aborted).toBe(true);
    const signal = lazy.signal;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(() => signal.throwIfAborted()).toThrow("shutdown");
  });
});

import { describe, expect, it } from "vitest";
import {
  hasErrorCode,
  InvalidArgumentError,
  NetworkError,
  StorageError,
  TaskCancelledError,
  TimeoutError,
} from "../src/index.ts";
import { checkCount, checkDuration, checkIntRange, checkProbability } from "../src/validate.ts";

describe("errors", () => {
  it("TimeoutError carries ms and ETIMEDOUT", () => {
    const e = new TimeoutError(250);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.ms]).toEqual(["TimeoutError", "ETIMEDOUT", 250]);
    expect(e.message).toContain("250 ms");
  });

  it("TaskCancelledError names the task and the reason", () => {
    const e = new TaskCancelledError("heartbeat", "reboot");
    expect(e.name).toBe("TaskCancelledError");
    expect(e.taskName).toBe("heartbeat");
    expect(e.message).toBe('task "heartbeat" was cancelled: reboot');
    expect(new TaskCancelledError("t").message).toBe('task "t" was cancelled');
  });

  it("NetworkError and StorageError carry Node-style codes and where they happened", () => {
    const n = new NetworkError("ECONNREFUSED", "connect failed", "10.0.1.1:4500");
    expect([n.name, n.code, n.address]).toEqual(["NetworkError", "ECONNREFUSED", "10.0.1.1:4500"]);
    expect(n.message).toBe("ECONNREFUSED: connect failed (10.0.1.1:4500)");
    expect(new NetworkError("EPIPE", "closed").address).toBeUndefined();
    const s = new StorageError("ENOENT", "no such file", "wal/1.log");
    expect([s.name, s.code, s.path]).toEqual(["StorageError", "ENOENT", "wal/1.log"]);
    expect(s.message).toBe("ENOENT: no such file (wal/1.log)");
    expect(new StorageError("EIO", "bad", "").message).toBe("EIO: bad ()"); // empty path still shown
  });

  it("InvalidArgumentError names the argument and is a TypeError", () => {
    const e = new InvalidArgumentError("ms", "expected a number");
    expect(e).toBeInstanceOf(TypeError);
    expect([e.name, e.code, e.argument]).toEqual(["InvalidArgumentError", "ERR_INVALID_ARG_VALUE", "ms"]);
    expect(e.message).toBe("invalid ms: expected a number");
  });

  it("hasErrorCode matches core errors and Node system errors", () => {
    const refused = new NetworkError("ECONNREFUSED", "x");
    expect(hasErrorCode(refused, "ECONNREFUSED", "ECONNRESET")).toBe(true);
    expect(hasErrorCode(refused, "EPIPE")).toBe(false);
    expect(hasErrorCode(refused)).toBe(true);
    expect(hasErrorCode(Object.assign(new Error("sys"), { code: "ENOENT" }), "ENOENT")).toBe(true);
    expect(hasErrorCode(new Error("plain"))).toBe(false);
    expect(hasErrorCode(null)).toBe(false);
    expect(hasErrorCode("ENOENT", "ENOENT")).toBe(false);
  });
});

describe("argument checks", () => {
  it("checkDuration accepts finite non-negative numbers only", () => {
    expect(() => checkDuration("ms", 0)).not.toThrow();
    expect(() => checkDuration("ms", 1.5)).not.toThrow();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, "5" as unknown as number]) {
      expect(() => checkDuration("delay", bad)).toThrow(/invalid delay/);
    }
  });

  it("checkIntRange needs safe integers with min < maxExclusive", () => {
    expect(() => checkIntRange(0, 1)).not.toThrow();
    expect(() => checkIntRange(1, 1)).toThrow(InvalidArgumentError);
    expect(() => checkIntRange(0, 2 ** 53)).toThrow(/safe integers/);
  });

  it("checkProbability and checkCount", () => {
    expect(() => checkProbability("p", 0)).not.toThrow();
    expect(() => checkProbability("p", 1)).not.toThrow();
    expect(() => checkProbability("p", 1.01)).toThrow(/invalid p/);
    expect(() => checkProbability("p", Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => checkCount("n", 0)).not.toThrow();
    expect(() => checkCount("n", -1)).toThrow(/invalid n/);
    expect(() => checkCount("n", 0.5)).toThrow(InvalidArgumentError);
  });
});

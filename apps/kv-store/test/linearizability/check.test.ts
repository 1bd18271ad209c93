import { describe, expect, it } from "vitest";
import {
  casRegisterModel,
  checkLinearizable,
  kvModel,
  type Operation,
  operationsFromEvents,
  type RegisterInput,
  registerModel,
} from "../../src/linearizability/index.ts";

type RegOp = Operation<RegisterInput<number>, number>;
const write = (client: number, value: number, call: number, ret: number): RegOp => ({
  client,
  input: { op: "write", value },
  call,
  return: ret,
  output: 0,
});
const read = (client: number, output: number, call: number, ret?: number): RegOp =>
  ret === undefined
    ? { client, input: { op: "read" }, call }
    : { client, input: { op: "read" }, call, return: ret, output };

describe("checkLinearizable on Porcupine's register examples (MIT 6.824 2017 quiz 2, section VII)", () => {
  const model = registerModel(0);

  it("accepts write(100) overlapping a read of 100 and a read of 0", () => {
    const ops = [write(0, 100, 0, 100), read(1, 100, 25, 75), read(2, 0, 30, 60)];
    expect(checkLinearizable(model, ops).verdict).toBe("ok");
  });

  it("rejects a read of 0 that starts after a read of 200 returned", () => {
    const ops = [write(0, 200, 0, 100), read(1, 200, 10, 30), read(2, 0, 40, 90)];
    const result = checkLinearizable(model, ops);
    expect(result.verdict).toBe("illegal");
    expect(result.failure?.stuck).toBe(ops[2]);
    expect(result.failure?.explanation).toContain("read() -> 0");
  });

  it("handles zero-duration operations (call == return) both ways", () => {
    const ok = [write(0, 100, 0, 100), read(1, 100, 25, 75), read(2, 0, 30, 30), read(3, 0, 30, 30)];
    expect(checkLinearizable(model, ok).verdict).toBe("ok");
    const bad = [write(0, 200, 0, 100), read(1, 200, 10, 10), read(2, 200, 10, 10), read(3, 0, 40, 90)];
    expect(checkLinearizable(model, bad).verdict).toBe("illegal");
  });

  it("gives the same verdicts from ordered events (Porcupine's CheckEvents form)", () => {
    const ok = operationsFromEvents<RegisterInput<number>, number>([
      { kind: "call", id: 0, client: 0, input: { op: "write", value: 100 } },
      { kind: "call", id: 1, client: 1, input: { op: "read" } },
      { kind: "call", id: 2, client: 2, input: { op: "read" } },
      { kind: "return", id: 2, output: 0 },
      { kind: "return", id: 1, output: 100 },
      { kind: "return", id: 0, output: 0 },
    ]);
    expect(checkLinearizable(model, ok).verdict).toBe("ok");
    const bad = operationsFromEvents<RegisterInput<number>, number>([
      { kind: "call", id: 0, client: 0, input: { op: "write", value: 200 } },
      { kind: "call", id: 1, client: 1, input: { op: "read" } },
      { kind: "return", id: 1, output: 200 },
      { kind: "call", id: 2, client: 2, input: { op: "read" } },
      { kind: "return", id: 2, output: 0 },
      { kind: "return", id: 0, output: 0 },
    ]);
    expect(checkLinearizable(model, bad).verdict).toBe("illegal");
  });
});

describe("checkLinearizable semantics", () => {
  const model = registerModel(0);

  it("sequential histories: a stale read after a completed write is illegal", () => {
    expect(checkLinearizable(model, [write(0, 1, 0, 1), read(0, 1, 2, 3)]).verdict).toBe("ok");
    expect(checkLinearizable(model, [write(0, 1, 0, 1), read(0, 0, 2, 3)]).verdict).toBe("illegal");
  });

  it("a pending write may take effect late or never", () => {
    const pending: RegOp = { client: 0, input: { op: "write", value: 7 }, call: 0 };
    expect(checkLinearizable(model, [pending, read(1, 0, 5, 6), read(1, 7, 10, 11)]).verdict).toBe("ok");
    expect(checkLinearizable(model, [pending, read(1, 0, 5, 6)]).verdict).toBe("ok");
    // ...but once observed it cannot be undone
    expect(checkLinearizable(model, [pending, read(1, 7, 5, 6), read(1, 0, 10, 11)]).verdict).toBe("illegal");
  });

  it("a pending read constrains nothing", () => {
    expect(checkLinearizable(model, [write(0, 3, 0, 1), read(1, 99, 2)]).verdict).toBe("ok");
  });

  it("checks a key-value history key by key and names the failing key's operations", () => {
    const ops: Operation<Parameters<typeof kvModel.step>[1], { value?: string | null; ok?: boolean }>[] = [
      { client: 0, input: { op: "put", key: "a", value: "1" }, call: 0, return: 2, output: {} },
      { client: 1, input: { op: "put", key: "b", value: "x" }, call: 1, return: 3, output: {} },
      { client: 2, input: { op: "get", key: "b" }, call: 4, return: 5, output: { value: "x" } },
      { client: 2, input: { op: "get", key: "a" }, call: 6, return: 7, output: { value: null } },
    ];
    const result = checkLinearizable(kvModel, ops);
    expect(result.partitions).toBe(2);
    expect(result.verdict).toBe("illegal");
    expect(result.failure?.operations.every((op) => op.input.key === "a")).toBe(true);
    expect(result.failure?.explanation).toContain("get(a) -> null");
    expect(checkLinearizable(kvModel, ops.slice(0, 3)).verdict).toBe("ok");
  });

  it("cas outputs are checked: a successful cas from the wrong value is illegal", () => {
    const model = casRegisterModel<number>();
    const w = { client: 0, input: { op: "write" as const, value: 1 }, call: 0, return: 1, output: null };
    const casOk = {
      client: 1,
      input: { op: "cas" as const, from: 2, to: 3 },
      call: 2,
      return: 3,
      output: true,
    };
    const casFail = { ...casOk, output: false };
    expect(checkLinearizable(model, [w, casOk]).verdict).toBe("illegal");
    expect(checkLinearizable(model, [w, casFail]).verdict).toBe("ok");
  });

  it("reports unknown, not a guess, when the step budget runs out", () => {
    // 12 concurrent writes and a read nobody can explain: the search must try many orders.
    const ops: RegOp[] = Array.from({ length: 12 }, (_, i) => write(i, i + 1, 0, 100));
    ops.push(read(99, 1000, 0, 100));
    expect(checkLinearizable(model, ops, { maxSteps: 50 }).verdict).toBe("unknown");
    expect(checkLinearizable(model, ops).verdict).toBe("illegal");
  });

  it("memoisation turns the n! orders of concurrent writes into at most 2^n states", () => {
    // 14 concurrent writes and an impossible read: 14! = 8.7e10 orders without memoisation; the
    // memo visits each (set of linearized writes, value) once.
    const ops: RegOp[] = Array.from({ length: 14 }, (_, i) => write(i, i % 2, 0, 100));
    ops.push(read(99, 6, 0, 100));
    const result = checkLinearizable(model, ops);
    expect(result.verdict).toBe("illegal");
    expect(result.steps).toBeLessThan(15 * 2 * 2 ** 14 * 2);
  });

  it("rejects malformed operations with a message naming the field", () => {
    expect(() => checkLinearizable(model, [write(0, 1, 5, 1)])).toThrow(/operations\[0\]\.return \(1\)/);
    expect(() => checkLinearizable(model, [{ ...read(0, 0, 0, 1), call: Number.NaN }])).toThrow(
      /operations\[0\]\.call/,
    );
    expect(() => checkLinearizable(model, [], { maxSteps: 0 })).toThrow(/maxSteps/);
  });

  it("rejects event logs that do not pair up", () => {
    expect(() => operationsFromEvents([{ kind: "return", id: 1, output: 0 }])).toThrow(/never called/);
    expect(() =>
      operationsFromEvents([
        { kind: "call", id: 1, client: 0, input: { op: "read" } },
        { kind: "call", id: 1, client: 0, input: { op: "read" } },
      ]),
    ).toThrow(/called twice/);
  });
});

import type { Operation } from "./history.ts";

/**
 * A sequential specification: what one operation does to the state when operations run one at a
 * time. `step` returns the new state when `output` is a legal result of `input` in `state`, and
 * `undefined` when it is not. An `output` of `undefined` means "unknown" (a pending operation):
 * accept it whenever the input could have run at all.
 */
export interface Model<State, Input, Output> {
  init(): State;
  step(state: State, input: Input, output: Output | undefined): { state: State } | undefined;
  /** State equality for memoisation; defaults to `Object.is` (use primitives or a key string). */
  equal?(a: State, b: State): boolean;
  /**
   * Splits a history into independent sub-histories (P-compositionality: a key-value store is
   * linearizable when each key's history is). Defaults to one partition.
   */
  partition?(operations: readonly Operation<Input, Output>[]): Operation<Input, Output>[][];
  /** Human description of one operation, for explanations. */
  describe?(input: Input, output: Output | undefined): string;
}

/** A `partition` function that groups operations by a key of their input. */
export function partitionBy<Input, Output>(
  keyOf: (input: Input) => string,
): (operations: readonly Operation<Input, Output>[]) => Operation<Input, Output>[][] {
  return (operations) => {
    const groups = new Map<string, Operation<Input, Output>[]>();
    for (const op of operations) {
      const key = keyOf(op.input);
      const group = groups.get(key);
      if (group) group.push(op);
      else groups.set(key, [op]);
    }
    return [...groups.keys()].sort().map((key) => groups.get(key)!);
  };
}

/** A read/write register holding `initial` at first: `{ op: "write", value }`, `{ op: "read" }` -> value. */
export type RegisterInput<V> = { readonly op: "write"; readonly value: V } | { readonly op: "read" };

export function registerModel<V>(initial: V): Model<V, RegisterInput<V>, V> {
  return {
    init: () => initial,
    step: (state, input, output) => {
      if (input.op === "write") return { state: input.value };
      return output === undefined || Object.is(output, state) ? { state } : undefined;
    },
    describe: (input, output) =>
      input.op === "write"
        ? `write(${String(input.value)})`
        : `read() -> ${output === undefined ? "?" : String(output)}`,
  };
}

/**
 * A compare-and-set register, Knossos's `cas-register`: reads return the value (`null` before
 * the first write), `cas` succeeds (`true`) exactly when the current value equals `from`.
 */
export type CasRegisterInput<V> =
  | { readonly op: "read" }
  | { readonly op: "write"; readonly value: V }
  | { readonly op: "cas"; readonly from: V; readonly to: V };

export function casRegisterModel<V>(): Model<V | null, CasRegisterInput<V>, V | null | boolean> {
  return {
    init: () => null,
    step: (state, input, output) => {
      switch (input.op) {
        case "write":
          return { state: input.value };
        case "read":
          return output === undefined || Object.is(output, state) ? { state } : undefined;
        case "cas": {
          const matches = Object.is(state, input.from);
          if (output === undefined) return { state: matches ? input.to : state };
          if (output !== matches) return undefined;
          return { state: matches ? input.to : state };
        }
      }
    },
    describe: (input, output) => {
      const result = output === undefined ? "?" : String(output);
      if (input.op === "write") return `write(${String(input.value)})`;
      if (input.op === "read") return `read() -> ${result}`;
      return `cas(${String(input.from)}, ${String(input.to)}) -> ${result}`;
    },
  };
}

/**
 * A key-value map whose keys are independent registers (checked key by key): `get` returns the
 * value or `null`, `put` sets it, `delete` removes it, `cas` sets `to` when the value is `from`.
 */
export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "delete"; readonly key: string }
  | { readonly op: "cas"; readonly key: string; readonly from: string | null; readonly to: string };
export type KvOutput = { readonly value?: string | null; readonly ok?: boolean };

export const kvModel: Model<string | null, KvInput, KvOutput> = {
  init: () => null,
  step: (state, input, output) => {
    switch (input.op) {
      case "put":
        return { state: input.value };
      case "delete":
        return { state: null };
      case "get":
        return output === undefined || output.value === state ? { state } : undefined;
      case "cas": {
        const matches = state === input.from;
        if (output !== undefined && output.ok !== matches) return undefined;
        return { state: matches ? input.to : state };
      }
    }
  },
  partition: partitionBy((input) => input.key),
  describe: (input, output) => {
    const result = output === undefined ? "?" : JSON.stringify(output.value ?? output.ok ?? null);
    switch (input.op) {
      case "get":
        return `get(${input.key}) -> ${result}`;
      case "put":
        return `put(${input.key}, ${input.value})`;
      case "delete":
        return `delete(${input.key})`;
      case "cas":
        return `cas(${input.key}, ${String(input.from)}, ${input.to}) -> ${result}`;
    }
  },
};

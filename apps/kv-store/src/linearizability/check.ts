import type { Operation } from "./history.ts";
import type { Model } from "./model.ts";

/**
 * Linearizability checking by Wing & Gong's search with Lowe's memoisation (the algorithm of
 * Knossos's `wgl` and of Porcupine): walk the history's calls and returns in time order, try to
 * linearize each call whose operation could take effect now, backtrack when a return is reached
 * before its operation was placed, and never revisit a (set of linearized operations, state)
 * pair already explored. Histories are first split by the model's `partition` and each part is
 * checked on its own (P-compositionality), which turns one exponential search into many small ones.
 */

export type Verdict = "ok" | "illegal" | "unknown";

export interface CheckOptions {
  /** Search steps allowed over all partitions before giving up with "unknown" (default 10M). */
  readonly maxSteps?: number;
}

export interface LinearizabilityFailure<Input, Output> {
  /** Index of the failing partition (in the model's partition order). */
  readonly partition: number;
  readonly operations: readonly Operation<Input, Output>[];
  /** The longest legal order of this partition's operations the search found. */
  readonly linearized: readonly Operation<Input, Output>[];
  /** An operation that cannot take effect after `linearized`, before its return. */
  readonly stuck: Operation<Input, Output>;
  readonly explanation: string;
}

export interface CheckResult<Input, Output> {
  readonly verdict: Verdict;
  readonly partitions: number;
  readonly steps: number;
  readonly failure?: LinearizabilityFailure<Input, Output>;
}

const DEFAULT_MAX_STEPS = 10_000_000;

export function checkLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<Input, Output> {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isSafeInteger(maxSteps) || maxSteps <= 0)
    throw new RangeError(
      `checkLinearizable: options.maxSteps must be a positive safe integer, got ${maxSteps}`,
    );
  operations.forEach(checkOperation);
  const parts = model.partition ? model.partition(operations) : [operations.slice()];
  let steps = 0;
  let unknown = false;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const result = searchPartition(model, part, maxSteps - steps);
    steps += result.steps;
    if (result.verdict === "illegal") {
      const linearized = result.linearized.map((i) => part[i]!);
      const stuck = part[result.stuck]!;
      return {
        verdict: "illegal",
        partitions: parts.length,
        steps,
        failure: {
          partition: p,
          operations: part,
          linearized,
          stuck,
          explanation: explain(model, linearized, stuck),
        },
      };
    }
    if (result.verdict === "unknown") {
      unknown = true;
      break;
    }
  }
  return { verdict: unknown ? "unknown" : "ok", partitions: parts.length, steps };
}

function checkOperation(op: Operation<unknown, unknown>, index: number): void {
  if (!Number.isFinite(op.call))
    throw new RangeError(
      `checkLinearizable: operations[${index}].call must be a finite number, got ${op.call}`,
    );
  if (op.return !== undefined && !(op.return >= op.call))
    throw new RangeError(
      `checkLinearizable: operations[${index}].return (${op.return}) must be a number >= its call (${op.call})`,
    );
}

type SearchResult =
  | { verdict: "ok" | "unknown"; steps: number }
  | { verdict: "illegal"; steps: number; linearized: number[]; stuck: number };

/**
 * The search over one partition. Calls and returns are nodes of a doubly linked list (arrays of
 * indices, sentinel head 0 and tail 2n+1); linearizing an operation unlinks its two nodes and
 * backtracking relinks them in reverse order (dancing links), so each step is O(1).
 */
function searchPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly Operation<Input, Output>[],
  maxSteps: number,
): SearchResult {
  const n = ops.length;
  if (n === 0) return { verdict: "ok", steps: 0 };
  const tail = 2 * n + 1;
  const order: { time: number; isCall: boolean; op: number }[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    order.push(
      { time: op.call, isCall: true, op: i },
      { time: op.return ?? Number.POSITIVE_INFINITY, isCall: false, op: i },
    );
  }
  // Same instant: calls first, so operations that touch at one instant count as concurrent.
  order.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall) || a.op - b.op);

  const next = new Int32Array(tail + 1);
  const prev = new Int32Array(tail + 1);
  const nodeOp = new Int32Array(tail + 1);
  const nodeIsCall = new Uint8Array(tail + 1);
  order.forEach((entry, k) => {
    const node = k + 1;
    nodeOp[node] = entry.op;
    nodeIsCall[node] = entry.isCall ? 1 : 0;
  });
  const returnNode = new Int32Array(n);
  for (let node = 1; node < tail; node++) if (!nodeIsCall[node]) returnNode[nodeOp[node]!] = node;
  for (let node = 0; node <= tail; node++) {
    next[node] = node + 1;
    prev[node] = node - 1;
  }
  const unlink = (node: number) => {
    next[prev[node]!] = next[node]!;
    prev[next[node]!] = prev[node]!;
  };
  const relink = (node: number) => {
    next[prev[node]!] = node;
    prev[next[node]!] = node;
  };

  const equal = model.equal ?? Object.is;
  const linearized = new LinearizedSet(n);
  const seen = new Map<number, { bits: Uint32Array; state: State }[]>();
  /** Records (linearized set, state); false when that pair was explored already. */
  const remember = (state: State): boolean => {
    const bucket = seen.get(linearized.hash);
    if (!bucket) {
      seen.set(linearized.hash, [{ bits: linearized.bits.slice(), state }]);
      return true;
    }
    if (bucket.some((e) => linearized.equals(e.bits) && equal(e.state, state))) return false;
    bucket.push({ bits: linearized.bits.slice(), state });
    return true;
  };

  const stackNodes: number[] = [];
  const stackStates: State[] = [];
  let best: number[] = [];
  let stuck = -1;
  let state = model.init();
  let node = next[0]!;
  let steps = 0;
  while (next[0] !== tail) {
    if (++steps > maxSteps) return { verdict: "unknown", steps: steps - 1 };
    if (nodeIsCall[node]) {
      const i = nodeOp[node]!;
      const op = ops[i]!;
      const moved = model.step(state, op.input, op.return === undefined ? undefined : op.output);
      if (moved) {
        linearized.toggle(i);
        if (remember(moved.state)) {
          stackNodes.push(node);
          stackStates.push(state);
          state = moved.state;
          unlink(node);
          unlink(returnNode[i]!);
          if (stackNodes.length > best.length) {
            best = stackNodes.map((callNode) => nodeOp[callNode]!);
            stuck = -1;
          }
          node = next[0]!;
          continue;
        }
        linearized.toggle(i);
      }
      node = next[node]!;
      continue;
    }
    // A return whose operation is not linearized yet: this prefix cannot be extended.
    if (stuck < 0 && stackNodes.length === best.length) stuck = nodeOp[node]!;
    const callNode = stackNodes.pop();
    if (callNode === undefined) return { verdict: "illegal", steps, linearized: best, stuck };
    const i = nodeOp[callNode]!;
    state = stackStates.pop()!;
    linearized.toggle(i);
    relink(returnNode[i]!);
    relink(callNode);
    node = next[callNode]!;
  }
  return { verdict: "ok", steps };
}

/**
 * The set of linearized operations as a bitset with an incremental Zobrist hash (an XOR of one
 * fixed pseudo-random value per member), so the memo is keyed by a number, not a string.
 */
class LinearizedSet {
  readonly bits: Uint32Array;
  hash = 0;
  private readonly keys: Float64Array;

  constructor(n: number) {
    this.bits = new Uint32Array(Math.ceil(n / 32));
    this.keys = new Float64Array(n);
    let x = 0x9e3779b9;
    for (let i = 0; i < n; i++) {
      // xorshift32, twice: 53 bits per member, exactly representable in a double
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const hi = (x >>> 0) & 0x1fffff;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.keys[i] = hi * 2 ** 32 + (x >>> 0);
    }
  }

  /** Adds `i` when absent, removes it when present (XOR keeps the hash in step either way). */
  toggle(i: number): void {
    this.bits[i >>> 5]! ^= 1 << (i & 31);
    this.hash = xor53(this.hash, this.keys[i]!);
  }

  equals(other: Uint32Array): boolean {
    for (let w = 0; w < this.bits.length; w++) if (this.bits[w] !== other[w]) return false;
    return true;
  }
}

/** XOR of two non-negative integers below 2^53. */
function xor53(a: number, b: number): number {
  const hi = (Math.floor(a / 2 ** 32) ^ Math.floor(b / 2 ** 32)) >>> 0;
  const lo = ((a >>> 0) ^ (b >>> 0)) >>> 0;
  return hi * 2 ** 32 + lo;
}

function explain<State, Input, Output>(
  model: Model<State, Input, Output>,
  linearized: readonly Operation<Input, Output>[],
  stuck: Operation<Input, Output>,
): string {
  const describe = (op: Operation<Input, Output>) => {
    const text = model.describe
      ? model.describe(op.input, op.return === undefined ? undefined : op.output)
      : JSON.stringify({ input: op.input, output: op.output }, (_k, v) =>
          typeof v === "bigint" ? String(v) : v,
        );
    const span = `${op.call}..${op.return ?? "pending"}`;
    return `${text} [client ${String(op.client)}, ${span}]`;
  };
  const prefix =
    linearized.length === 0 ? "from the initial state" : `after ${linearized.map(describe).join(", ")}`;
  return `not linearizable: ${prefix}, no legal order lets ${describe(stuck)} take effect before it returned`;
}

// The two properties the store promises, checked over a recorded history.

import type { KvEvent } from "./history.ts";
import {
  checkLinearizable,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  operationsFromEvents,
} from "./linearizability/index.ts";

type KvOperation = Operation<KvInput, KvOutput>;

/**
 * "An acknowledged write is never lost": every completed read returns the value of a write that
 * is not older than the last write acknowledged before the read began (older = it completed
 * before that acknowledged write was even invoked), or `null` only if no write was acknowledged.
 * A direct, readable special case of linearizability, with a message that names the lost write.
 */
export function findLostWrite(operations: readonly KvOperation[]): string | null {
  for (const read of operations) {
    if (read.input.op !== "get" || read.return === undefined) continue;
    const key = read.input.key;
    const puts = operations.filter((o) => o.input.op === "put" && o.input.key === key);
    let last: KvOperation | undefined;
    for (const p of puts) {
      if (p.return !== undefined && p.return < read.call && (!last || p.return > last.return!)) last = p;
    }
    if (!last) continue;
    const value = read.output?.value ?? null;
    const writer = puts.find((p) => p.input.op === "put" && p.input.value === value);
    const stale = !writer || (writer.return !== undefined && writer.return < last.call);
    if (stale && last.input.op === "put") {
      return (
        `acknowledged write lost: put(${key}, ${last.input.value}) by ${String(last.client)} completed at event ${last.return}, ` +
        `but get(${key}) by ${String(read.client)} invoked at event ${read.call} returned ${JSON.stringify(value)}`
      );
    }
  }
  return null;
}

/**
 * Drops the writes whose outcome is unknown and whose value nobody ever read. Such a write can
 * be left out without changing the verdict (values are unique): had it taken effect, no read saw
 * it, so another write replaced it first. Without this, every timed-out write doubles the
 * checker's search space (it may or may not have happened, at any point after its call).
 */
export function dropUnobservedPendingWrites(operations: readonly KvOperation[]): KvOperation[] {
  const read = new Set<string>();
  for (const o of operations) {
    if (o.input.op === "get" && o.return !== undefined && o.output?.value != null)
      read.add(`${o.input.key}\u0000${o.output.value}`);
  }
  return operations.filter(
    (o) =>
      !(o.input.op === "put" && o.return === undefined && !read.has(`${o.input.key}\u0000${o.input.value}`)),
  );
}

/** What the checks say about a history. */
export interface HistoryVerdict {
  readonly ok: boolean;
  readonly operations: number;
  readonly steps: number;
  /** Why the history is wrong, for the error that fails the seed. */
  readonly problem?: string;
}

/** Lost acknowledged writes first (the clearer message), then full linearizability. */
export function checkHistory(events: readonly KvEvent[], maxSteps = 2_000_000): HistoryVerdict {
  const operations = operationsFromEvents(events);
  const lost = findLostWrite(operations);
  if (lost) return { ok: false, operations: operations.length, steps: 0, problem: lost };
  const result = checkLinearizable(kvModel, dropUnobservedPendingWrites(operations), { maxSteps });
  if (result.verdict === "illegal")
    return {
      ok: false,
      operations: operations.length,
      steps: result.steps,
      problem: `history not linearizable: ${result.failure?.explanation ?? ""}`,
    };
  if (result.verdict === "unknown")
    return {
      ok: false,
      operations: operations.length,
      steps: result.steps,
      problem: `linearizability check gave up after ${result.steps} steps (history too large)`,
    };
  return { ok: true, operations: operations.length, steps: result.steps };
}

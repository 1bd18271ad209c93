// Side-by-side measurement of async cases in one process: every case is warmed up first (the
// JIT needs ~2 s before an RPC loop reaches its steady rate), then the cases run in alternating
// rounds and each reports the median of its rounds, so load on the shared machine hits all of
// them alike.
import { performance } from "node:perf_hooks";
import { measure } from "../harness.ts";

/** Options of {@link interleaveAsync}. */
export interface InterleaveOptions {
  /** Warm-up per case before any round is measured, in ms (default 2000). */
  warmupMs?: number;
  /** Measured rounds per case (default 5). */
  rounds?: number;
  /** Length of one round, in ms (default 400). */
  roundMs?: number;
}

/** Operations per second of `fn` (awaited one at a time) over about `ms` of wall time. */
async function rate(fn: () => Promise<unknown>, ms: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 16; i++) await fn();
    ops += 16;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median operations per second of each case, measured in interleaved rounds after each
 * case's warm-up.
 *
 * @example
 * ```ts
 * const { raw, rpc } = await interleaveAsync({ raw: () => ping(), rpc: () => api.echo.getReply(1) });
 * ```
 */
export async function interleaveAsync<K extends string>(
  cases: Record<K, () => Promise<unknown>>,
  options: InterleaveOptions = {},
): Promise<Record<K, number>> {
  const warmupMs = options.warmupMs ?? 2000;
  const rounds = options.rounds ?? 5;
  const roundMs = options.roundMs ?? 400;
  const names = Object.keys(cases) as K[];
  for (const name of names) await rate(cases[name], warmupMs);
  const samples = new Map<K, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order too, so no case always runs right after the same neighbour.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples.get(name)!.push(await rate(cases[name], roundMs));
  }
  const result = {} as Record<K, number>;
  for (const name of names) result[name] = median(samples.get(name)!);
  return result;
}

/**
 * The median operations per second of each synchronous case over `rounds` interleaved rounds
 * of `roundMs` (each round warms its case up first, see `measure`).
 */
export function interleaveSync<K extends string>(
  cases: Record<K, () => unknown>,
  options: { rounds?: number; roundMs?: number } = {},
): Record<K, number> {
  const rounds = options.rounds ?? 5;
  const names = Object.keys(cases) as K[];
  const samples = new Map<K, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order)
      samples.get(name)!.push(measure(cases[name], { minMs: options.roundMs ?? 200 }));
  }
  const result = {} as Record<K, number>;
  for (const name of names) result[name] = median(samples.get(name)!);
  return result;
}

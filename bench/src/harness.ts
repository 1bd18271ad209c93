// The benchmark contract: a suite is a module whose default export is a `BenchSuite`. It runs in
// its own child process (`node --conditions=@moonpool/source --import tsx`), so suites never
// disturb each other's JIT state or heap.
import { performance } from "node:perf_hooks";

/** Where a suite records its results. */
export interface BenchReporter {
  figure(name: string, value: number, unit: string): void;
  ratio(name: string, value: number, description: string): void;
}

/** One benchmark file's default export. */
export type BenchSuite = (r: BenchReporter) => Promise<void>;

/** Options of {@link measure} and {@link measureAsync}. */
export interface MeasureOptions {
  /** Minimum measured time in ms (default 500); the warm-up adds about a fifth of it. */
  minMs?: number;
}

/**
 * Operations per second of a synchronous `fn`, run in growing batches until `minMs` elapsed.
 * Return something from `fn` so the engine cannot drop the work.
 *
 * @example
 * ```ts
 * const opsPerSecond = measure(() => uid.adjusted(7), { minMs: 300 });
 * ```
 */
export function measure(fn: () => unknown, options: MeasureOptions = {}): number {
  const minMs = options.minMs ?? 500;
  let sink: unknown;
  const run = (iterations: number): number => {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) sink = fn();
    return performance.now() - start;
  };
  let batch = 1;
  // Warm up and size the batch so one batch takes roughly a tenth of the budget.
  for (let spent = 0; spent < minMs / 5; ) {
    const ms = run(batch);
    spent += ms;
    if (ms < minMs / 10) batch *= 2;
  }
  let ops = 0;
  let elapsed = 0;
  while (elapsed < minMs) {
    elapsed += run(batch);
    ops += batch;
  }
  keep(sink);
  return (ops * 1000) / elapsed;
}

/** Operations per second of an async `fn`, awaited one at a time until `minMs` elapsed. */
export async function measureAsync(
  fn: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<number> {
  const minMs = options.minMs ?? 500;
  const warmupEnd = performance.now() + minMs / 5;
  while (performance.now() < warmupEnd) await fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 64; i++) await fn();
    ops += 64;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

/** The last value passed to {@link keep}; exported so the optimiser cannot prove it unused. */
export let blackhole: unknown;
/** Stores a benchmark's result so the work producing it cannot be eliminated. */
export function keep(value: unknown): void {
  blackhole = value;
}

import { drawBetween, type RandomSource } from "./random-source.ts";

/** An inclusive range of milliseconds; fractional values are fine (0.05 ms = 50 µs). */
export interface MsRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * How long an operation takes, in milliseconds.
 * - `fixed`: always `ms`.
 * - `uniform`: uniform in [minMs, maxMs].
 * - `exponential`: `minMs + meanMs * Exp(1)`, capped at `maxMs` when given (a long tail).
 * - `bimodal`: usually `fast`, with probability `slowProbability` from `slow` (a rare slow path).
 */
export type LatencyDistribution =
  | { readonly kind: "fixed"; readonly ms: number }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: "exponential"; readonly minMs: number; readonly meanMs: number; readonly maxMs?: number }
  | {
      readonly kind: "bimodal";
      readonly fast: MsRange;
      readonly slow: MsRange;
      readonly slowProbability: number;
    };

/** Shorthand for a uniform latency in [minMs, maxMs]. */
export function uniformLatency(minMs: number, maxMs: number): LatencyDistribution {
  return { kind: "uniform", minMs, maxMs };
}

/** A point in `range` (one draw; none when the range is a single value). */
export function sampleRange(range: MsRange, rng: RandomSource): number {
  return drawBetween(rng, range.minMs, range.maxMs);
}

/**
 * Draws one latency from `dist`, in ms (never negative). Uniform and exponential cost one draw,
 * bimodal two, fixed none.
 */
export function sampleLatency(dist: LatencyDistribution, rng: RandomSource): number {
  switch (dist.kind) {
    case "fixed":
      return dist.ms;
    case "uniform":
      return drawBetween(rng, dist.minMs, dist.maxMs);
    case "exponential": {
      // 1 - u is in (0, 1], so the logarithm is finite.
      const value = dist.minMs + dist.meanMs * -Math.log(1 - rng.random());
      return dist.maxMs === undefined ? value : Math.min(value, dist.maxMs);
    }
    case "bimodal": {
      const slow = rng.random() < dist.slowProbability;
      return sampleRange(slow ? dist.slow : dist.fast, rng);
    }
  }
}

/** The mean of `dist` in ms (the exponential cap is ignored); used by docs and sanity tests. */
export function meanLatency(dist: LatencyDistribution): number {
  switch (dist.kind) {
    case "fixed":
      return dist.ms;
    case "uniform":
      return (dist.minMs + dist.maxMs) / 2;
    case "exponential":
      return dist.minMs + dist.meanMs;
    case "bimodal":
      return (
        (1 - dist.slowProbability) * ((dist.fast.minMs + dist.fast.maxMs) / 2) +
        dist.slowProbability * ((dist.slow.minMs + dist.slow.maxMs) / 2)
      );
  }
}

/**
 * A per-seed variant of a base uniform range [minMs, maxMs]: one of the three shapes, drawn at
 * random. Exponential uses mean = width; bimodal keeps the base range as the fast mode and adds a
 * slow mode of `maxMs..10 * maxMs` taken 0.1-1% of the time.
 */
export function randomLatencyDistribution(
  minMs: number,
  maxMs: number,
  rng: RandomSource,
): LatencyDistribution {
  const shape = rng.random();
  if (shape < 1 / 3) return { kind: "uniform", minMs, maxMs };
  if (shape < 2 / 3) return { kind: "exponential", minMs, meanMs: maxMs - minMs, maxMs: maxMs * 20 };
  return {
    kind: "bimodal",
    fast: { minMs, maxMs },
    slow: { minMs: maxMs, maxMs: maxMs * 10 },
    slowProbability: drawBetween(rng, 0.001, 0.01),
  };
}

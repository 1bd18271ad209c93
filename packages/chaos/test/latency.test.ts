import { describe, expect, it } from "vitest";
import {
  type LatencyDistribution,
  meanLatency,
  randomLatencyDistribution,
  sampleLatency,
} from "../src/latency.ts";
import { seededRandom } from "./seeded-random.ts";

function stats(dist: LatencyDistribution, seed: number, n = 50_000) {
  const rng = seededRandom(seed);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = sampleLatency(dist, rng);
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return { min, max, mean: sum / n };
}

describe("sampleLatency", () => {
  it("fixed draws nothing", () => {
    const rng = seededRandom(1);
    expect(sampleLatency({ kind: "fixed", ms: 3 }, rng)).toBe(3);
    expect(rng.draws).toBe(0);
  });

  it("uniform stays in range with the right mean", () => {
    const s = stats({ kind: "uniform", minMs: 1, maxMs: 3 }, 2);
    expect(s.min).toBeGreaterThanOrEqual(1);
    expect(s.max).toBeLessThanOrEqual(3);
    expect(s.mean).toBeCloseTo(2, 1);
  });

  it("exponential has its min, its mean and its cap", () => {
    const s = stats({ kind: "exponential", minMs: 1, meanMs: 2 }, 3);
    expect(s.min).toBeGreaterThanOrEqual(1);
    expect(s.mean).toBeCloseTo(3, 1);
    expect(s.max).toBeGreaterThan(10);
    expect(stats({ kind: "exponential", minMs: 1, meanMs: 2, maxMs: 5 }, 3).max).toBeLessThanOrEqual(5);
  });

  it("bimodal takes the slow mode at its probability", () => {
    const dist: LatencyDistribution = {
      kind: "bimodal",
      fast: { minMs: 0, maxMs: 1 },
      slow: { minMs: 100, maxMs: 101 },
      slowProbability: 0.1,
    };
    const rng = seededRandom(4);
    let slow = 0;
    for (let i = 0; i < 20_000; i++) if (sampleLatency(dist, rng) >= 100) slow++;
    expect(slow / 20_000).toBeCloseTo(0.1, 1);
    expect(stats(dist, 5).mean).toBeCloseTo(meanLatency(dist), 0);
  });

  it("random variants cover the three shapes and are deterministic", () => {
    const kinds = new Set<string>();
    for (let s = 0; s < 30; s++) kinds.add(randomLatencyDistribution(1, 5, seededRandom(s)).kind);
    expect(kinds).toEqual(new Set(["uniform", "exponential", "bimodal"]));
    expect(randomLatencyDistribution(1, 5, seededRandom(9))).toEqual(
      randomLatencyDistribution(1, 5, seededRandom(9)),
    );
  });
});

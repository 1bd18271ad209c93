import { describe, expect, it } from "vitest";
import { CorrelatedBursts, paretoShapeForHurst, samplePareto } from "../src/correlated-bursts.ts";
import { defaultCorrelatedBursts } from "../src/correlated-bursts-config.ts";
import { estimateHurst } from "../src/hurst-estimate.ts";
import { seededRandom } from "./seeded-random.ts";

const LENGTH = 1 << 17;

/** Intensity sampled every ms over a long run (periods of mean 10 ms, so ~13,000 periods per source). */
function intensitySeries(hurst: number, seed: number, length = LENGTH): Float64Array {
  const bursts = new CorrelatedBursts(
    { ...defaultCorrelatedBursts(), hurst, sourcesPerDomain: 16, meanOnMs: 10, meanOffMs: 10 },
    ["all"],
    seededRandom(seed),
  );
  const series = new Float64Array(length);
  for (let t = 0; t < length; t++) series[t] = bursts.intensity(t);
  return series;
}

describe("Pareto periods", () => {
  it("have shape 3 - 2H and the requested mean", () => {
    expect(paretoShapeForHurst(0.8)).toBeCloseTo(1.4);
    const rng = seededRandom(1);
    // Shape 1.9: finite mean, slow convergence; a generous bound.
    const xs = [...Array(200_000)].map(() => samplePareto(1.9, 10, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(8.5);
    expect(mean).toBeLessThan(11.5);
    expect(xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(
      (10 * 0.9) / 1.9 - 1e-9,
    );
  });
});

describe("CorrelatedBursts", () => {
  it("produces long-range dependent intensity with the configured Hurst exponent", () => {
    const h = estimateHurst(intensitySeries(0.8, 42));
    expect(Math.abs(h - 0.8)).toBeLessThan(0.1);
    expect(h).toBeGreaterThan(0.65);
  });

  it("while independent (Bernoulli) faults give about 0.5", () => {
    const rng = seededRandom(43);
    const series = new Float64Array(LENGTH);
    for (let t = 0; t < LENGTH; t++) series[t] = rng.random() < 0.3 ? 1 : 0;
    const h = estimateHurst(series);
    expect(Math.abs(h - 0.5)).toBeLessThan(0.07);
  });

  it("fault draws scaled by the bursts (as the devices do) inherit the long memory; constant ones do not", () => {
    // What a device sees: one Bernoulli draw per ms with probability bursts.scale(p). The draw
    // noise is white, so it dominates small blocks: fit from blocks of 100 ms upward.
    const faults = (scaled: boolean): Float64Array => {
      const bursts = new CorrelatedBursts(
        { ...defaultCorrelatedBursts(), hurst: 0.8, sourcesPerDomain: 16, meanOnMs: 10, meanOffMs: 10 },
        ["all"],
        seededRandom(1),
      );
      const draw = seededRandom(101);
      const series = new Float64Array(LENGTH);
      for (let t = 0; t < LENGTH; t++) {
        const p = scaled ? bursts.scale(0.05, "all", t) : 0.05;
        series[t] = draw.random() < p ? 1 : 0;
      }
      return series;
    };
    const bursty = estimateHurst(faults(true), { minBlock: 100 });
    expect(bursty).toBeGreaterThan(0.6);
    expect(Math.abs(bursty - 0.8)).toBeLessThan(0.15);
    expect(Math.abs(estimateHurst(faults(false), { minBlock: 100 }) - 0.5)).toBeLessThan(0.08);
  });

  it("a higher H gives burstier intensity", () => {
    expect(estimateHurst(intensitySeries(0.9, 44))).toBeGreaterThan(estimateHurst(intensitySeries(0.6, 44)));
  });

  it("clusters faults within a domain: multipliers of one domain move together, others less", () => {
    const cfg = { ...defaultCorrelatedBursts(), globalCoupling: 0, sourcesPerDomain: 4 };
    const bursts = new CorrelatedBursts(cfg, ["a", "b"], seededRandom(45));
    const a: number[] = [];
    const b: number[] = [];
    for (let t = 0; t < 200_000; t += 100) {
      a.push(bursts.multiplier("a", t));
      b.push(bursts.multiplier("b", t));
    }
    for (const m of [...a, ...b]) {
      expect(m).toBeGreaterThanOrEqual(cfg.quietMultiplier - 1e-9);
      expect(m).toBeLessThanOrEqual(cfg.burstMultiplier + 1e-9);
    }
    // A domain's multiplier persists from one moment to the next (autocorrelation at lag 1)...
    const lag1 = correlation(a.slice(1), a.slice(0, -1));
    expect(lag1).toBeGreaterThan(0.5);
    // ...while two independent domains are far less correlated with each other.
    expect(Math.abs(correlation(a, b))).toBeLessThan(lag1 - 0.3);
  });

  it("global coupling correlates domains (cascades)", () => {
    const coupled = new CorrelatedBursts(
      { ...defaultCorrelatedBursts(), globalCoupling: 0.9 },
      ["a", "b"],
      seededRandom(46),
    );
    const a: number[] = [];
    const b: number[] = [];
    for (let t = 0; t < 200_000; t += 100) {
      a.push(coupled.multiplier("a", t));
      b.push(coupled.multiplier("b", t));
    }
    expect(correlation(a, b)).toBeGreaterThan(0.8);
  });

  it("scales probabilities and caps them at 1; unknown domains use the global intensity", () => {
    const bursts = new CorrelatedBursts(defaultCorrelatedBursts(), ["a"], seededRandom(47));
    expect(bursts.scale(1, "a", 10)).toBeLessThanOrEqual(1);
    expect(bursts.domainIntensity("nowhere", 10)).toBe(bursts.intensity(10));
    expect(() => new CorrelatedBursts(defaultCorrelatedBursts(), [], seededRandom(1))).toThrow(/domains/);
  });

  it("is deterministic for a seed", () => {
    expect(intensitySeries(0.8, 5, 5000)).toEqual(intensitySeries(0.8, 5, 5000));
    expect(intensitySeries(0.8, 5, 5000)).not.toEqual(intensitySeries(0.8, 6, 5000));
  });
});

function correlation(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

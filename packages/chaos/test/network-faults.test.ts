import { describe, expect, it } from "vitest";
import { defaultNetworkChaos, type NetworkChaosConfig } from "../src/network-config.ts";
import {
  bitFlipCount,
  choosePartition,
  clogDurationMs,
  decideConnectOutcome,
  decideRandomClose,
  flipBits,
  halfOpenErrorAfterMs,
  linkCutDurationMs,
  pairLatencyMs,
  partialReadLength,
  partialWriteLength,
  reorderDelayMs,
  scaleProbability,
  shouldClogRead,
  shouldClogWrite,
  shouldFlipBits,
  shouldStartPartition,
  sleepDelayMs,
} from "../src/network-faults.ts";
import { networkChaosConfig } from "../src/resolve.ts";
import { seededRandom } from "./seeded-random.ts";

const off = defaultNetworkChaos();
const N = 20_000;
const seededRandomShared = seededRandom(77);

function rate(n: number, f: () => boolean): number {
  let hits = 0;
  for (let i = 0; i < n; i++) if (f()) hits++;
  return hits / n;
}

function popcount(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = a[i]! ^ b[i]!;
    while (x) {
      bits += x & 1;
      x >>>= 1;
    }
  }
  return bits;
}

describe("defaults are fault-free and draw nothing", () => {
  it("every decision is 'no fault' with the default config, without consuming randomness", () => {
    const rng = seededRandom(1);
    for (let i = 0; i < 100; i++) {
      expect(shouldClogWrite(off, rng)).toBe(false);
      expect(shouldClogRead(off, rng)).toBe(false);
      expect(shouldStartPartition(off, rng)).toBe(false);
      expect(shouldFlipBits(off, rng, i, Number.NEGATIVE_INFINITY)).toBe(false);
      expect(partialWriteLength(off, 100, rng)).toBeNull();
      expect(partialReadLength(off, 100, rng)).toBeNull();
      expect(decideRandomClose(off, rng, i * 10_000, Number.NEGATIVE_INFINITY)).toBeNull();
      expect(decideConnectOutcome(off, rng)).toBe("connect");
      expect(reorderDelayMs(off, rng)).toBe(0);
      expect(halfOpenErrorAfterMs(off, rng)).toBeNull();
      expect(linkCutDurationMs(off, rng)).toBeNull();
      expect(pairLatencyMs(off, rng)).toBe(0);
      expect(sleepDelayMs(off, rng)).toBe(0);
    }
    expect(rng.draws).toBe(0);
  });
});

describe("clogs", () => {
  it("fire at the configured rate, scaled by the multiplier, with durations in range", () => {
    const cfg = networkChaosConfig({ clog: { writeProbability: 0.1, readProbability: 0.3 } });
    const rng = seededRandom(2);
    expect(rate(N, () => shouldClogWrite(cfg, rng))).toBeCloseTo(0.1, 1);
    expect(rate(N, () => shouldClogRead(cfg, rng))).toBeCloseTo(0.3, 1);
    expect(rate(N, () => shouldClogWrite(cfg, rng, 3))).toBeCloseTo(0.3, 1);
    expect(rate(100, () => shouldClogWrite(cfg, rng, 100))).toBe(1);
    for (let i = 0; i < 1000; i++) {
      const d = clogDurationMs(cfg, rng);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(300);
    }
  });

  it("scaleProbability caps to [0, 1]", () => {
    expect(scaleProbability(0.3, 10)).toBe(1);
    expect(scaleProbability(0.3, 0)).toBe(0);
    expect(scaleProbability(0.2, 2)).toBeCloseTo(0.4);
  });
});

describe("partitions", () => {
  const ips = ["10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5"];

  it("start at the configured rate", () => {
    const cfg = networkChaosConfig({ partition: { probability: 0.2 } });
    expect(rate(N, () => shouldStartPartition(cfg, seededRandomShared))).toBeCloseTo(0.2, 1);
  });

  for (const strategy of ["random", "uniform-size", "isolate-one"] as const) {
    it(`${strategy}: always a non-empty proper subset, in input order, deterministic`, () => {
      const rng = seededRandom(3);
      const sizes = new Map<number, number>();
      for (let i = 0; i < 2000; i++) {
        const group = choosePartition(strategy, ips, rng);
        expect(group.length).toBeGreaterThan(0);
        expect(group.length).toBeLessThan(ips.length);
        expect(group).toEqual(ips.filter((ip) => group.includes(ip)));
        sizes.set(group.length, (sizes.get(group.length) ?? 0) + 1);
      }
      if (strategy === "isolate-one") expect([...sizes.keys()]).toEqual([1]);
      if (strategy === "uniform-size") {
        // Sizes 1..4 roughly equally often.
        for (let s = 1; s <= 4; s++) expect(sizes.get(s)! / 2000).toBeGreaterThan(0.18);
      }
      if (strategy === "random") expect(sizes.size).toBeGreaterThan(2);
      const again = (seed: number) => choosePartition(strategy, ips, seededRandom(seed));
      expect(again(9)).toEqual(again(9));
    });
  }

  it("cannot partition fewer than two IPs", () => {
    expect(choosePartition("random", ["a"], seededRandom(1))).toEqual([]);
    expect(choosePartition("uniform-size", [], seededRandom(1))).toEqual([]);
  });
});

describe("bit flips", () => {
  it("flip exactly the requested number of distinct bits without touching the input", () => {
    const rng = seededRandom(4);
    const data = new Uint8Array(64).fill(0xaa);
    for (const bits of [1, 2, 7, 32]) {
      const out = flipBits(data, rng, bits);
      expect(popcount(data, out)).toBe(bits);
    }
    expect(data.every((b) => b === 0xaa)).toBe(true);
    expect(popcount(new Uint8Array(1), flipBits(new Uint8Array(1), rng, 100))).toBe(8);
  });

  it("counts follow a power law within [minBits, maxBits]", () => {
    const cfg = networkChaosConfig({ bitFlip: { probability: 1, minBits: 1, maxBits: 8 } });
    const rng = seededRandom(5);
    const counts: number[] = [];
    for (let i = 0; i < N; i++) counts.push(bitFlipCount(cfg, rng));
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(8);
    const ones = counts.filter((c) => c === 1).length / N;
    const twos = counts.filter((c) => c === 2).length / N;
    expect(ones).toBeCloseTo(0.5, 1);
    expect(twos).toBeCloseTo(0.25, 1);
  });

  it("respect the probability and the cooldown", () => {
    const cfg = networkChaosConfig({ bitFlip: { probability: 0.5, cooldownMs: 100 } });
    const rng = seededRandom(6);
    expect(rate(N, () => shouldFlipBits(cfg, rng, 1000, 0))).toBeCloseTo(0.5, 1);
    expect(rate(1000, () => shouldFlipBits(cfg, rng, 1050, 1000))).toBe(0);
  });
});

describe("partial reads and writes", () => {
  it("partial writes send 0..min(len, maxBytes) bytes", () => {
    const cfg = networkChaosConfig({ partialWrite: { probability: 0.5, maxBytes: 10 } });
    const rng = seededRandom(7);
    const lengths: number[] = [];
    let whole = 0;
    for (let i = 0; i < N; i++) {
      const l = partialWriteLength(cfg, 100, rng);
      if (l === null) whole++;
      else lengths.push(l);
    }
    expect(whole / N).toBeCloseTo(0.5, 1);
    expect(Math.min(...lengths)).toBe(0);
    expect(Math.max(...lengths)).toBe(10);
  });

  it("partial reads return 1..min(available, maxBytes), never 0", () => {
    const cfg = networkChaosConfig({ partialRead: { probability: 1, maxBytes: 1000 } });
    const rng = seededRandom(8);
    const lengths = [...Array(5000)].map(() => partialReadLength(cfg, 5, rng)!);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(5);
    expect(partialReadLength(cfg, 1, rng)).toBeNull();
  });
});

describe("random close", () => {
  const cfg: NetworkChaosConfig = networkChaosConfig({
    randomClose: { probability: 1, cooldownMs: 1000, rstRatio: 0.3, oneSidedRatio: 0.6 },
  });

  it("honors the cooldown", () => {
    const rng = seededRandom(9);
    expect(decideRandomClose(cfg, rng, 500, 0)).toBeNull();
    expect(decideRandomClose(cfg, rng, 1000, 0)).not.toBeNull();
  });

  it("splits into resets vs silent closes and one-sided vs both by the ratios", () => {
    const rng = seededRandom(10);
    const decisions = [...Array(N)].map(() => decideRandomClose(cfg, rng, 1e9, 0)!);
    const resets = decisions.filter((d) => d.reset).length / N;
    const both = decisions.filter((d) => d.side === "both").length / N;
    const send = decisions.filter((d) => d.side === "send").length / N;
    expect(resets).toBeCloseTo(0.3, 1);
    expect(both).toBeCloseTo(0.4, 1);
    expect(send).toBeCloseTo(0.3, 1);
  });
});

describe("connect failures", () => {
  it("refuse or hang by hangRatio", () => {
    const cfg = networkChaosConfig({ connectFailure: { probability: 0.5, hangRatio: 0.25 } });
    const rng = seededRandom(11);
    const outcomes = [...Array(N)].map(() => decideConnectOutcome(cfg, rng));
    expect(outcomes.filter((o) => o === "connect").length / N).toBeCloseTo(0.5, 1);
    expect(outcomes.filter((o) => o === "hang").length / N).toBeCloseTo(0.125, 1);
    expect(outcomes.filter((o) => o === "refuse").length / N).toBeCloseTo(0.375, 1);
  });
});

describe("reorder, half-open, link cuts, pair latency, sleep delay", () => {
  it("reorder delays are 0 when off and within [0, maxDelayMs] when on", () => {
    const cfg = networkChaosConfig({ reorder: { probability: 0.5, maxDelayMs: 20 } });
    const rng = seededRandom(12);
    const delays = [...Array(N)].map(() => reorderDelayMs(cfg, rng));
    expect(delays.filter((d) => d > 0).length / N).toBeCloseTo(0.5, 1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(20);
    expect(Math.max(...delays)).toBeGreaterThan(15);
  });

  it("half-open errors come after errorAfter", () => {
    const cfg = networkChaosConfig({ halfOpen: { probability: 1, errorAfter: { minMs: 50, maxMs: 60 } } });
    const rng = seededRandom(13);
    for (let i = 0; i < 100; i++) {
      const d = halfOpenErrorAfterMs(cfg, rng)!;
      expect(d).toBeGreaterThanOrEqual(50);
      expect(d).toBeLessThanOrEqual(60);
    }
  });

  it("link cuts happen at their rate with durations in range", () => {
    const cfg = networkChaosConfig({ linkCut: { probability: 0.2, duration: { minMs: 5, maxMs: 6 } } });
    const rng = seededRandom(14);
    const cuts = [...Array(N)].map(() => linkCutDurationMs(cfg, rng)).filter((d) => d !== null);
    expect(cuts.length / N).toBeCloseTo(0.2, 1);
    expect(cuts.every((d) => d >= 5 && d <= 6)).toBe(true);
  });

  it("pair latency is within [0, maxMs] and averages maxMs / 2", () => {
    const cfg = networkChaosConfig({ pairLatency: { maxMs: 40 } });
    const rng = seededRandom(15);
    const xs = [...Array(N)].map(() => pairLatencyMs(cfg, rng));
    expect(Math.max(...xs)).toBeLessThanOrEqual(40);
    expect(xs.reduce((a, b) => a + b, 0) / N).toBeCloseTo(20, 0);
  });

  it("sleep delays are a power law: mostly ~0, bounded by maxMs", () => {
    const cfg = networkChaosConfig({ sleepDelay: { probability: 1, maxMs: 100 } });
    const rng = seededRandom(16);
    const xs = [...Array(N)].map(() => sleepDelayMs(cfg, rng));
    expect(Math.max(...xs)).toBeLessThanOrEqual(100);
    expect(xs.filter((x) => x < 1).length / N).toBeGreaterThan(0.99);
  });
});

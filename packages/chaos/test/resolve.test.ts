import { InvalidArgumentError } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { defaultNetworkChaos } from "../src/network-config.ts";
import {
  attritionConfig,
  correlatedBurstsConfig,
  networkChaosConfig,
  resolveChaosConfig,
  storageChaosConfig,
} from "../src/resolve.ts";
import { defaultStorageChaos } from "../src/storage-config.ts";
import { FAULT_FAMILIES } from "../src/swarm-families.ts";
import { seededRandom } from "./seeded-random.ts";

describe("resolveChaosConfig", () => {
  it("without .chaos(): realistic latencies, no fault, buggify off, no window needed", () => {
    const r = resolveChaosConfig(undefined, seededRandom(1));
    expect(r.network).toEqual(defaultNetworkChaos());
    expect(r.storage).toEqual(defaultStorageChaos());
    expect(r.attrition).toBeNull();
    expect(r.bursts).toBeNull();
    expect(r.buggify.enabled).toBe(false);
    expect(FAULT_FAMILIES.some((f) => r.families[f])).toBe(false);
    expect(r.needsChaosWindow).toBe(false);
  });

  it("with an empty .chaos({}): only buggify, at 0.5 / 0.25", () => {
    const r = resolveChaosConfig({}, seededRandom(1));
    expect(r.buggify).toEqual({ enabled: true, activation: 0.5, probability: 0.25 });
    expect(r.needsChaosWindow).toBe(false);
    expect(resolveChaosConfig({ buggify: false }, seededRandom(1)).buggify.enabled).toBe(false);
  });

  it("'random' turns on the whole surface, deterministically per seed", () => {
    const input = { network: "random", storage: "random", attrition: "random", bursts: "random" } as const;
    const a = resolveChaosConfig(input, seededRandom(5));
    expect(resolveChaosConfig(input, seededRandom(5))).toEqual(a);
    expect(resolveChaosConfig(input, seededRandom(6))).not.toEqual(a);
    expect(a.needsChaosWindow).toBe(true);
    expect(a.attrition).not.toBeNull();
    expect(a.bursts).not.toBeNull();
    expect(a.families.clog && a.families.bitFlip && a.families.readCorruption && a.families.crash).toBe(true);
    // Random configs are valid configs.
    expect(networkChaosConfig(a.network)).toEqual(a.network);
    expect(storageChaosConfig(a.storage)).toEqual(a.storage);
    expect(attritionConfig(a.attrition!)).toEqual(a.attrition);
    expect(correlatedBurstsConfig(a.bursts!)).toEqual(a.bursts);
  });

  it("'random' on every surface switches on every fault family but wipe (opt in) on every seed", () => {
    const all = {
      network: "random",
      storage: "random",
      attrition: "random",
      buggify: "random",
      bursts: "random",
    } as const;
    for (let seed = 0; seed < 30; seed++) {
      const r = resolveChaosConfig(all, seededRandom(seed));
      const off = FAULT_FAMILIES.filter((f) => !r.families[f]);
      expect(off, `seed ${seed}`).toEqual(["wipe"]);
    }
  });

  it("random and swarm configs of many seeds are all valid configs", () => {
    for (let seed = 0; seed < 60; seed++) {
      const mode = seed % 2 === 0 ? "random" : "swarm";
      const r = resolveChaosConfig(
        { network: mode, storage: mode, attrition: mode, buggify: mode, bursts: mode },
        seededRandom(seed),
      );
      expect(networkChaosConfig(r.network)).toEqual(r.network);
      expect(storageChaosConfig(r.storage)).toEqual(r.storage);
      if (r.attrition) expect(attritionConfig(r.attrition)).toEqual(r.attrition);
      if (r.bursts) expect(correlatedBurstsConfig(r.bursts)).toEqual(r.bursts);
    }
  });

  it("'swarm' switches families off per seed", () => {
    const seen = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const r = resolveChaosConfig({ network: "swarm", storage: "swarm" }, seededRandom(s));
      seen.add(`${r.families.partition}${r.families.clog}${r.families.syncFailure}`);
    }
    expect(seen.size).toBeGreaterThan(4);
  });

  it("a config object sets those knobs and keeps every other default", () => {
    const r = resolveChaosConfig(
      { network: { clog: { writeProbability: 0.2 } }, attrition: { maxDead: 2, scope: "machine" } },
      seededRandom(1),
    );
    expect(r.network.clog).toEqual({ ...defaultNetworkChaos().clog, writeProbability: 0.2 });
    expect(r.network.partition).toEqual(defaultNetworkChaos().partition);
    expect(r.attrition!.maxDead).toBe(2);
    expect(r.attrition!.scope).toBe("machine");
    expect(r.attrition!.interval).toEqual({ minMs: 1000, maxMs: 5000 });
    expect(r.families.clog).toBe(true);
    expect(r.families.partition).toBe(false);
    expect(r.needsChaosWindow).toBe(true);
    expect(resolveChaosConfig({ attrition: { maxDead: 0 } }, seededRandom(1)).attrition).toBeNull();
  });

  it("accepts a partial range and a latency distribution", () => {
    const n = networkChaosConfig({
      clog: { duration: { maxMs: 1000 } },
      latency: { delivery: { kind: "exponential", minMs: 0.1, meanMs: 1 } },
    });
    expect(n.clog.duration).toEqual({ minMs: 100, maxMs: 1000 });
    expect(n.latency.delivery).toEqual({ kind: "exponential", minMs: 0.1, meanMs: 1 });
  });
});

describe("config validation errors name the field", () => {
  const bad: [unknown, RegExp][] = [
    [{ netwrok: "random" }, /chaos\.netwrok: unknown key; expected one of network, storage/],
    [{ network: true }, /chaos\.network: expected "random", "swarm", a config object or false/],
    [{ network: "chaotic" }, /chaos\.network: expected "random"/],
    [
      { network: { clog: { writeProbability: 1.5 } } },
      /chaos\.network\.clog\.writeProbability: expected a probability/,
    ],
    [
      { network: { clog: { duration: { minMs: -1 } } } },
      /chaos\.network\.clog\.duration\.minMs: expected a finite, non-negative/,
    ],
    [
      { network: { clog: { duration: { minMs: 500, maxMs: 100 } } } },
      /chaos\.network\.clog\.duration: minMs \(500\) must be <= maxMs/,
    ],
    [{ network: { clog: { writeProbabilty: 0.1 } } }, /chaos\.network\.clog\.writeProbabilty: unknown key/],
    [
      { network: { partition: { strategy: "halves" } } },
      /chaos\.network\.partition\.strategy: expected one of "random"/,
    ],
    [{ network: { latency: { write: { kind: "gaussian" } } } }, /chaos\.network\.latency\.write\.kind/],
    [
      { network: { bitFlip: { minBits: 8, maxBits: 2 } } },
      /chaos\.network\.bitFlip: minBits \(8\) must be <= maxBits/,
    ],
    [{ storage: { syncFailureProbability: -0.1 } }, /chaos\.storage\.syncFailureProbability/],
    [{ storage: { iops: 0 } }, /chaos\.storage\.iops: expected a finite number > 0/],
    [{ storage: { unwrittenFill: "ones" } }, /chaos\.storage\.unwrittenFill/],
    [{ attrition: { maxDead: 1.5 } }, /chaos\.attrition\.maxDead: expected a non-negative integer/],
    [{ attrition: { restartDelay: { minMs: Number.NaN } } }, /chaos\.attrition\.restartDelay\.minMs/],
    [{ attrition: { scope: "rack" } }, /chaos\.attrition\.scope/],
    [{ attrition: { tags: { role: 1 } } }, /chaos\.attrition\.tags\.role: expected a string/],
    [{ buggify: { activation: 2 } }, /chaos\.buggify\.activation: expected a probability/],
    [{ buggify: { enabled: "yes" } }, /chaos\.buggify\.enabled: expected a boolean/],
    [{ bursts: { hurst: 0.4 } }, /chaos\.bursts\.hurst: expected a number in \(0\.5, 1\)/],
    [{ bursts: { sourcesPerDomain: 0 } }, /chaos\.bursts\.sourcesPerDomain/],
  ];
  for (const [input, message] of bad) {
    it(String(message), () => {
      const attempt = () => resolveChaosConfig(input as never, seededRandom(1));
      expect(attempt).toThrow(InvalidArgumentError);
      expect(attempt).toThrow(message);
    });
  }

  it("rejects a non-object input", () => {
    expect(() => resolveChaosConfig("random" as never, seededRandom(1))).toThrow(
      /invalid chaos: expected an object/,
    );
  });
});

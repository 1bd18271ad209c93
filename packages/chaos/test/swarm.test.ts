import { afterEach, describe, expect, it } from "vitest";
import { defaultAttrition } from "../src/attrition-config.ts";
import { randomNetworkChaos } from "../src/network-config.ts";
import { activeFamilies } from "../src/resolve.ts";
import { installChaosRuntime } from "../src/runtime.ts";
import { randomStorageChaos } from "../src/storage-config.ts";
import {
  applyAttritionMask,
  applyNetworkMask,
  applyStorageMask,
  fullFaultMask,
  swarmFaultMask,
  swarmOpEnabled,
  swarmOpMask,
  swarmPick,
} from "../src/swarm.ts";
import { FAULT_FAMILIES, type FaultFamily } from "../src/swarm-families.ts";
import { installFakeRuntime } from "./runtime-fixture.ts";
import { seededRandom } from "./seeded-random.ts";

afterEach(() => installChaosRuntime(null));

describe("swarmFaultMask", () => {
  it("names every family, is deterministic per seed and varies across seeds", () => {
    const mask = swarmFaultMask(seededRandom(1));
    expect(Object.keys(mask).sort()).toEqual([...FAULT_FAMILIES].sort());
    expect(swarmFaultMask(seededRandom(1))).toEqual(mask);
    const distinct = new Set([...Array(50)].map((_, s) => JSON.stringify(swarmFaultMask(seededRandom(s)))));
    expect(distinct.size).toBeGreaterThan(40);
  });

  it("switches each family on about half of the time", () => {
    const on = new Map<FaultFamily, number>();
    for (let s = 0; s < 2000; s++) {
      const mask = swarmFaultMask(seededRandom(s));
      for (const f of FAULT_FAMILIES) if (mask[f]) on.set(f, (on.get(f) ?? 0) + 1);
    }
    for (const f of FAULT_FAMILIES) expect(on.get(f)! / 2000).toBeCloseTo(0.5, 1);
  });
});

describe("applying masks", () => {
  it("turns off exactly the masked families and keeps the others", () => {
    // A config where every family is on.
    const network = {
      ...randomNetworkChaos(seededRandom(3)),
      partition: { ...randomNetworkChaos(seededRandom(3)).partition, probability: 0.1 },
    };
    const storage = randomStorageChaos(seededRandom(4));
    const allOn = activeFamilies(
      network,
      storage,
      null,
      { enabled: true, activation: 0.5, probability: 0.25 },
      null,
    );
    for (let s = 0; s < 20; s++) {
      const mask = swarmFaultMask(seededRandom(100 + s));
      const after = activeFamilies(
        applyNetworkMask(network, mask),
        applyStorageMask(storage, mask),
        null,
        { enabled: true, activation: 0.5, probability: 0.25 },
        null,
      );
      for (const f of FAULT_FAMILIES) {
        if (f === "buggify" || f === "bursts" || f === "graceful" || f === "crash" || f === "wipe") continue;
        expect(after[f], f).toBe(allOn[f] && mask[f]);
      }
    }
    // Latencies and the crash model are not faults: masks keep them.
    const none = Object.fromEntries(FAULT_FAMILIES.map((f) => [f, false])) as Record<FaultFamily, boolean>;
    expect(applyNetworkMask(network, none).latency).toEqual(network.latency);
    expect(applyStorageMask(storage, none).unsyncedWriteOnCrash).toEqual(storage.unsyncedWriteOnCrash);
    expect(applyNetworkMask(network, fullFaultMask())).toEqual(network);
  });

  it("attrition mask zeroes masked kinds, or disables attrition when all are off", () => {
    const cfg = { ...defaultAttrition(), weights: { graceful: 1, crash: 1, wipe: 1 } };
    const mask = { ...fullFaultMask(), crash: false };
    expect(applyAttritionMask(cfg, mask)!.weights).toEqual({ graceful: 1, crash: 0, wipe: 1 });
    expect(
      applyAttritionMask(cfg, { ...fullFaultMask(), graceful: false, crash: false, wipe: false }),
    ).toBeNull();
  });
});

describe("operation swarm", () => {
  it("swarmOpEnabled is true outside a simulation and when the sim has no op swarm", () => {
    expect(["a", "b", 3].every(swarmOpEnabled)).toBe(true);
    installFakeRuntime(1);
    expect(["a", "b", 3].every(swarmOpEnabled)).toBe(true);
  });

  it("delegates to the runtime's per-seed mask", () => {
    installFakeRuntime(2, { swarmOpEnabled: (op) => swarmOpMask(2, op) });
    const ops = [...Array(64)].map((_, i) => `op${i}`);
    const enabled = ops.filter(swarmOpEnabled);
    expect(enabled.length).toBeGreaterThan(16);
    expect(enabled.length).toBeLessThan(48);
    expect(ops.filter(swarmOpEnabled)).toEqual(enabled);
  });

  it("swarmOpMask is pure, order-independent and differs across seeds", () => {
    const ops = [...Array(64)].map((_, i) => i);
    const a = ops.map((o) => swarmOpMask(7, o));
    expect([...ops].reverse().map((o) => swarmOpMask(7, o))).toEqual([...a].reverse());
    expect(ops.map((o) => swarmOpMask(8, o))).not.toEqual(a);
    expect(swarmOpMask(7, "put")).toBe(swarmOpMask(7, "put"));
  });

  it("swarmPick draws from the enabled subset, or the whole alphabet when it is empty", () => {
    installFakeRuntime(3, { swarmOpEnabled: (op) => op === "get" || op === "put" });
    const rng = seededRandom(1);
    const picks = new Set([...Array(200)].map(() => swarmPick(["get", "put", "delete"], rng)));
    expect(picks).toEqual(new Set(["get", "put"]));
    installFakeRuntime(4, { swarmOpEnabled: () => false });
    const all = new Set([...Array(200)].map(() => swarmPick(["get", "put", "delete"], rng)));
    expect(all.size).toBe(3);
    expect(() => swarmPick([], rng)).toThrow(/ops/);
  });
});

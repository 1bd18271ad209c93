// Campaign (slow project): the hash-chain transport simulation over many seeds with every
// network fault family (random or swarm per seed), reboots (graceful and crash) and BUGGIFY.
import { SimulationBuilder } from "@moonpool/sim";
import { describe, expect, it } from "vitest";
import { chainClient, chainInvariant, chainServer } from "./sim/hashChain.ts";

function campaign(network: "random" | "swarm", seeds: number[]) {
  return new SimulationBuilder()
    .processes(1, chainServer)
    .workloads(3, (i) => chainClient(i, 15_000))
    .invariant("hash chain: no duplicate, reordered or lost append", chainInvariant)
    .chaos({
      network,
      attrition: {
        maxDead: 1,
        probGraceful: 1,
        probCrash: 2,
        intervalMs: [1_000, 4_000],
        recoveryDelayMs: [500, 3_000],
      },
      buggify: true,
    })
    .chaosDuration(12_000)
    .seeds(seeds)
    .logSeeds(false)
    .run();
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("hash chain campaign", () => {
  it("random network chaos + attrition + BUGGIFY: 100 seeds", async () => {
    const report = await campaign("random", range(1000, 100));
    expect(report.failed, report.format()).toBe(0);
    const assertion = (m: string) => report.assertions.find((a) => a.message === m);
    for (const covered of [
      "reply received",
      "maybe delivered observed",
      "server buggify dropped promise",
      "a peer lost a connection",
      "a peer dropped a connection on a corrupted frame",
    ]) {
      expect(assertion(covered)?.status, covered).toBe("pass");
    }
    expect(assertion("wrong endpoint never succeeds")?.fail ?? 0).toBe(0);
    expect(assertion("reply h is fold(prev, block)")?.fail ?? 0).toBe(0);
  });

  it("swarm network chaos + attrition + BUGGIFY: 100 seeds", async () => {
    const report = await campaign("swarm", range(2000, 100));
    expect(report.failed, report.format()).toBe(0);
  });
});

// The hash-chain campaign's configuration, shared by its two simulation files (random and
// swarm network chaos) so `moonpool run` and the campaign test run exactly the same thing.
import { SimulationBuilder } from "@moonpool/sim";
import { chainClient, chainInvariant, chainServer } from "./hashChain.ts";

/** One server, three clients, network chaos, attrition (graceful and crash reboots) and BUGGIFY. */
export function hashChainCampaign(network: "random" | "swarm"): SimulationBuilder {
  return (
    new SimulationBuilder()
      .processes(1, chainServer)
      .workloads(3, (i) => chainClient(i, 15_000))
      .invariant("hash chain: no duplicate, reordered or lost append", chainInvariant)
      .chaos({
        network,
        attrition: {
          maxDead: 1,
          weights: { graceful: 1, crash: 2, wipe: 0 },
          interval: { minMs: 1_000, maxMs: 4_000 },
          restartDelay: { minMs: 500, maxMs: 3_000 },
        },
        buggify: true,
      })
      .chaosDuration(12_000)
      // A seed that is still running after 2 simulated minutes (the workload lasts 15 s) is stuck:
      // it fails as a hang with its replay command instead of running on.
      .runTimeBudget(120_000)
      .logSeeds(false)
  );
}

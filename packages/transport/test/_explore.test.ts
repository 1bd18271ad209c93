import { SimulationBuilder } from "@moonpool/sim";
import { it } from "vitest";
import { chainClient, chainInvariant, chainServer } from "./sim/hashChain.ts";

it("explore", async () => {
  for (const net of ["random", "swarm"] as const) {
    const report = await new SimulationBuilder()
      .processes(1, chainServer)
      .workloads(3, (i) => chainClient(i, 15_000))
      .invariant("hash chain", chainInvariant)
      .chaos({
        network: net,
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
      .seeds(Array.from({ length: 300 }, (_, i) => (net === "random" ? 5000 : 9000) + i))
      .logSeeds(false)
      .run();
    console.log(net, report.failed, report.format().split("--- Assertions")[0]);
  }
}, 900_000);

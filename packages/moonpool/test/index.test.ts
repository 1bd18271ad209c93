import * as assertions from "@moonpool/assertions";
import * as chaos from "@moonpool/chaos";
import * as core from "@moonpool/core";
import * as coreNode from "@moonpool/core/node";
import * as coreTesting from "@moonpool/core/testing";
import * as sim from "@moonpool/sim";
import * as transport from "@moonpool/transport";
import { describe, expect, it } from "vitest";
import * as facade from "../src/index.ts";
import * as facadeTesting from "../src/testing.ts";

const layers = { core, coreNode, assertions, chaos, sim, transport } as const;

describe("moonpool facade", () => {
  it("re-exports every runtime export of core, core/node, assertions, chaos, sim and transport", () => {
    const exported = facade as Record<string, unknown>;
    for (const [layer, module] of Object.entries(layers)) {
      for (const [name, value] of Object.entries(module)) {
        // The very same binding, not a copy: `instanceof` and identity checks keep working.
        expect(exported[name], `${layer}.${name}`).toBe(value);
      }
    }
  });

  it("exports nothing of its own and loses no name to a clash", () => {
    const union = new Set(Object.values(layers).flatMap((m) => Object.keys(m)));
    expect(new Set(Object.keys(facade))).toEqual(union);
  });

  it("resolves the type clashes explicitly (checked by tsc)", () => {
    // chaos and sim both export the type RebootKind; the facade picks chaos's.
    const kind: facade.RebootKind = "wipe";
    const fromChaos: chaos.RebootKind = kind;
    const fromSim: sim.RebootKind = kind;
    expect([fromChaos, fromSim]).toEqual(["wipe", "wipe"]);
  });

  it("offers what a typical simulation needs from one import", async () => {
    const { SimulationBuilder, always, sometimes, buggify, NetworkAddress, UID, nodeProviders } = facade;
    expect(typeof nodeProviders).toBe("function");
    expect(NetworkAddress.parse("10.0.0.1:4500").port).toBe(4500);
    expect(UID.wellKnown(1).second).toBe(1n);
    let ran = 0;
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload({
        name: "facade",
        async run(ctx) {
          ran++;
          buggify(); // inert unless the seed enables it; must not throw
          always(ctx.random.int(0, 10) < 10, "facade: int stays in range");
          sometimes(true, "facade: workload ran");
        },
      })
      .iterations(3)
      .run();
    expect(ran).toBe(3);
    expect(report.failed).toBe(0);
    expect(report.assertions.find((a) => a.message === "facade: workload ran")?.pass).toBe(3);
  });

  it("moonpool/testing is the conformance suite", () => {
    expect(facadeTesting.providerConformance).toBe(coreTesting.providerConformance);
    expect(Object.keys(facadeTesting).sort()).toEqual(Object.keys(coreTesting).sort());
  });
});

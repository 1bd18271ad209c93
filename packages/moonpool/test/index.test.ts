import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as assertions from "@moonpool/assertions";
import * as chaos from "@moonpool/chaos";
import * as core from "@moonpool/core";
import * as coreNode from "@moonpool/core/node";
import * as coreTesting from "@moonpool/core/testing";
import * as sim from "@moonpool/sim";
import * as transport from "@moonpool/transport";
import { describe, expect, it } from "vitest";
import * as facade from "../src/index.ts";
import * as facadeSim from "../src/sim.ts";
import * as facadeTesting from "../src/testing.ts";

const production = { core, coreNode, assertions, chaos, transport } as const;

function loadsSimulator(entry: string): boolean {
  const script = fileURLToPath(new URL("./fixtures/loads-simulator.ts", import.meta.url));
  const out = execFileSync(
    process.execPath,
    ["--conditions=@moonpool/source", "--import", "tsx", script, new URL(entry, import.meta.url).href],
    { encoding: "utf8" },
  );
  return (JSON.parse(out) as { simulatorLoaded: boolean }).simulatorLoaded;
}

describe("moonpool facade", () => {
  it("re-exports every runtime export of core, core/node, assertions, chaos and transport", () => {
    const exported = facade as Record<string, unknown>;
    for (const [layer, module] of Object.entries(production)) {
      for (const [name, value] of Object.entries(module)) {
        // The very same binding, not a copy: `instanceof` and identity checks keep working.
        expect(exported[name], `${layer}.${name}`).toBe(value);
      }
    }
  });

  it("exports nothing of its own, loses no name to a clash, and nothing of the simulator", () => {
    const union = new Set(Object.values(production).flatMap((m) => Object.keys(m)));
    expect(new Set(Object.keys(facade))).toEqual(union);
    expect("SimulationBuilder" in facade).toBe(false);
  });

  it("importing moonpool never loads the simulator; moonpool/sim does", () => {
    expect(loadsSimulator("../src/index.ts")).toBe(false);
    expect(loadsSimulator("../src/sim.ts")).toBe(true);
  }, 60_000);

  it("moonpool/sim is the simulator, binding for binding", () => {
    expect(Object.keys(facadeSim).sort()).toEqual(Object.keys(sim).sort());
    for (const [name, value] of Object.entries(sim))
      expect((facadeSim as Record<string, unknown>)[name], name).toBe(value);
  });

  it("offers what a typical simulation needs from two imports", async () => {
    const { always, sometimes, buggify, NetworkAddress, UID, nodeProviders } = facade;
    const { SimulationBuilder } = facadeSim;
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

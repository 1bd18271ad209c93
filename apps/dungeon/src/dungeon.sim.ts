// The dungeon as a simulation file: `moonpool explore src/dungeon.sim.ts` goes floors deeper
// than `moonpool run src/dungeon.sim.ts --iterations N` (plain random seeds) ever does.
import { SimulationBuilder } from "@moonpool/sim";
import { runDungeon } from "./dungeon.ts";

/** The dungeon simulation: one workload playing the dungeon on the counted stream. */
export function dungeonSimulation(): SimulationBuilder {
  return new SimulationBuilder().logSeeds(false).workload(() => ({
    name: "dungeon",
    async run(ctx) {
      runDungeon(ctx.random);
    },
  }));
}

export default dungeonSimulation;

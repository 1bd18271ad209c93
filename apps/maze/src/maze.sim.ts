// The maze as a simulation file: `moonpool explore src/maze.sim.ts` finds the bug,
// `moonpool run src/maze.sim.ts --iterations N` (plain random seeds) does not.
import { SimulationBuilder } from "@moonpool/sim";
import { runMaze } from "./maze.ts";

/** The maze simulation: one workload walking the maze on the counted stream. */
export function mazeSimulation(): SimulationBuilder {
  return new SimulationBuilder().logSeeds(false).workload(() => ({
    name: "maze",
    async run(ctx) {
      runMaze(ctx.random);
    },
  }));
}

export default mazeSimulation;

// The dungeon as a simulation file: `moonpool explore src/dungeon.sim.ts` goes floors deeper
// than `moonpool run src/dungeon.sim.ts --iterations N` (plain random seeds) ever does.
import { swarmOpEnabled } from "@moonpool/chaos";
import { type ChaosOptions, SimulationBuilder } from "@moonpool/sim";
import { ACTIONS, type Action, runDungeon } from "./dungeon.ts";

/** Options of {@link dungeonSimulation}. */
export interface DungeonSimulationOptions {
  /** Each seed plays with a random subset of the 10 actions (the simulator's operation swarm). */
  readonly swarm?: boolean;
}

/** Chaos with only the operation swarm on: no faults (the dungeon has no network or disk). */
export const SWARM_ONLY: ChaosOptions = {
  network: false,
  storage: false,
  attrition: false,
  buggify: false,
  bursts: false,
  operations: "swarm",
};

/** This seed's swarm alphabet: the actions the operation swarm enables (all without a swarm). */
export function swarmAlphabet(): Action[] {
  return ACTIONS.filter((a) => swarmOpEnabled(a));
}

/** The dungeon simulation: one workload playing the dungeon on the counted stream. */
export function dungeonSimulation(options: DungeonSimulationOptions = {}): SimulationBuilder {
  const builder = new SimulationBuilder().logSeeds(false);
  if (options.swarm === true) builder.chaos(SWARM_ONLY);
  return builder.workload(() => ({
    name: "dungeon",
    async run(ctx) {
      runDungeon(ctx.random, options.swarm === true ? swarmAlphabet() : ACTIONS);
    },
  }));
}

export default dungeonSimulation;

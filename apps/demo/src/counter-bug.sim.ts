// `moonpool run apps/demo/src/counter-bug.sim.ts`: the same cluster with a node that
// acknowledges increments without syncing them. Expected to fail, with replay commands.
import { counterSimulation } from "./simulation.ts";

export default () => counterSimulation({ durability: "no-fsync" }).iterations(200);

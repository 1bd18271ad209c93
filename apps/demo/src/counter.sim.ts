// `moonpool run apps/demo/src/counter.sim.ts`: the correct counter cluster under chaos.
import { counterSimulation } from "./simulation.ts";

export default () => counterSimulation({ durability: "fsync" }).iterations(200);

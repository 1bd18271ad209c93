// `moonpool run apps/demo/src/counter-write-behind.sim.ts`: the same cluster with nodes that
// acknowledge first and persist 50 ms later. Expected to fail, with replay commands.
import { counterSimulation } from "./simulation.ts";

export default () => counterSimulation({ durability: "ack-before-persist" }).iterations(200);

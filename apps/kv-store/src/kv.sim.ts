// `moonpool run apps/kv-store/src/kv.sim.ts`: the correct store under chaos.
import { kvSimulation } from "./simulation.ts";

export default () => kvSimulation().iterations(200);

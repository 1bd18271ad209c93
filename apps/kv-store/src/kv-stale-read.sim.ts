// `moonpool run apps/kv-store/src/kv-stale-read.sim.ts`: the store with the "stale-read" bug, which the
// simulation finds.
import { kvSimulation } from "./simulation.ts";

export default () => kvSimulation({ bug: "stale-read" }).iterations(200);

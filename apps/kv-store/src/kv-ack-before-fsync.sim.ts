// `moonpool run apps/kv-store/src/kv-ack-before-fsync.sim.ts`: the store with the "ack-before-fsync" bug, which the
// simulation finds.
import { kvSimulation } from "./simulation.ts";

export default () => kvSimulation({ bug: "ack-before-fsync" }).iterations(200);

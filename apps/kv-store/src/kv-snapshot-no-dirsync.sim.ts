// `moonpool run apps/kv-store/src/kv-snapshot-no-dirsync.sim.ts`: the store with the "snapshot-no-dirsync" bug, which the
// simulation finds.
import { kvSimulation } from "./simulation.ts";

export default () => kvSimulation({ bug: "snapshot-no-dirsync" }).iterations(200);

// `moonpool run apps/web-service/src/web-ack-before-sync.sim.ts`: the planted bug, found by chaos.
import { webSimulation } from "./simulation.ts";

export default () => webSimulation({ bug: "ack-before-sync" }).iterations(50);

// `moonpool run apps/web-service/src/web.sim.ts`: the service under chaos.
import { webSimulation } from "./simulation.ts";

export default () => webSimulation().iterations(50);

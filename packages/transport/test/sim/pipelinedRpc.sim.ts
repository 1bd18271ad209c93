// `moonpool run packages/transport/test/sim/pipelinedRpc.sim.ts`: pipelined RPC bursts under
// connection faults; fails when any request runs twice or a reply does not match its request.
import { pipelinedRpcSimulation } from "./pipelinedRpc.ts";

export default pipelinedRpcSimulation();

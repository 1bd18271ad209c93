// `moonpool run packages/transport/test/sim/hashChainSwarm.sim.ts`: the hash-chain campaign
// with swarm network chaos (a per-seed subset of fault families).
import { hashChainCampaign } from "./hashChainCampaign.ts";

export default hashChainCampaign("swarm");

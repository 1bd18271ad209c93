// `moonpool run packages/transport/test/sim/hashChainRandom.sim.ts`: the hash-chain campaign
// with a random subset of network faults per seed.
import { hashChainCampaign } from "./hashChainCampaign.ts";

export default hashChainCampaign("random");

export { SimConnection } from "./SimConnection.ts";
export { SimListener } from "./SimListener.ts";
export { type PartitionOptions, SimNetwork, type SimNetworkOptions } from "./SimNetwork.ts";
export { SimNetworkProvider } from "./SimNetworkProvider.ts";
export { SimSocketDuplex } from "./SimSocketDuplex.ts";

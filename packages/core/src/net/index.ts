/**
 * @moonpool/core/net: `node:net`'s client and server surface (`connect`, `createConnection`,
 * `createServer`, `Socket`, `Server`) on any NetworkProvider, so drivers written against
 * `node:net` run unchanged on real TCP and on the simulated network.
 */
export type { ConnectOptions } from "./args.ts";
export { createNetModule, type NetModule, type NetModuleOptions } from "./createNetModule.ts";
export { NetServer, type NetServerOptions } from "./NetServer.ts";
export { NetSocket } from "./NetSocket.ts";

/**
 * @moonpool/core/node: the real providers. Production code receives `nodeProviders()`; the same
 * code receives a simulation context under test.
 *
 * @example
 * ```ts
 * import { nodeProviders } from "@moonpool/core/node";
 * const providers = nodeProviders({ dataDir: "./data" });
 * const listener = await providers.network.listen("127.0.0.1:4500");
 * ```
 */
import type { Providers } from "../Providers.ts";
import { NodeNetworkProvider } from "./NodeNetworkProvider.ts";
import { NodeRandomProvider } from "./NodeRandomProvider.ts";
import { NodeStorageProvider } from "./NodeStorageProvider.ts";
import { NodeTaskProvider } from "./NodeTaskProvider.ts";
import { NodeTimeProvider } from "./NodeTimeProvider.ts";

export { NodeConnection } from "./NodeConnection.ts";
export { NodeNetworkProvider } from "./NodeNetworkProvider.ts";
export { NodeRandomProvider } from "./NodeRandomProvider.ts";
export { NodeStorageProvider } from "./NodeStorageProvider.ts";
export { NodeTaskProvider } from "./NodeTaskProvider.ts";
export { NodeTimeProvider } from "./NodeTimeProvider.ts";

/** Options of {@link nodeProviders}. */
export interface NodeProvidersOptions {
  /** Root directory of `storage` (created on demand). Default: the current working directory. */
  dataDir?: string;
}

/** The real implementations of every provider: monotonic time, tasks, crypto, TCP and files. */
export function nodeProviders(options: NodeProvidersOptions = {}): Providers {
  return {
    time: new NodeTimeProvider(),
    task: new NodeTaskProvider(),
    random: new NodeRandomProvider(),
    network: new NodeNetworkProvider(),
    storage: new NodeStorageProvider(options.dataDir ?? process.cwd()),
  };
}

// The service on real TCP: the same handler, store and clients as in the simulation, on
// 127.0.0.1 with Node's providers and the real `node:net`.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeNetworkProvider, NodeStorageProvider, NodeTimeProvider } from "@moonpool/core/node";
import { Redis } from "ioredis";
import { startCacheServer } from "./cache-server.ts";
import { fetchWith, networkAgent } from "./client.ts";
import { type RunningServer, serveHttp } from "./server.ts";
import { ItemStore } from "./store.ts";

/** A running real deployment: the cache, the web server and a fetch bound to it. */
export interface RealService {
  readonly url: string;
  readonly fetch: ReturnType<typeof fetchWith>;
  stop(): Promise<void>;
}

/** Starts the cache and the web server on 127.0.0.1 (free ports), the store in a temp directory. */
export async function startRealService(): Promise<RealService> {
  const dir = await mkdtemp(join(tmpdir(), "moonpool-web-"));
  const cache = startCacheServer(0, "127.0.0.1");
  await new Promise<void>((resolve) => cache.once("listening", () => resolve()));
  const cachePort = (cache.address() as AddressInfo).port;
  const redis = new Redis({ host: "127.0.0.1", port: cachePort, maxRetriesPerRequest: 1 });
  const time = new NodeTimeProvider();
  const store = await ItemStore.open(new NodeStorageProvider(dir), time);
  const network = new NodeNetworkProvider();
  const server: RunningServer = await serveHttp(network, "127.0.0.1:0", { store, visits: redis });
  const agent = networkAgent(network);
  return {
    url: `http://${server.address}`,
    fetch: fetchWith(agent),
    async stop() {
      await agent.close();
      await server.close();
      redis.disconnect();
      await new Promise<void>((resolve) => cache.close(() => resolve()));
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Serving the handler on a NetworkProvider: an unmodified node:http server fed the connections
// of `@moonpool/core/net`'s server, so it runs on real TCP and on the simulated network alike.
import http from "node:http";
import type { NetworkProvider } from "@moonpool/core";
import { createNetModule } from "@moonpool/core/net";
import { createHandler, type HandlerDeps } from "./handler.ts";

/** A running HTTP server. */
export interface RunningServer {
  /** The bound `ip:port`. */
  readonly address: string;
  /** Stops accepting and closes every connection. */
  close(): Promise<void>;
}

/** Serves the API on `listen` (`ip:port`, port 0 picks one). */
export async function serveHttp(
  network: NetworkProvider,
  listen: string,
  deps: HandlerDeps,
): Promise<RunningServer> {
  const net = createNetModule(network);
  const server = http.createServer({ keepAlive: true }, createHandler(deps));
  server.keepAliveTimeout = 2_000;
  const colon = listen.lastIndexOf(":");
  const listener = net.createServer((socket) => server.emit("connection", socket));
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(Number(listen.slice(colon + 1)), listen.slice(0, colon), () => resolve());
  });
  const bound = listener.address();
  return {
    address: `${bound?.address}:${bound?.port}`,
    async close() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

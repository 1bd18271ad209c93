// A fetch-compatible client on a NetworkProvider: undici's Agent with a `connect` that opens the
// connection through `@moonpool/core/net`, so `fetch` runs on real TCP and on the simulated network.
import type { NetworkProvider } from "@moonpool/core";
import { createNetModule } from "@moonpool/core/net";
import { Agent, fetch } from "undici";

/** An undici dispatcher whose connections come from `network`; `resolve` maps host names. */
export function networkAgent(
  network: NetworkProvider,
  options: { resolve?: (host: string) => string } = {},
): Agent {
  const net = createNetModule(network, options.resolve ? { resolve: options.resolve } : {});
  return new Agent({
    keepAliveTimeout: 1_000,
    connect(opts, callback) {
      const socket = net.connect({ host: opts.hostname, port: Number(opts.port) || 80 });
      const onError = (error: Error) => callback(error, null);
      socket.once("error", onError);
      socket.once("connect", () => {
        socket.off("error", onError);
        callback(null, socket as never);
      });
    },
  });
}

/** `fetch` bound to a dispatcher (the global fetch would pool connections across seeds). */
export function fetchWith(agent: Agent): typeof fetch {
  return (input, init) => fetch(input, { ...init, dispatcher: agent });
}

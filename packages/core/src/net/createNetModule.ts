// `node:net`'s client and server surface on any NetworkProvider: the same driver code runs on
// real TCP (NodeNetworkProvider) and on the simulated network.
import { isIP, isIPv4, isIPv6 } from "node:net";
import { InvalidArgumentError } from "../errors.ts";
import type { NetworkProvider } from "../Network.ts";
import { type ConnectOptions, connectTarget } from "./args.ts";
import { NetServer, type NetServerOptions } from "./NetServer.ts";
import { type NetModuleState, NetSocket } from "./NetSocket.ts";

/** How a shim module maps names and where its servers bind. */
export interface NetModuleOptions {
  /** Maps a host name to an address the provider understands. Default: `localhost` -> `127.0.0.1`. */
  resolve?: (host: string) => string;
  /** Where `listen()` without a host binds. Default `127.0.0.1` (loopback; Node's is every interface). */
  listenHost?: string;
}

/** The part of `node:net` the shim provides. */
export interface NetModule {
  connect(options: ConnectOptions, connectListener?: () => void): NetSocket;
  connect(port: number | string, host?: string, connectListener?: () => void): NetSocket;
  createConnection(options: ConnectOptions, connectListener?: () => void): NetSocket;
  createConnection(port: number | string, host?: string, connectListener?: () => void): NetSocket;
  createServer(connectionListener?: (socket: NetSocket) => void): NetServer;
  createServer(options: NetServerOptions, connectionListener?: (socket: NetSocket) => void): NetServer;
  /** `new Socket()` then `socket.connect(...)`, as drivers that subclass or construct sockets do. */
  readonly Socket: new (options?: {
    allowHalfOpen?: boolean;
  }) => NetSocket;
  readonly Server: new (
    options?: NetServerOptions,
    connectionListener?: (socket: NetSocket) => void,
  ) => NetServer;
  readonly isIP: typeof isIP;
  readonly isIPv4: typeof isIPv4;
  readonly isIPv6: typeof isIPv6;
}

const defaultResolve = (host: string): string => (host === "localhost" ? "127.0.0.1" : host);

/**
 * A `node:net`-compatible module over `network`, for drivers and clients written against
 * `node:net` (pass it where they accept a socket factory, or let the simulation route `node:net`
 * itself while a seed runs). IPC paths and TLS are not provided.
 */
export function createNetModule(network: NetworkProvider, options: NetModuleOptions = {}): NetModule {
  if (typeof network?.connect !== "function" || typeof network.listen !== "function") {
    throw new InvalidArgumentError("network", "expected a NetworkProvider (listen and connect)");
  }
  const state: NetModuleState = {
    network,
    resolve: options.resolve ?? defaultResolve,
    listenHost: options.listenHost ?? "127.0.0.1",
  };
  class Socket extends NetSocket {
    constructor(socketOptions?: { allowHalfOpen?: boolean }) {
      super(state, socketOptions);
    }
  }
  class Server extends NetServer {
    constructor(serverOptions?: NetServerOptions, connectionListener?: (socket: NetSocket) => void) {
      super(state, serverOptions, connectionListener);
    }
  }
  const connect = (...args: unknown[]): NetSocket => {
    const target = connectTarget("net.connect", "localhost", args);
    return new Socket({ allowHalfOpen: target.options.allowHalfOpen === true }).connect(...args);
  };
  const createServer = (first?: unknown, second?: unknown): NetServer =>
    typeof first === "function"
      ? new Server({}, first as (socket: NetSocket) => void)
      : new Server(
          (first as NetServerOptions | undefined) ?? {},
          second as ((socket: NetSocket) => void) | undefined,
        );
  return {
    connect: connect as NetModule["connect"],
    createConnection: connect as NetModule["createConnection"],
    createServer: createServer as NetModule["createServer"],
    Socket,
    Server,
    isIP,
    isIPv4,
    isIPv6,
  };
}

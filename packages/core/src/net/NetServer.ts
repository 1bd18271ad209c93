// A `net.Server` look-alike over a NetworkProvider listener.
import { EventEmitter } from "node:events";
import type { Listener } from "../Network.ts";
import { splitHostPort } from "../NetworkAddress.ts";
import { joinHostPort, listenTarget } from "./args.ts";
import { type NetModuleState, NetSocket } from "./NetSocket.ts";

const WILDCARD = new Set(["0.0.0.0", "::", "", "localhost"]);

/** The `net.createServer` options the shim honours. */
export interface NetServerOptions {
  allowHalfOpen?: boolean;
  [other: string]: unknown;
}

/**
 * A `net.Server`-compatible server: `listen(port[, host][, cb])` or `listen(options[, cb])`,
 * `'listening'`/`'connection'`/`'error'`/`'close'` events, `address()`, `close(cb)` (stops
 * accepting, then `'close'` once every connection closed), `getConnections`, `maxConnections`,
 * `ref`/`unref`. Without a host (or with a wildcard one) it binds the module's `listenHost`.
 */
export class NetServer extends EventEmitter {
  readonly #state: NetModuleState;
  readonly #allowHalfOpen: boolean;
  #listener: Listener | null = null;
  #binding = false;
  #closing = false;
  readonly #connections = new Set<NetSocket>();
  /** Connections beyond this are reset on arrival (as Node does). */
  maxConnections: number | undefined;

  constructor(
    state: NetModuleState,
    options: NetServerOptions = {},
    onConnection?: (socket: NetSocket) => void,
  ) {
    super();
    this.#state = state;
    this.#allowHalfOpen = options.allowHalfOpen === true;
    if (onConnection) this.on("connection", onConnection);
  }

  get listening(): boolean {
    return this.#listener !== null;
  }

  listen(...args: unknown[]): this {
    const target = listenTarget(args);
    if (this.#listener !== null || this.#binding) {
      throw Object.assign(new Error("server.listen: the server is already listening"), {
        code: "ERR_SERVER_ALREADY_LISTEN",
      });
    }
    if (target.listener) this.once("listening", target.listener);
    const host =
      target.host === undefined || WILDCARD.has(target.host) ? this.#state.listenHost : target.host;
    this.#binding = true;
    this.#closing = false;
    this.#state.network.listen(joinHostPort(this.#state.resolve(host), target.port)).then(
      (listener) => {
        this.#binding = false;
        if (this.#closing) {
          void listener.close();
          return;
        }
        this.#listener = listener;
        this.emit("listening");
        void this.#acceptLoop(listener);
      },
      (error: unknown) => {
        this.#binding = false;
        this.emit("error", error);
      },
    );
    return this;
  }

  async #acceptLoop(listener: Listener): Promise<void> {
    for (;;) {
      let conn: Awaited<ReturnType<Listener["accept"]>>;
      try {
        conn = await listener.accept();
      } catch {
        return; // closed
      }
      if (this.maxConnections !== undefined && this.#connections.size >= this.maxConnections) {
        conn.abort();
        continue;
      }
      const socket = NetSocket.attached(this.#state, conn, this.#allowHalfOpen);
      this.#connections.add(socket);
      socket.once("close", () => {
        this.#connections.delete(socket);
        this.#maybeClosed();
      });
      this.emit("connection", socket);
    }
  }

  address(): { address: string; port: number; family: string } | null {
    if (this.#listener === null) return null;
    const { ip, port } = splitHostPort(this.#listener.address);
    return { address: ip, port, family: ip.includes(":") ? "IPv6" : "IPv4" };
  }

  /** Stops accepting; `'close'` (and `callback`) once every connection has closed. */
  close(callback?: (error?: Error) => void): this {
    const listener = this.#listener;
    if (listener === null && !this.#binding) {
      const error = Object.assign(new Error("Server is not running."), { code: "ERR_SERVER_NOT_RUNNING" });
      if (callback) queueMicrotask(() => callback(error));
      return this;
    }
    if (callback) this.once("close", callback);
    this.#closing = true;
    this.#listener = null;
    if (listener !== null) {
      void listener.close().then(() => this.#maybeClosed());
    }
    return this;
  }

  #maybeClosed(): void {
    if (this.#closing && this.#listener === null && !this.#binding && this.#connections.size === 0) {
      this.#closing = false;
      this.emit("close");
    }
  }

  getConnections(callback: (error: Error | null, count: number) => void): this {
    const count = this.#connections.size;
    queueMicrotask(() => callback(null, count));
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

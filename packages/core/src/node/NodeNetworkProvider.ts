import { type AddressInfo, createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { InvalidArgumentError, NetworkError } from "../errors.ts";
import type { Connection, Listener, NetworkProvider } from "../Network.ts";
import { splitHostPort } from "../NetworkAddress.ts";
import { formatAddress } from "./internal/formatAddress.ts";
import { toNetworkError } from "./internal/systemErrors.ts";
import { NodeConnection } from "./NodeConnection.ts";

/**
 * Real TCP over `node:net`. Sockets are half-open capable (a graceful close only ends our
 * direction) and use `TCP_NODELAY`, since request/response traffic suffers from Nagle's delay.
 *
 * @example
 * ```ts
 * const net = new NodeNetworkProvider();
 * const listener = await net.listen("127.0.0.1:0");
 * const client = await net.connect(listener.address);
 * const server = await listener.accept();
 * await client.write(new TextEncoder().encode("hi"));
 * await server.read(); // Uint8Array [104, 105]
 * ```
 */
export class NodeNetworkProvider implements NetworkProvider {
  async listen(address: string): Promise<Listener> {
    const { ip, port } = splitHostPort(address);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false });
    const listener = new NodeListener(server);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(toNetworkError(error, address));
      server.once("error", onError);
      server.listen({ host: ip, port, exclusive: true }, () => {
        server.off("error", onError);
        resolve();
      });
    });
    listener.bound();
    return listener;
  }

  async connect(address: string): Promise<Connection> {
    const { ip, port } = splitHostPort(address);
    if (port === 0) throw new InvalidArgumentError("address", `cannot connect to port 0 (${address})`);
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: ip, port, allowHalfOpen: true, noDelay: true });
      const onError = (error: Error): void => {
        socket.destroy();
        reject(toNetworkError(error, address));
      };
      socket.once("error", onError);
      socket.once("connect", () => {
        socket.off("error", onError);
        resolve(new NodeConnection(socket));
      });
    });
  }
}

/**
 * A listening `net.Server`. Connections the kernel completes before anyone calls `accept()` wait
 * in a queue (paused, so their data stays buffered).
 */
class NodeListener implements Listener {
  readonly #server: Server;
  readonly #queue: Socket[] = [];
  readonly #waiters: { resolve: (c: Connection) => void; reject: (e: unknown) => void }[] = [];
  #address = "";
  #closed = false;

  constructor(server: Server) {
    this.#server = server;
    server.on("connection", (socket: Socket) => {
      socket.setNoDelay(true);
      // Errors before accept() (e.g. an early reset) must not crash the process; once wrapped,
      // the connection records them.
      socket.on("error", () => {});
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(new NodeConnection(socket));
      else this.#queue.push(socket);
    });
    server.on("error", (error) => this.#failWaiters(toNetworkError(error, this.#address)));
  }

  /** Called once the server is listening: records the real bound address. */
  bound(): void {
    const info = this.#server.address() as AddressInfo;
    this.#address = formatAddress(info.address, info.port);
  }

  get address(): string {
    return this.#address;
  }

  accept(): Promise<Connection> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const socket = this.#queue.shift();
    if (socket) return Promise.resolve(new NodeConnection(socket));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Stop listening now; accepted connections live on (server.close's callback would wait
    // for all of them, so it is not awaited).
    this.#server.close();
    for (const socket of this.#queue.splice(0)) socket.destroy();
    this.#failWaiters(this.#closedError());
  }

  #closedError(): NetworkError {
    return new NetworkError("ECONNABORTED", "listener is closed", this.#address);
  }

  #failWaiters(error: unknown): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}

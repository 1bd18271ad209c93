import { type Connection, type Listener, NetworkError } from "@moonpool/core";
import type { DeviceOwner } from "../engine/device-owner.ts";
import type { Waker } from "../engine/kernel.ts";
import { NEVER } from "./internal/never.ts";
import { ownedAt } from "./internal/ns.ts";
import type { SimConnection } from "./SimConnection.ts";
import type { SimNetwork } from "./SimNetwork.ts";

interface Arrival {
  readonly connection: SimConnection;
  /** When `accept()` may hand it out (arrival plus the sampled accept latency). */
  readonly readyAtNs: number;
}

/**
 * A bound simulated listener. Connections are established as soon as they arrive (before
 * `accept()`), queue in an unbounded backlog, and are handed to acceptors in arrival order.
 */
export class SimListener implements Listener {
  readonly address: string;
  readonly hostIp: string;
  readonly port: number;
  /** The incarnation that bound it (accepted connections act for it too). */
  readonly owner: DeviceOwner;
  readonly #net: SimNetwork;
  readonly #backlog: Arrival[] = [];
  readonly #acceptors: Waker<Connection>[] = [];
  #closed = false;

  constructor(net: SimNetwork, hostIp: string, port: number, address: string, owner: DeviceOwner) {
    this.#net = net;
    this.owner = owner;
    this.hostIp = hostIp;
    this.port = port;
    this.address = address;
  }

  get closed(): boolean {
    return this.#closed;
  }

  accept(): Promise<Connection> {
    if (this.owner.killed) return NEVER;
    if (this.#closed) return Promise.reject(this.#closedError());
    const waker = this.owner.waker<Connection>(`accept ${this.address}`);
    const arrival = this.#backlog.shift();
    if (arrival === undefined) this.#acceptors.push(waker);
    else this.#handOut(waker, arrival);
    return waker.promise;
  }

  close(): Promise<void> {
    if (this.owner.killed) return NEVER;
    this.shutdown(false);
    return Promise.resolve();
  }

  /** A new connection reached this listener (called by the network). */
  enqueue(connection: SimConnection): void {
    const kernel = this.#net.kernel;
    const arrival: Arrival = {
      connection,
      readyAtNs: kernel.nowNs() + this.#net.acceptLatencyNs(),
    };
    const acceptor = this.#acceptors.shift();
    if (acceptor === undefined) this.#backlog.push(arrival);
    else this.#handOut(acceptor, arrival);
  }

  /**
   * Closes the listener: pending accepts reject, connections never accepted are reset (their
   * clients see ECONNRESET) or, when the host crashed, die with it.
   */
  shutdown(crashed: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#net.unbind(this);
    const error = this.#closedError();
    for (const a of this.#acceptors.splice(0)) a.fail(error);
    for (const { connection } of this.#backlog.splice(0)) {
      if (crashed) this.#net.crashEndpoint(connection);
      else connection.abort();
    }
  }

  #handOut(waker: Waker<Connection>, arrival: Arrival): void {
    const kernel = this.#net.kernel;
    if (arrival.readyAtNs <= kernel.nowNs()) waker.wake(arrival.connection);
    else
      ownedAt(kernel, this.owner, arrival.readyAtNs, "network accept", () => waker.wake(arrival.connection));
  }

  #closedError(): NetworkError {
    return new NetworkError("ECONNABORTED", "listener is closed", this.address);
  }
}

import type { Connection, Listener, NetworkProvider } from "@moonpool/core";
import type { DeviceOwner } from "../engine/device-owner.ts";
import { checkBindable, resolveAddress } from "./internal/address.ts";
import { NEVER } from "./internal/never.ts";
import type { SimNetwork } from "./SimNetwork.ts";

/**
 * The simulated network as one actor (process or workload) sees it: listeners bind the actor's
 * IP (`0.0.0.0`, `::`, `127.0.0.1` and `localhost` mean that IP too), connections originate from
 * it, so partitions and per-pair latency apply through this public API.
 *
 * A provider belongs to one incarnation of its actor (`owner`): the listeners and connections it
 * creates act on that incarnation's behalf, and once it is killed every call parks for good.
 */
export class SimNetworkProvider implements NetworkProvider {
  readonly ip: string;
  /** The incarnation this provider acts for. */
  readonly owner: DeviceOwner;
  readonly #net: SimNetwork;

  constructor(net: SimNetwork, ip: string, owner: DeviceOwner) {
    this.#net = net;
    this.ip = ip;
    this.owner = owner;
  }

  /**
   * Binds `address` (`"10.0.1.1:4500"`, `"0.0.0.0:0"`). Rejects with `InvalidArgumentError` for
   * a malformed address, EADDRNOTAVAIL for another host's IP, EADDRINUSE for a bound port.
   */
  listen(address: string): Promise<Listener> {
    if (this.owner.killed) return NEVER;
    try {
      const resolved = resolveAddress(address, this.ip, "address");
      checkBindable(resolved, this.ip, address);
      const result = this.#net.bind(this.ip, resolved, this.owner);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Connects to `address`. Resolves once the handshake completed (the peer may not have called
   * `accept()` yet); rejects with ECONNREFUSED when nothing listens there.
   */
  connect(address: string): Promise<Connection> {
    if (this.owner.killed) return NEVER;
    try {
      return this.#net.connect(this.ip, resolveAddress(address, this.ip, "address"), address, this.owner);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

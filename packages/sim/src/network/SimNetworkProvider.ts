import type { Connection, Listener, NetworkProvider } from "@moonpool/core";
import { checkBindable, resolveAddress } from "./internal/address.ts";
import type { SimNetwork } from "./SimNetwork.ts";

/**
 * The simulated network as one actor (process or workload) sees it: listeners bind the actor's
 * IP (`0.0.0.0`, `::`, `127.0.0.1` and `localhost` mean that IP too), connections originate from
 * it, so partitions and per-pair latency apply through this public API.
 */
export class SimNetworkProvider implements NetworkProvider {
  readonly ip: string;
  readonly #net: SimNetwork;

  constructor(net: SimNetwork, ip: string) {
    this.#net = net;
    this.ip = ip;
  }

  /**
   * Binds `address` (`"10.0.1.1:4500"`, `"0.0.0.0:0"`). Rejects with `InvalidArgumentError` for
   * a malformed address, EADDRNOTAVAIL for another host's IP, EADDRINUSE for a bound port.
   */
  listen(address: string): Promise<Listener> {
    try {
      const resolved = resolveAddress(address, this.ip, "address");
      checkBindable(resolved, this.ip, address);
      const result = this.#net.bind(this.ip, resolved);
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
    try {
      return this.#net.connect(this.ip, resolveAddress(address, this.ip, "address"), address);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

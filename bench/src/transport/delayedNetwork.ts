// Real loopback TCP with a fixed one-way latency added to every connect and every write, so
// the same RPC workload can run on real sockets and on the simulated network with equal links.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Connection, Listener, NetworkProvider, Providers } from "@moonpool/core";

/** Wraps a connection: each write reaches the socket `latencyMs` after it was issued, in order. */
function delayed(inner: Connection, latencyMs: number): Connection {
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  return {
    localAddress: inner.localAddress,
    remoteAddress: inner.remoteAddress,
    read: () => inner.read(),
    write(data: Uint8Array): Promise<void> {
      if (failed) return Promise.reject(new Error("connection broken"));
      const copy = data.slice(); // the caller may reuse its buffer
      const due = performance.now() + latencyMs;
      chain = chain.then(async () => {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (!failed) await inner.write(copy);
      });
      chain.catch(() => {
        failed = true;
        inner.abort();
      });
      return Promise.resolve(); // like the simulated link: the write is queued, delivery comes later
    },
    close: async () => {
      await chain.catch(() => {});
      await inner.close();
    },
    abort: () => {
      failed = true;
      inner.abort();
    },
    toDuplex: () => inner.toDuplex(),
  };
}

/** `providers` whose network adds `latencyMs` to connects and to each direction of every link. */
export function withLatency(providers: Providers, latencyMs: number): Providers {
  const network = providers.network;
  const wrapped: NetworkProvider = {
    async listen(address: string): Promise<Listener> {
      const l = await network.listen(address);
      return {
        address: l.address,
        accept: async () => delayed(await l.accept(), latencyMs),
        close: () => l.close(),
      };
    },
    async connect(address: string): Promise<Connection> {
      await sleep(latencyMs);
      return delayed(await network.connect(address), latencyMs);
    },
  };
  return { ...providers, network: wrapped };
}

import { NetTransport, type TransportOptions } from "../../src/index.ts";
import { FakeWorld } from "./FakeWorld.ts";

export const SERVER_ADDR = "10.0.1.1:4500";
export const CLIENT_ADDR = "10.0.0.1:4501";

/** A fake world with a listening server and client transport (no jitter, for exact timings). */
export async function rpcWorld(options: Partial<TransportOptions> = {}) {
  const world = new FakeWorld();
  const transports: NetTransport[] = [];
  const open = async (address: string, extra: Partial<TransportOptions> = {}) => {
    const t = await NetTransport.listen(world.providers(address.split(":")[0]!), {
      localAddress: address,
      peerConfig: { reconnectJitter: 0, monitor: null },
      closeGraceMs: 0,
      ...options,
      ...extra,
    });
    transports.push(t);
    return t;
  };
  const server = await open(SERVER_ADDR);
  const client = await open(CLIENT_ADDR);
  return {
    world,
    server,
    client,
    open,
    /** Advances virtual time (0: just let queued work run). */
    tick: (ms = 0) => world.advance(ms),
    async dispose() {
      for (const t of transports) await t.close();
    },
  };
}

/** Settles `p` into a plain outcome so tests can assert without unhandled rejections. */
export function outcome<T>(p: Promise<T>): {
  get: () => { ok: true; value: T } | { ok: false; error: any } | undefined;
} {
  let result: { ok: true; value: T } | { ok: false; error: any } | undefined;
  p.then(
    (value) => {
      result = { ok: true, value };
    },
    (error) => {
      result = { ok: false, error };
    },
  );
  return { get: () => result };
}

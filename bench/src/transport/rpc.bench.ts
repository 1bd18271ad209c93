// RPC round trips per second on real loopback TCP (two transports in one process, so the
// numbers include framing, codec, peers and the reply routing through the client's listener).
import { NetworkAddress } from "@moonpool/core";
import { nodeProviders } from "@moonpool/core/node";
import {
  BinaryCodec,
  defineService,
  JsonCodec,
  type MessageCodec,
  method,
  NetTransport,
} from "@moonpool/transport";
import type { BenchSuite } from "../harness.ts";
import { measureAsync } from "../harness.ts";

const Echo = defineService("Echo", { echo: method<{ seq: number; text: string }, number>() });

async function roundTrips(codec: () => MessageCodec, concurrency: number): Promise<number> {
  const providers = nodeProviders();
  const server = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0", codec: codec() });
  const client = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0", codec: codec() });
  const handle = Echo.wellKnown(server, 4).serve({ echo: ({ seq }) => seq });
  const api = Echo.clientWellKnown(client, NetworkAddress.parse(server.localAddress.toString()), 4);
  let seq = 0;
  const one = () => api.echo.getReply({ seq: seq++, text: "hello" });
  const rate = await measureAsync(
    async () => {
      if (concurrency === 1) await one();
      else await Promise.all(Array.from({ length: concurrency }, one));
    },
    { minMs: 1500 },
  );
  await handle.stop();
  await client.close();
  await server.close();
  return rate * concurrency;
}

/** Raw 1-byte ping-pong through the providers' Connection API: the floor for one round trip. */
async function rawRoundTrips(): Promise<number> {
  const { network } = nodeProviders();
  const listener = await network.listen("127.0.0.1:0");
  const client = await network.connect(listener.address);
  const server = await listener.accept();
  const echo = (async () => {
    for (let data = await server.read(); data !== null; data = await server.read()) await server.write(data);
  })();
  const ping = new Uint8Array([1]);
  const rate = await measureAsync(
    async () => {
      await client.write(ping);
      await client.read();
    },
    { minMs: 1000 },
  );
  await client.close();
  await echo.catch(() => {});
  await server.close().catch(() => {});
  await listener.close();
  return rate;
}

export default (async (r) => {
  const raw = await rawRoundTrips();
  const json1 = await roundTrips(() => new JsonCodec(), 1);
  const bin1 = await roundTrips(() => new BinaryCodec(), 1);
  const json32 = await roundTrips(() => new JsonCodec(), 32);
  const bin32 = await roundTrips(() => new BinaryCodec(), 32);
  r.figure("getReply round trips, JSON, sequential", json1, "rpc/s");
  r.figure("getReply round trips, binary, sequential", bin1, "rpc/s");
  r.figure("getReply round trips, JSON, 32 in flight", json32, "rpc/s");
  r.figure("getReply round trips, binary, 32 in flight", bin32, "rpc/s");
  r.figure("raw provider Connection round trips (1 byte)", raw, "rt/s");
  r.ratio(
    "JSON getReply / raw round trip (sequential)",
    json1 / raw,
    "cost of the RPC stack over a bare TCP round trip",
  );
  r.ratio("binary / JSON (32 in flight)", bin32 / json32, "RPC throughput with the binary codec vs JSON");
}) satisfies BenchSuite;

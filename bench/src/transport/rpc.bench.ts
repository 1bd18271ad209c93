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

export default (async (r) => {
  const json1 = await roundTrips(() => new JsonCodec(), 1);
  const bin1 = await roundTrips(() => new BinaryCodec(), 1);
  const json32 = await roundTrips(() => new JsonCodec(), 32);
  const bin32 = await roundTrips(() => new BinaryCodec(), 32);
  r.figure("getReply round trips, JSON, sequential", json1, "rpc/s");
  r.figure("getReply round trips, binary, sequential", bin1, "rpc/s");
  r.figure("getReply round trips, JSON, 32 in flight", json32, "rpc/s");
  r.figure("getReply round trips, binary, 32 in flight", bin32, "rpc/s");
  r.ratio("binary / JSON (32 in flight)", bin32 / json32, "RPC throughput with the binary codec vs JSON");
}) satisfies BenchSuite;

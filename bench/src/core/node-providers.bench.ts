// The real Node providers: loopback TCP round trips through nodeProviders(), with the
// Connection wrapper's cost measured against a raw net.Socket in the same run.
import { once } from "node:events";
import { createServer, connect as netConnect, type Socket } from "node:net";
import { nodeProviders } from "@moonpool/core/node";
import type { BenchSuite } from "../harness.ts";
import { measureAsync } from "../harness.ts";

/** Round trips/s of 1-byte ping-pong through the providers' Connection API. */
async function providerRoundTrips(): Promise<number> {
  const { network } = nodeProviders();
  const listener = await network.listen("127.0.0.1:0");
  const client = await network.connect(listener.address);
  const server = await listener.accept();
  const echo = (async () => {
    for (let data = await server.read(); data !== null; data = await server.read()) await server.write(data);
    await server.close();
  })();
  const ping = new Uint8Array([1]);
  const rate = await measureAsync(
    async () => {
      await client.write(ping);
      if ((await client.read()) === null) throw new Error("echo server went away");
    },
    { minMs: 1_500 },
  );
  await client.close();
  await echo;
  await listener.close();
  return rate;
}

/** The same ping-pong on raw sockets: the baseline for the provider wrapper. */
async function rawRoundTrips(): Promise<number> {
  const server = createServer({ noDelay: true }, (socket) => socket.pipe(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const client: Socket = netConnect({ host: "127.0.0.1", port, noDelay: true });
  await once(client, "connect");
  let wake: (() => void) | null = null;
  client.on("data", () => wake?.());
  const ping = Buffer.from([1]);
  const rate = await measureAsync(
    () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        client.write(ping);
      }),
    { minMs: 1_500 },
  );
  client.destroy();
  server.close();
  return rate;
}

export default (async (r) => {
  const raw = await rawRoundTrips();
  const provider = await providerRoundTrips();
  r.figure("loopback TCP round trips, raw net.Socket", raw, "round trips/s");
  r.figure("loopback TCP round trips, nodeProviders", provider, "round trips/s");
  r.ratio(
    "nodeProviders / raw socket round trips",
    provider / raw,
    "cost of the Connection wrapper (1 = free)",
  );
}) satisfies BenchSuite;

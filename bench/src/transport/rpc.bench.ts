// RPC round trips per second on real loopback TCP (two transports in one process, so the
// numbers include framing, codec, peers and the reply routing through the client's listener),
// beside the floor for the same topology: a bare `net.Socket` pair in the same process carrying
// the same bytes (one request frame out, one reply frame back). Every case is warmed up and
// measured in interleaved rounds (medians), so the ratios hold under load.
import { once } from "node:events";
import { type AddressInfo, createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { Endpoint, NetworkAddress } from "@moonpool/core";
import { nodeProviders } from "@moonpool/core/node";
import {
  BinaryCodec,
  defineService,
  encodeFrame,
  envelopeValue,
  JsonCodec,
  type MessageCodec,
  method,
  NetTransport,
  replyValue,
} from "@moonpool/transport";
import type { BenchSuite } from "../harness.ts";
import { interleaveAsync } from "./interleave.ts";

const Echo = defineService("Echo", { echo: method<{ seq: number; text: string }, number>() });
const SEQ_SAMPLE = 123_456; // a sequence number of the same width as the measured ones

interface RpcPair {
  one(): Promise<unknown>;
  many(n: number): Promise<unknown>;
  /** The bytes of one request frame and of its reply frame, as this pair sends them. */
  frames(): { request: number; reply: number };
  close(): Promise<void>;
}

async function rpcPair(codec: () => MessageCodec): Promise<RpcPair> {
  const providers = nodeProviders();
  const server = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0", codec: codec() });
  const client = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0", codec: codec() });
  const handle = Echo.wellKnown(server, 4).serve({ echo: ({ seq }) => seq });
  const api = Echo.clientWellKnown(client, NetworkAddress.parse(server.localAddress.toString()), 4);
  let seq = 100_000;
  const one = () => api.echo.getReply({ seq: seq++, text: "hello" });
  return {
    one,
    many: (n) => Promise.all(Array.from({ length: n }, one)),
    frames() {
      const token = client.randomUID();
      const replyTo = new Endpoint(client.localAddress, token);
      const request = client.codec.encode(envelopeValue({ seq: SEQ_SAMPLE, text: "hello" }, replyTo));
      const reply = client.codec.encode(replyValue({ ok: true, value: SEQ_SAMPLE }));
      return {
        request: encodeFrame(Echo.methodToken(api.baseToken, "echo"), request).length,
        reply: encodeFrame(token, reply).length,
      };
    },
    async close() {
      await handle.stop();
      await client.close();
      await server.close();
    },
  };
}

/**
 * A bare `net.Socket` pair on loopback in this process: the client writes `requestBytes`, the
 * server answers with `replyBytes` once all of them arrived, and a round trip ends when the
 * whole reply is in. Sockets as the transport opens them (no Nagle), nothing else.
 */
async function bareSocketPair(requestBytes: number, replyBytes: number) {
  const server: Server = createServer({ noDelay: true }, (socket) => {
    let pending = 0;
    const reply = Buffer.alloc(replyBytes, 7);
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.length;
      while (pending >= requestBytes) {
        pending -= requestBytes;
        socket.write(reply);
      }
    });
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client: Socket = netConnect({
    host: "127.0.0.1",
    port: (server.address() as AddressInfo).port,
    noDelay: true,
  });
  await once(client, "connect");
  const request = Buffer.alloc(requestBytes, 5);
  let received = 0;
  let wake: (() => void) | null = null;
  client.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received >= replyBytes && wake) {
      received -= replyBytes;
      const w = wake;
      wake = null;
      w();
    }
  });
  return {
    one: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        client.write(request);
      }),
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Raw 1-byte ping-pong through the providers' Connection API (the figure kept from before). */
async function connectionPair() {
  const { network } = nodeProviders();
  const listener = await network.listen("127.0.0.1:0");
  const client = await network.connect(listener.address);
  const server = await listener.accept();
  const echo = (async () => {
    for (let data = await server.read(); data !== null; data = await server.read()) await server.write(data);
  })();
  const ping = new Uint8Array([1]);
  return {
    async one() {
      await client.write(ping);
      await client.read();
    },
    async close() {
      await client.close();
      await echo.catch(() => {});
      await server.close().catch(() => {});
      await listener.close();
    },
  };
}

export default (async (r) => {
  const json = await rpcPair(() => new JsonCodec());
  const binary = await rpcPair(() => new BinaryCodec());
  const jsonFrames = json.frames();
  const bare = await bareSocketPair(jsonFrames.request, jsonFrames.reply);
  const conn = await connectionPair();

  const sequential = await interleaveAsync({
    bare: bare.one,
    connection: conn.one,
    json: json.one,
    binary: binary.one,
  });
  const inFlight = await interleaveAsync(
    { json: () => json.many(32), binary: () => binary.many(32) },
    { warmupMs: 1000, rounds: 3 },
  );
  await Promise.all([json.close(), binary.close(), bare.close(), conn.close()]);

  r.figure("JSON RPC request frame (bare socket request)", jsonFrames.request, "B");
  r.figure("JSON RPC reply frame (bare socket reply)", jsonFrames.reply, "B");
  r.figure("bare net.Socket round trips (same bytes as a JSON RPC)", sequential.bare, "rt/s");
  r.figure("raw provider Connection round trips (1 byte)", sequential.connection, "rt/s");
  r.figure("getReply round trips, JSON, sequential", sequential.json, "rpc/s");
  r.figure("getReply round trips, binary, sequential", sequential.binary, "rpc/s");
  r.figure("getReply round trips, JSON, 32 in flight", inFlight.json * 32, "rpc/s");
  r.figure("getReply round trips, binary, 32 in flight", inFlight.binary * 32, "rpc/s");
  r.ratio(
    "JSON getReply time / bare net.Socket round trip (sequential)",
    sequential.bare / sequential.json,
    "time of one RPC over the time of a bare socket round trip with the same bytes (goal <= 2.5x)",
  );
  r.ratio(
    "JSON getReply / raw provider Connection round trip (sequential)",
    sequential.json / sequential.connection,
    "rate of the RPC stack over a 1-byte round trip through the project's Connection (old baseline)",
  );
  r.ratio(
    "binary / JSON (32 in flight)",
    inFlight.binary / inFlight.json,
    "RPC throughput with the binary codec vs JSON",
  );
}) satisfies BenchSuite;

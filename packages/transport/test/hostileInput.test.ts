// A hostile client cannot make a server's memory grow: in simulation (fast and deterministic),
// it floods the server with requests whose untrusted reply_to names a distinct, unreachable
// address each time, with PINGs and with frames for tokens nobody registered, and never reads
// an answer. The server's peers, queues and failure-monitor map stay bounded, and an honest
// client is still answered.
import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import { type Process, SimulationBuilder, type Workload } from "@moonpool/sim";
import { describe, expect, it } from "vitest";
import {
  encodeFrame,
  envelopeValue,
  JsonCodec,
  NetTransport,
  PING_TOKEN,
  type TransportOptions,
} from "../src/index.ts";
import { EXEC_ID, EXEC_PORT, Exec } from "./sim/pipelinedRpc.ts";

interface Peaks {
  outboundPeers: number;
  incomingPeers: number;
  queued: number;
  monitorAddresses: number;
  served: number;
  evicted: number;
}

function boundedServer(peaks: Peaks, options: Partial<TransportOptions> | null): Process {
  return {
    name: "server",
    async run(ctx) {
      const t = await NetTransport.listen(ctx.providers, {
        localAddress: `${ctx.ip}:${EXEC_PORT}`,
        ...(options ?? {}),
      });
      const handle = Exec.wellKnown(t, EXEC_ID).serve({
        exec: (req) => {
          peaks.served++;
          return req.id;
        },
      });
      const sample = () => {
        const m = t.peerMetrics();
        peaks.outboundPeers = Math.max(peaks.outboundPeers, Object.keys(m.outbound).length);
        peaks.incomingPeers = Math.max(peaks.incomingPeers, Object.keys(m.incoming).length);
        for (const p of [...Object.values(m.outbound), ...Object.values(m.incoming)]) {
          peaks.queued = Math.max(peaks.queued, p.currentQueueSize);
        }
        peaks.monitorAddresses = Math.max(peaks.monitorAddresses, t.failureMonitor.addressCount);
        peaks.evicted = t.stats.peersEvicted;
      };
      while (!ctx.shutdown.aborted) {
        sample();
        await ctx.time.sleep(50).catch(() => {});
      }
      sample();
      await handle.stop();
      await t.close();
    },
  };
}

/** Writes raw frames and never reads: every answer the server queues stays queued there. */
function hostileClient(requests: number): Workload {
  return {
    name: "hostile",
    async run(ctx) {
      const codec = new JsonCodec();
      const server = `${ctx.peer("server")}:${EXEC_PORT}`;
      await ctx.time.sleep(200); // the server is listening
      const conn = await ctx.providers.network.connect(server);
      const method = Exec.methodToken(UID.wellKnown(EXEC_ID), "exec");
      const frames: Uint8Array[] = [];
      for (let i = 0; i < requests; i++) {
        // A distinct reply address per request, on hosts that do not exist.
        const replyTo = new Endpoint(
          new NetworkAddress(`10.66.${(i >> 8) & 255}.${i & 255}`, 1000 + (i >> 16)),
          new UID(1n, BigInt(i + 1)),
        );
        frames.push(encodeFrame(method, codec.encode(envelopeValue({ id: i, pad: [] }, replyTo))));
        if (i % 5 === 0) frames.push(encodeFrame(PING_TOKEN, new Uint8Array(0)));
        if (i % 5 === 1) frames.push(encodeFrame(new UID(7n, BigInt(i)), new Uint8Array(1))); // unknown token
        if (frames.length >= 300) {
          await conn.write(concat(frames.splice(0)));
          await ctx.time.sleep(1);
        }
      }
      if (frames.length > 0) await conn.write(concat(frames));
      await ctx.time.sleep(5_000);
      conn.abort();
    },
  };
}

function honestClient(answers: number[], failures: string[]): Workload {
  return {
    name: "honest",
    async run(ctx) {
      const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4701` });
      const api = Exec.clientWellKnown(
        t,
        NetworkAddress.parse(`${ctx.peer("server")}:${EXEC_PORT}`),
        EXEC_ID,
      );
      for (let i = 0; i < 40; i++) {
        await api.exec.getReply({ id: 1_000_000 + i, pad: [] }, { timeoutMs: 10_000 }).then(
          (r) => answers.push(r),
          (e: Error) => failures.push(e.message),
        );
        await ctx.time.sleep(100);
      }
      await t.close();
    },
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("bounded under hostile input", () => {
  it("100,000 requests with distinct reply addresses, PINGs and unknown tokens: bounded, honest client served", async () => {
    const peaks: Peaks = {
      outboundPeers: 0,
      incomingPeers: 0,
      queued: 0,
      monitorAddresses: 0,
      served: 0,
      evicted: 0,
    };
    const answers: number[] = [];
    const failures: string[] = [];
    const report = await new SimulationBuilder()
      .processes(1, () => boundedServer(peaks, null))
      .workload(hostileClient(100_000))
      .workload(honestClient(answers, failures))
      .seeds([1])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(peaks.served).toBeGreaterThanOrEqual(100_000);
    // Defaults: 256 outbound peers, 1000 queued unreliable frames, 4096 monitor addresses.
    expect(peaks.outboundPeers).toBeLessThanOrEqual(256);
    expect(peaks.evicted).toBeGreaterThan(90_000);
    expect(peaks.queued).toBeLessThanOrEqual(1000 + 1000);
    expect(peaks.monitorAddresses).toBeLessThanOrEqual(4096);
    expect(failures).toEqual([]);
    expect(answers).toHaveLength(40);
  }, 120_000);

  it("2,000 idle connections: incoming peers stay bounded, honest client served", async () => {
    const peaks: Peaks = {
      outboundPeers: 0,
      incomingPeers: 0,
      queued: 0,
      monitorAddresses: 0,
      served: 0,
      evicted: 0,
    };
    const answers: number[] = [];
    const failures: string[] = [];
    let opened = 0;
    const hoarder: Workload = {
      name: "hoarder",
      async run(ctx) {
        const server = `${ctx.peer("server")}:${EXEC_PORT}`;
        const conns = [];
        await ctx.time.sleep(200); // the server is listening
        for (let i = 0; i < 20; i++) {
          const batch = Array.from({ length: 100 }, () => ctx.providers.network.connect(server));
          conns.push(...(await Promise.all(batch)));
        }
        opened = conns.length;
        await ctx.time.sleep(6_000);
        for (const c of conns) c.abort();
      },
    };
    const report = await new SimulationBuilder()
      .processes(1, () => boundedServer(peaks, { maxIncomingPeers: 512 }))
      .workload(hoarder)
      .workload(honestClient(answers, failures))
      .seeds([1])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(opened).toBe(2000);
    expect(peaks.incomingPeers).toBeLessThanOrEqual(512);
    expect(failures).toEqual([]);
    expect(answers).toHaveLength(40);
  }, 120_000);
});

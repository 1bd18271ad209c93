// Simulated devices: TCP throughput (bytes and messages per second of wall time and per
// simulated event), request/response round trips, and storage operations per second, all in the
// real executor.
import { DEFAULT_BUDGETS, runSeed } from "../../../packages/sim/src/engine/executor.ts";
import type {
  ActorFactory,
  SeedOutcome,
  SeedRunOptions,
  SimKernel,
} from "../../../packages/sim/src/engine/kernel.ts";
import { SimNetwork } from "../../../packages/sim/src/network/index.ts";
import { SimStorage } from "../../../packages/sim/src/storage/index.ts";
import type { BenchSuite } from "../harness.ts";

const options = (seed: number): SeedRunOptions => ({
  seed,
  hermetic: true,
  budgets: { ...DEFAULT_BUDGETS, virtualMs: 1e12, wallMs: 120_000 },
  onQuiescent: () => false,
  onTrace: () => {},
});

async function timed(
  seed: number,
  main: (kernel: SimKernel, actors: ActorFactory) => Promise<void>,
): Promise<{ outcome: SeedOutcome; seconds: number }> {
  const start = performance.now();
  const outcome = await runSeed(options(seed), main);
  const seconds = (performance.now() - start) / 1000;
  if (!outcome.ok) throw outcome.error;
  return { outcome, seconds };
}

/** One connection, `count` messages of `size` bytes, the reader keeping up. */
async function streamThroughput(count: number, size: number) {
  const { outcome, seconds } = await timed(1, async (kernel, actors) => {
    const net = new SimNetwork(kernel);
    const client = actors.createActor("client", "10.0.0.1");
    const server = actors.createActor("server", "10.0.1.1");
    const listener = await net.networkFor("10.0.1.1").listen("10.0.1.1:80");
    const conn = await net.networkFor("10.0.0.1").connect("10.0.1.1:80");
    const accepted = await listener.accept();
    const total = count * size;
    const reader = server.task.spawn("reader", async () => {
      let got = 0;
      while (got < total) got += (await accepted.read())?.length ?? 0;
    });
    const writer = client.task.spawn("writer", async () => {
      const message = new Uint8Array(size).fill(7);
      for (let i = 0; i < count; i++) await conn.write(message);
    });
    await writer.join();
    await reader.join();
  });
  const bytes = count * size;
  return {
    bytesPerSecond: bytes / seconds,
    messagesPerSecond: count / seconds,
    bytesPerEvent: bytes / outcome.events,
    messagesPerEvent: count / outcome.events,
    eventsPerSecond: outcome.events / seconds,
  };
}

/** Request/response round trips on one connection (each a write, a read, a write, a read). */
async function roundTrips(count: number) {
  const { outcome, seconds } = await timed(2, async (kernel, actors) => {
    const net = new SimNetwork(kernel);
    const client = actors.createActor("client", "10.0.0.1");
    const server = actors.createActor("server", "10.0.1.1");
    const listener = await net.networkFor("10.0.1.1").listen("10.0.1.1:80");
    const conn = await net.networkFor("10.0.0.1").connect("10.0.1.1:80");
    const accepted = await listener.accept();
    server.task.spawn("echo", async () => {
      for (let m = await accepted.read(); m; m = await accepted.read()) await accepted.write(m);
    });
    await client.task
      .spawn("ping", async () => {
        const ping = new Uint8Array(64);
        for (let i = 0; i < count; i++) {
          await conn.write(ping);
          await conn.read();
        }
      })
      .join();
    conn.abort();
  });
  return { perSecond: count / seconds, simulatedMs: outcome.simulatedMs };
}

/** `count` 4 KiB writes, a sync every 64 writes, then `count` 4 KiB reads. */
async function storageOps(count: number) {
  const { outcome, seconds } = await timed(3, async (kernel, actors) => {
    const disks = new SimStorage(kernel);
    const actor = actors.createActor("db", "10.0.1.1");
    await actor.task
      .spawn("io", async () => {
        const file = await disks
          .storageFor("10.0.1.1")
          .open("data", { read: true, write: true, create: true });
        const block = new Uint8Array(4096).fill(3);
        for (let i = 0; i < count; i++) {
          await file.write(i * 4096, block);
          if (i % 64 === 63) await file.sync();
        }
        for (let i = 0; i < count; i++) await file.read(i * 4096, 4096);
      })
      .join();
  });
  const ops = count * 2 + Math.floor(count / 64);
  return { opsPerSecond: ops / seconds, opsPerEvent: ops / outcome.events };
}

export default (async (r) => {
  // Warm the JIT up first, so the first figure is not a cold-start measurement.
  await streamThroughput(20_000, 100);
  await storageOps(2_000);
  const small = await streamThroughput(100_000, 100);
  r.figure("sim tcp 100 B messages: messages/s (wall)", small.messagesPerSecond, "msg/s");
  r.figure("sim tcp 100 B messages: bytes/s (wall)", small.bytesPerSecond, "B/s");
  r.figure("sim tcp 100 B messages: messages per simulated event", small.messagesPerEvent, "msg/event");
  r.figure("sim tcp 100 B messages: simulated events/s", small.eventsPerSecond, "events/s");

  const large = await streamThroughput(2_000, 32 * 1024);
  r.figure("sim tcp 32 KiB messages: bytes/s (wall)", large.bytesPerSecond, "B/s");
  r.figure("sim tcp 32 KiB messages: bytes per simulated event", large.bytesPerEvent, "B/event");
  r.figure("sim tcp 32 KiB messages: messages/s (wall)", large.messagesPerSecond, "msg/s");

  const rtt = await roundTrips(20_000);
  r.figure("sim tcp 64 B request/response round trips/s (wall)", rtt.perSecond, "rt/s");

  const disk = await storageOps(20_000);
  r.figure("sim storage 4 KiB ops/s (wall)", disk.opsPerSecond, "ops/s");
  r.figure("sim storage ops per simulated event", disk.opsPerEvent, "ops/event");
  r.ratio(
    "sim tcp bytes/s: 32 KiB vs 100 B messages",
    large.bytesPerSecond / small.bytesPerSecond,
    "throughput gain from larger writes (per-message overhead)",
  );
}) satisfies BenchSuite;

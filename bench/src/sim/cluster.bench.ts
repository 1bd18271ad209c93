// The wall-time cost of one hour of simulated cluster time: 5 echo processes and 5 clients
// (one workload) under full chaos (random network and storage faults, attrition reboots,
// buggify, correlated bursts) for the whole hour, through the public SimulationBuilder.
import type { Connection } from "@moonpool/core";
import { type SimContext, SimulationBuilder } from "@moonpool/sim";
import type { BenchSuite } from "../harness.ts";

const HOUR_MS = 3_600_000;
const PORT = 7000;
const MESSAGE_BYTES = 64;
const CLIENTS = 5;

/** Echoes every chunk back on each accepted connection until shutdown. */
async function echoServer(ctx: SimContext): Promise<void> {
  const listener = await ctx.network.listen(`${ctx.ip}:${PORT}`);
  const open = new Set<Connection>();
  const stop = (): void => {
    void listener.close();
    for (const c of open) c.abort();
  };
  ctx.shutdown.addEventListener("abort", stop, { once: true });
  for (;;) {
    const conn = await listener.accept().catch(() => null);
    if (conn === null) return;
    open.add(conn);
    ctx.task.spawn("echo", async () => {
      try {
        for (let chunk = await conn.read(); chunk; chunk = await conn.read()) await conn.write(chunk);
      } catch {
        // reset, crash or bit-flipped close: the client reconnects
      } finally {
        open.delete(conn);
        conn.abort();
      }
    });
  }
}

/** One request: connect (or reuse), write 64 bytes, read them back; false on any fault. */
async function roundTrip(ctx: SimContext, conn: Connection): Promise<boolean> {
  const message = new Uint8Array(MESSAGE_BYTES).fill(ctx.random.int(0, 255));
  await conn.write(message);
  let got = 0;
  while (got < MESSAGE_BYTES) {
    const chunk = await conn.read();
    if (chunk === null) return false;
    got += chunk.length;
  }
  return true;
}

interface Counts {
  ok: number;
  failed: number;
}

/** A client: until the hour is over, picks a server, sends a request every 50-150 ms. */
async function client(ctx: SimContext, counts: Counts): Promise<void> {
  const servers = ctx.peers().filter((p) => p.name.startsWith("echo"));
  const conns = new Map<string, Connection>();
  while (ctx.time.now() < HOUR_MS) {
    await ctx.time.sleep(ctx.random.int(50, 150));
    const target = servers[ctx.random.int(0, servers.length - 1)]!.ip;
    let conn = conns.get(target);
    try {
      if (conn === undefined) {
        conn = await ctx.time.timeout(1_000, ctx.network.connect(`${target}:${PORT}`));
        conns.set(target, conn);
      }
      const ok = await ctx.time.timeout(1_000, roundTrip(ctx, conn));
      if (ok) counts.ok++;
      else throw new Error("closed");
    } catch {
      counts.failed++;
      conn?.abort();
      conns.delete(target);
    }
  }
  for (const c of conns.values()) c.abort();
}

/** Runs one seed of the hour; returns its wall seconds, events and round-trip counts. */
async function clusterHour(seed: number) {
  const counts: Counts = { ok: 0, failed: 0 };
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .processes(5, () => ({ name: "echo", run: echoServer }), {
      locality: (i) => `dc1/zone${i % 2}/m${i}`,
    })
    .workload({
      name: "clients",
      async run(ctx) {
        const tasks = Array.from({ length: CLIENTS }, (_, i) =>
          ctx.task.spawn(`client-${i}`, () => client(ctx, counts)),
        );
        for (const t of tasks) await t.join();
      },
    })
    .chaos({
      network: "random",
      storage: "random",
      attrition: { maxDead: 1 },
      buggify: true,
      bursts: "random",
    })
    .chaosDuration(HOUR_MS)
    .runTimeBudget(HOUR_MS + 600_000)
    .wallClockBudget(120_000)
    .seeds([seed])
    .run();
  const row = report.seeds[0]!;
  if (!row.ok) throw new Error(`cluster hour, seed ${seed}, failed: ${report.format()}`);
  return { seconds: row.wallMs / 1000, simulatedMs: row.simulatedMs, events: row.events, ...counts };
}

export default (async (r) => {
  const warm = await clusterHour(1); // warm-up (JIT); also a second sample
  const run = await clusterHour(2);
  const seconds = (warm.seconds + run.seconds) / 2;
  r.figure("sim cluster: wall time per simulated hour (5 echo processes, full chaos)", seconds, "s");
  r.figure("sim cluster: simulated hour, events", run.events, "events");
  r.figure("sim cluster: simulated events/s (wall)", run.events / run.seconds, "events/s");
  r.figure("sim cluster: echo round trips acked per simulated hour", run.ok, "rt");
  r.figure("sim cluster: echo round trips failed by faults per simulated hour", run.failed, "rt");
  r.ratio(
    "sim cluster: simulated time / wall time",
    run.simulatedMs / 1000 / run.seconds,
    "one simulated hour of the 5-process echo cluster under full chaos",
  );
}) satisfies BenchSuite;

// The service inside a simulation: the same handler, store, fetch client and Redis client as on
// real TCP, under network and storage chaos, BUGGIFY and crashes of the web process. The workload
// checks every response against what it was acknowledged before.
import { always, sometimes } from "@moonpool/assertions";
import { type Process, type SimContext, SimulationBuilder, type Workload } from "@moonpool/sim";
import { Redis } from "ioredis";
import { startCacheServer } from "./cache-server.ts";
import { fetchWith, networkAgent } from "./client.ts";
import { serveHttp } from "./server.ts";
import { ItemStore } from "./store.ts";

export const HTTP_PORT = 80;
export const CACHE_PORT = 6379;

/** Knobs of the simulated service. */
export interface WebSimulationOptions {
  /** Concurrent clients (default 3). */
  readonly clients?: number;
  /** Length of the chaos window in virtual ms (default 3 s). */
  readonly chaosMs?: number;
  /** A bug to run with, on purpose (default none). */
  readonly bug?: "ack-before-sync" | undefined;
}

const cacheProcess: Process = {
  name: "cache",
  async run(ctx) {
    const server = startCacheServer(CACHE_PORT);
    await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
    server.close();
  },
};

const webProcess = (options: WebSimulationOptions): Process => ({
  name: "web",
  async run(ctx) {
    const store = await ItemStore.open(ctx.storage, ctx.time, { bug: options.bug });
    // An unmodified Redis client: its net.createConnection is this process's simulated network.
    const redis = new Redis({
      host: peerName(ctx, "cache"),
      port: CACHE_PORT,
      maxRetriesPerRequest: 1,
      connectTimeout: 500,
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    });
    redis.on("error", () => undefined);
    const server = await serveHttp(ctx.network, `${ctx.ip}:${HTTP_PORT}`, { store, visits: redis });
    ctx.trace("web_ready", { items: store.size });
    await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
    await server.close();
    redis.disconnect();
    await store.close();
  },
});

function peerName(ctx: SimContext, prefix: string): string {
  const peer = ctx.peers().find((p) => p.name.startsWith(prefix));
  if (!peer) throw new Error(`no ${prefix} process in this simulation`);
  return peer.name;
}

/** What a client was told about one of its own keys. */
interface Acked {
  value: string;
  version: number;
}

function clientsWorkload(options: WebSimulationOptions): Workload {
  const chaosMs = options.chaosMs ?? 3_000;
  return {
    name: "clients",
    async run(ctx) {
      const agent = networkAgent(ctx.network, { resolve: (host) => ctx.peer(host) });
      const fetch = fetchWith(agent);
      const base = `http://${peerName(ctx, "web")}:${HTTP_PORT}`;
      const loops = Array.from({ length: options.clients ?? 3 }, (_, c) =>
        ctx.task.spawn(`client c${c}`, async () => {
          const acked = new Map<string, Acked>();
          const written = new Map<string, Set<string>>();
          let lastVisits = 0;
          let n = 0;
          const request = async (path: string, init?: { method: string; body?: string }) => {
            const signal = AbortSignal.timeout(1_000);
            try {
              const res = await fetch(`${base}${path}`, { ...init, signal });
              return { status: res.status, body: (await res.json()) as Record<string, unknown> };
            } catch {
              return { status: 0, body: {} };
            }
          };
          const checkRead = async (key: string) => {
            const { status, body } = await request(`/items/${key}`);
            const mine = acked.get(key);
            if (status === 200) {
              const version = Number(body.version);
              always(
                written.get(key)?.has(String(body.value)) === true,
                "a read returns a value that was written",
                {
                  key,
                  value: String(body.value),
                },
              );
              always(mine === undefined || version >= mine.version, "an acknowledged write is never lost", {
                key,
                version,
                acked: mine?.version ?? 0,
              });
              if (mine && version === mine.version) {
                always(body.value === mine.value, "a version has one value", { key, version });
              }
            } else if (status === 404) {
              always(mine === undefined, "an acknowledged key never disappears", { key });
            }
            return status;
          };
          while (ctx.time.now() < chaosMs) {
            const key = `c${c}k${ctx.random.int(0, 4)}`;
            const roll = ctx.random.int(0, 10);
            if (roll < 5) {
              const value = `c${c}-${++n}`;
              const values = written.get(key) ?? new Set<string>();
              written.set(key, values);
              values.add(value);
              const { status, body } = await request(`/items/${key}`, { method: "PUT", body: value });
              if (status === 200) acked.set(key, { value, version: Number(body.version) });
              sometimes(status === 503, "the store was busy");
              ctx.trace("web_put", { client: c, key, status });
            } else if (roll < 9) {
              const status = await checkRead(key);
              ctx.trace("web_get", { client: c, key, status });
            } else {
              const { status, body } = await request("/visits", { method: "POST" });
              if (status === 200) {
                const visits = Number(body.visits);
                always(visits > lastVisits, "visits only grow", { visits, lastVisits });
                lastVisits = visits;
              }
              sometimes(status === 200, "the cache answered through ioredis");
            }
            await ctx.time.sleep(ctx.random.int(0, 50));
          }
          // After the chaos window every acknowledged write must read back.
          for (const key of acked.keys()) {
            while ((await checkRead(key)) !== 200) await ctx.time.sleep(200);
          }
        }),
      );
      for (const loop of loops) await loop.join();
      await agent.close();
    },
  };
}

/** The service as a simulation: a cache, a web process that crashes and reboots, and clients. */
export function webSimulation(options: WebSimulationOptions = {}): SimulationBuilder {
  return new SimulationBuilder()
    .processes(1, () => cacheProcess, { tags: { role: "cache" } })
    .processes(1, () => webProcess(options), { tags: { role: "web" } })
    .workload(() => clientsWorkload(options))
    .chaos({
      network: "random",
      storage: { syncFailureProbability: 0.01 },
      attrition: {
        maxDead: 1,
        tags: { role: "web" },
        weights: { graceful: 1, crash: 3, wipe: 0 },
        interval: { minMs: 500, maxMs: 1500 },
        restartDelay: { minMs: 100, maxMs: 500 },
      },
      buggify: true,
    })
    .chaosDuration(options.chaosMs ?? 3_000);
}

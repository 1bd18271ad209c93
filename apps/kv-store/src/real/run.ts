// The store on real TCP (127.0.0.1) and real disks: replicas as separate OS processes, clients
// in this one, a load for a few seconds, one replica crashed with SIGKILL and restarted halfway.
// The same `runReplica` and `KvClient` as in simulation, given `nodeProviders()`.

import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import type { KvBug } from "../bugs.ts";
import { checkHistory, type HistoryVerdict } from "../checks.ts";
import { KvClient } from "../client.ts";
import { HistoryRecorder } from "../history.ts";
import { freePort, type ReplicaProcess, startReplicaProcess } from "./replica-process.ts";

/** Knobs of the real run. */
export interface RealRunOptions {
  /** How long the clients run, in real ms (default 3000). */
  readonly durationMs?: number;
  readonly replicas?: number;
  readonly clients?: number;
  readonly keys?: number;
  readonly bug?: KvBug | undefined;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** Latency percentiles of one operation kind, in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

/** What the real run did. */
export interface RealRunResult {
  readonly wallMs: number;
  readonly ok: number;
  readonly unavailable: number;
  readonly opsPerSecond: number;
  readonly get: LatencySummary;
  readonly put: LatencySummary;
  /** Crashes (SIGKILL) and restarts of a replica. */
  readonly restarts: number;
  /** The same checks as in simulation, over the real history. */
  readonly verdict: HistoryVerdict;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = latencies.slice().sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** Runs the store on 127.0.0.1 with replicas as child processes (see the module comment). */
export async function runOnRealTcp(options: RealRunOptions = {}): Promise<RealRunResult> {
  const durationMs = options.durationMs ?? 3_000;
  const log = options.log ?? (() => {});
  const keys = Array.from({ length: options.keys ?? 8 }, (_, i) => `k${i}`);
  const root = await mkdtemp(join(tmpdir(), "moonpool-kv-"));
  const replicas: ReplicaProcess[] = [];
  const clients: KvClient[] = [];
  const history = new HistoryRecorder();
  const latencies = { get: [] as number[], put: [] as number[] };
  let ok = 0;
  let unavailable = 0;
  let restarts = 0;
  try {
    for (let i = 0; i < (options.replicas ?? 3); i++) {
      const dataDir = join(root, `replica${i}`);
      await mkdir(dataDir);
      const replica = await startReplicaProcess({
        name: `replica${i}`,
        port: await freePort(),
        dataDir,
        bug: options.bug,
      });
      log(`replica${i}: pid ${replica.pid}, listening on ${replica.address}, data in ${dataDir}`);
      replicas.push(replica);
    }
    const p = nodeProviders();
    const addresses = replicas.map((r) => r.address);
    for (let i = 0; i < (options.clients ?? 3); i++) {
      clients.push(
        await KvClient.connect(p, {
          name: `c${i}`,
          listen: "127.0.0.1:0",
          replicas: addresses,
          timeoutMs: 500,
          bug: options.bug,
        }),
      );
    }
    const started = performance.now();
    const deadline = started + durationMs;
    const loops = clients.map(async (client, i) => {
      let written = 0;
      while (performance.now() < deadline) {
        const key = keys[p.random.int(0, keys.length)]!;
        const input = p.random.bool(0.5)
          ? ({ op: "put", key, value: `c${i}-${++written}` } as const)
          : ({ op: "get", key } as const);
        const t0 = performance.now();
        const output = await history.run(`c${i}`, client, input);
        if (output === undefined) unavailable += 1;
        else {
          ok += 1;
          latencies[input.op].push(performance.now() - t0);
        }
      }
    });
    const crashAndRestart = (async () => {
      await new Promise((r) => setTimeout(r, durationMs / 2));
      const victim = replicas[1];
      if (!victim) return;
      const how = await victim.kill("SIGKILL");
      log(`replica1 crashed (${how}) at ${Math.round(performance.now() - started)} ms`);
      const again = await startReplicaProcess({
        name: victim.name,
        port: Number(victim.address.split(":")[1]),
        dataDir: victim.dataDir,
        bug: options.bug,
      });
      replicas[1] = again;
      restarts += 1;
      log(`replica1 restarted (pid ${again.pid}): recovered ${again.recoveredKeys} keys from its log`);
    })();
    await Promise.all([...loops, crashAndRestart]);
    const wallMs = performance.now() - started;
    return {
      wallMs,
      ok,
      unavailable,
      opsPerSecond: (ok / wallMs) * 1000,
      get: summarize(latencies.get),
      put: summarize(latencies.put),
      restarts,
      verdict: checkHistory(history.events),
    };
  } finally {
    for (const c of clients) await c.close();
    await Promise.all(replicas.map((r) => r.kill("SIGTERM")));
    await rm(root, { recursive: true, force: true });
  }
}

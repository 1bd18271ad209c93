// The replicated store inside a simulation: the same `runReplica` and `KvClient` as on real TCP,
// given each simulated process's providers, under network and storage chaos and crashes. The
// workload records every client's history; `check()` runs the linearizability checker over it.

import { sometimes } from "@moonpool/assertions";
import { type Process, type SimContext, SimulationBuilder, type Workload } from "@moonpool/sim";
import type { KvBug } from "./bugs.ts";
import { checkHistory } from "./checks.ts";
import { KvClient } from "./client.ts";
import { HistoryRecorder } from "./history.ts";
import { runReplica } from "./replica.ts";

/** Port every simulated replica listens on. */
export const REPLICA_PORT = 4800;

/** Knobs of the simulated store. */
export interface KvSimulationOptions {
  /** A bug to run with, on purpose (default: none, the correct store). */
  readonly bug?: KvBug | undefined;
  /** Replicas (default 3). */
  readonly replicas?: number;
  /** Concurrent clients (default 3). */
  readonly clients?: number;
  /** Keys the clients share (default 8). */
  readonly keys?: number;
  /** Most replicas down at once (default 2: a whole zone holding a majority). */
  readonly maxDead?: number;
  /** What attrition reboots together (default "zone": a zone's power outage). */
  readonly scope?: "process" | "machine" | "zone";
  /** Length of the chaos window in virtual ms (default 4 s); clients run until its end. */
  readonly chaosMs?: number;
  /** Log records between compactions (default 16, so compaction runs in every seed). */
  readonly compactEvery?: number;
}

const OP_TIMEOUT_MS = 500;
const FINAL_DEADLINE_MS = 60_000;

// Faults a replicated store must survive: slow and failing syncs, stalls, plus the crash model
// (unsynced writes may vanish). Corruption after a successful sync is left out.
const STORAGE_CHAOS = {
  syncFailureProbability: 0.002,
  stall: { probability: 0.002 },
  throttle: { probability: 0.002 },
};

function replicaProcess(options: KvSimulationOptions): Process {
  return {
    name: "replica",
    async run(ctx) {
      await runReplica(ctx.providers, {
        listen: `${ctx.ip}:${REPLICA_PORT}`,
        signal: ctx.shutdown,
        bug: options.bug,
        compactEvery: options.compactEvery ?? 16,
        onReady: (_address, recovery) =>
          ctx.trace("kv_replica_boot", { keys: recovery.keys, truncated: recovery.truncatedBytes }),
      });
    },
  };
}

function replicaAddresses(ctx: SimContext): string[] {
  return ctx
    .peers()
    .filter((p) => p.name.startsWith("replica"))
    .map((p) => `${p.ip}:${REPLICA_PORT}`);
}

/** Clients issuing random gets and puts through the chaos window, then a final read of every key. */
function clientsWorkload(options: KvSimulationOptions): Workload {
  const history = new HistoryRecorder();
  const chaosMs = options.chaosMs ?? 4_000;
  const keys = Array.from({ length: options.keys ?? 8 }, (_, i) => `k${i}`);
  return {
    name: "clients",
    async run(ctx) {
      const replicas = replicaAddresses(ctx);
      const clients = await Promise.all(
        Array.from({ length: options.clients ?? 3 }, (_, i) =>
          KvClient.connect(ctx.providers, {
            name: `c${i}`,
            listen: `${ctx.ip}:${4900 + i}`,
            replicas,
            timeoutMs: OP_TIMEOUT_MS,
            bug: options.bug,
          }),
        ),
      );
      const loops = clients.map((client, i) =>
        ctx.task.spawn(`client c${i}`, async () => {
          let written = 0;
          while (ctx.time.now() < chaosMs) {
            const key = ctx.random.pick(keys);
            const input = ctx.random.bool(0.5)
              ? ({ op: "put", key, value: `c${i}-${++written}` } as const)
              : ({ op: "get", key } as const);
            const output = await history.run(`c${i}`, client, input);
            ctx.trace("kv_op", {
              client: `c${i}`,
              op: input.op,
              key,
              outcome: output === undefined ? "unavailable" : "ok",
              value: input.op === "put" ? input.value : String(output?.value ?? null),
            });
            await ctx.time.sleep(ctx.random.int(0, 40));
          }
        }),
      );
      for (const loop of loops) await loop.join();
      // Quiet tail: faults have healed, so a majority must answer again; read every key once.
      const [first] = clients;
      if (first) {
        for (const key of keys) {
          for (;;) {
            const output = await history.run("final", first, { op: "get", key });
            if (output !== undefined) break;
            if (ctx.time.now() > chaosMs + FINAL_DEADLINE_MS)
              throw new Error(
                `no majority answered a read of ${key} within ${FINAL_DEADLINE_MS} ms after the chaos window`,
              );
            await ctx.time.sleep(250);
          }
        }
      }
      for (const client of clients) await client.close();
    },
    async check(ctx) {
      const verdict = checkHistory(history.events);
      ctx.trace("kv_history", { operations: verdict.operations, steps: verdict.steps, ok: verdict.ok });
      sometimes(
        history.events.some((e) => e.kind === "info"),
        "a write's outcome was unknown",
      );
      if (!verdict.ok) throw new Error(verdict.problem);
    },
  };
}

/**
 * The store as a simulation: `replicas` replica processes, one workload of `clients` concurrent
 * clients, network and storage chaos, crash and graceful reboots, BUGGIFY; the workload's
 * `check()` fails the seed when the history loses an acknowledged write or is not linearizable.
 */
export function kvSimulation(options: KvSimulationOptions = {}): SimulationBuilder {
  return (
    new SimulationBuilder()
      // Two zones, the first holding a majority: a zone's power outage crashes a majority at once,
      // the failure that fsync exists for.
      .processes(options.replicas ?? 3, () => replicaProcess(options), {
        locality: (i) => `dc/${i < Math.ceil((options.replicas ?? 3) / 2) ? "a" : "b"}/m${i}`,
      })
      .workload(() => clientsWorkload(options))
      .chaos({
        network: "random",
        storage: STORAGE_CHAOS,
        attrition: {
          maxDead: options.maxDead ?? 2,
          weights: { graceful: 1, crash: 3, wipe: 0 },
          interval: { minMs: 300, maxMs: 1500 },
          scope: options.scope ?? "zone",
          restartDelay: { minMs: 200, maxMs: 1500 },
        },
        buggify: true,
      })
      .chaosDuration(options.chaosMs ?? 4_000)
  );
}

// The counter cluster inside a simulation: the same `runCounterNode` and `CounterClient` as on
// real TCP, given a simulation context's providers instead of `nodeProviders()`.

import { sometimes } from "@moonpool/assertions";
import { type Process, SimulationBuilder, type TraceQuery, type Workload } from "@moonpool/sim";
import { AckLedger } from "./ackLedger.ts";
import { CounterClient, type CounterNodeRef, runCounterNode } from "./counterService.ts";
import type { Durability } from "./durableCounter.ts";

/** Port every simulated node listens on. */
export const NODE_PORT = 4600;

/** Knobs of the simulated counter cluster. */
export interface CounterSimulationOptions {
  /** Default `"fsync"` (correct); the other values are the buggy variants. */
  readonly durability?: Durability;
  /** Counter nodes (default 3). */
  readonly nodes?: number;
  /** Concurrent client loops in the workload (default 2). */
  readonly clients?: number;
  /** Length of the chaos window in virtual ms (default 6 s); clients run until its end. */
  readonly chaosMs?: number;
}

/** Figures of one seed, read from its trace by the invariant (for the demo's summary). */
export interface SeedFigures {
  acks: number;
  unacked: number;
  faults: number;
  reboots: number;
}

// Storage faults a single-copy counter can survive: latencies, stalls, throttling and failed
// syncs, plus the crash model (unsynced writes survive, vanish or tear). A disk that lies after a
// successful sync (phantom, corrupt or misdirected writes) needs replicas; it is left out here.
const STORAGE_CHAOS = {
  syncFailureProbability: 0.002,
  stall: { probability: 0.002 },
  throttle: { probability: 0.002 },
};

const INCREMENT_TIMEOUT_MS = 2_000;
const FINAL_DEADLINE_MS = 90_000;

function counterNode(durability: Durability): Process {
  return {
    name: "node",
    async run(ctx) {
      await runCounterNode(ctx.providers, {
        listen: `${ctx.ip}:${NODE_PORT}`,
        signal: ctx.shutdown,
        durability,
        onReady: (_address, recovered) => ctx.trace("counter_boot", { node: ctx.name, recovered }),
      });
    },
  };
}

function clientsWorkload(clients: number, chaosMs: number): Workload {
  return {
    name: "clients",
    async run(ctx) {
      const nodes: CounterNodeRef[] = ctx
        .peers()
        .filter((p) => p.name.startsWith("node"))
        .map((p) => ({ name: p.name, address: `${p.ip}:${NODE_PORT}` }));
      const connected = await Promise.all(
        Array.from({ length: clients }, (_, i) =>
          CounterClient.connect(ctx.providers, `client${i}`, `${ctx.ip}:${4700 + i}`, nodes),
        ),
      );
      const loops = connected.map((client, i) =>
        ctx.task.spawn(`client${i}`, async () => {
          while (ctx.time.now() < chaosMs) {
            const node = ctx.random.pick(nodes);
            const outcome = await client.increment(node.name, INCREMENT_TIMEOUT_MS);
            if (outcome.ok) {
              ctx.trace("counter_ack", { node: node.name, value: outcome.value, client: `client${i}` });
            } else {
              ctx.trace("counter_unacked", { node: node.name, reason: outcome.reason });
            }
            await ctx.time.sleep(ctx.random.int(0, 100));
          }
        }),
      );
      for (const loop of loops) await loop.join();
      // Quiet tail: faults have stopped, so every node must come back and keep counting above
      // everything it acknowledged (the invariant checks the uniqueness of these values too).
      const [first] = connected;
      if (!first) return;
      for (const node of nodes) {
        for (;;) {
          const outcome = await first.increment(node.name, INCREMENT_TIMEOUT_MS);
          if (outcome.ok) {
            ctx.trace("counter_ack", { node: node.name, value: outcome.value, client: "final" });
            break;
          }
          ctx.trace("counter_unacked", { node: node.name, reason: outcome.reason });
          if (ctx.time.now() > chaosMs + FINAL_DEADLINE_MS) {
            throw new Error(
              `${node.name} did not answer within ${FINAL_DEADLINE_MS} ms after the chaos window`,
            );
          }
          await ctx.time.sleep(500);
        }
      }
      for (const client of connected) await client.close();
    },
  };
}

/**
 * The counter cluster as a simulation: `nodes` counter processes, one workload of `clients`
 * concurrent client loops, network and storage chaos, crash and graceful reboots, BUGGIFY, and
 * the invariant "no node acknowledges a value twice". `figures` (optional) collects per-seed
 * counts, in seed order.
 */
export function counterSimulation(
  options: CounterSimulationOptions = {},
  figures?: SeedFigures[],
): SimulationBuilder {
  const durability = options.durability ?? "fsync";
  const chaosMs = options.chaosMs ?? 6_000;
  const ledgers = new WeakMap<TraceQuery, { ledger: AckLedger; figures: SeedFigures }>();
  const cursor = {};
  return new SimulationBuilder()
    .processes(options.nodes ?? 3, () => counterNode(durability))
    .workload(() => clientsWorkload(options.clients ?? 2, chaosMs))
    .invariant("a node never acknowledges the same value twice", (trace) => {
      let seed = ledgers.get(trace);
      if (!seed) {
        seed = { ledger: new AckLedger(), figures: { acks: 0, unacked: 0, faults: 0, reboots: 0 } };
        ledgers.set(trace, seed);
        figures?.push(seed.figures);
      }
      for (const e of trace.since("counter_ack", cursor)) {
        const f = e.fields as { node: string; value: number; client: string };
        const violation = seed.ledger.record(f.node, Number(f.value), f.client);
        if (violation !== null) throw new Error(violation);
      }
      seed.figures.acks = seed.ledger.acks;
      seed.figures.unacked = trace.count("counter_unacked");
      seed.figures.faults = trace.count("sim_fault");
      seed.figures.reboots = trace.count("process_reboot");
      sometimes(seed.figures.reboots > 0, "a node rebooted");
    })
    .chaos({
      network: "random",
      storage: STORAGE_CHAOS,
      attrition: {
        maxDead: 1,
        weights: { graceful: 1, crash: 3, wipe: 0 },
        interval: { minMs: 500, maxMs: 3000 },
      },
      buggify: true,
    })
    .chaosDuration(chaosMs);
}

// The counter cluster on real TCP (127.0.0.1) and a real disk: the same `runCounterNode` and
// `CounterClient` as in simulation, given `nodeProviders()`.

import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import { AckLedger } from "./ackLedger.ts";
import { CounterClient, type CounterNodeRef, runCounterNode } from "./counterService.ts";
import type { Durability } from "./durableCounter.ts";

/** Knobs of the real run. */
export interface RealRunOptions {
  /** How long the clients run, in real ms (default 3000). */
  readonly durationMs?: number;
  readonly nodes?: number;
  readonly clients?: number;
  readonly durability?: Durability;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** What the real run did. */
export interface RealRunResult {
  readonly acks: number;
  readonly unacked: number;
  readonly wallMs: number;
  /** Planned graceful restarts (one node, halfway). */
  readonly restarts: number;
  /** Safety violations seen (a value acknowledged twice). */
  readonly violations: readonly string[];
}

interface RunningNode {
  readonly name: string;
  readonly dataDir: string;
  address: string;
  stop: AbortController;
  done: Promise<void>;
}

async function startNode(
  name: string,
  dataDir: string,
  listen: string,
  durability: Durability,
): Promise<RunningNode & { recovered: number }> {
  const stop = new AbortController();
  let ready!: (v: { address: string; recovered: number }) => void;
  const readyP = new Promise<{ address: string; recovered: number }>((r) => {
    ready = r;
  });
  const done = runCounterNode(nodeProviders({ dataDir }), {
    listen,
    signal: stop.signal,
    durability,
    onReady: (address, recovered) => ready({ address, recovered }),
  });
  const { address, recovered } = await Promise.race([
    readyP,
    done.then(() => {
      throw new Error(`${name} stopped before it was ready`);
    }),
  ]);
  return { name, dataDir, address, stop, done, recovered };
}

/**
 * Runs `nodes` counter nodes and `clients` client loops in this process on 127.0.0.1 for
 * `durationMs`, restarting one node halfway on the same port and data directory.
 */
export async function runOnRealTcp(options: RealRunOptions = {}): Promise<RealRunResult> {
  const durationMs = options.durationMs ?? 3_000;
  const durability = options.durability ?? "fsync";
  const log = options.log ?? (() => {});
  const root = await mkdtemp(join(tmpdir(), "moonpool-demo-"));
  const started = performance.now();
  const ledger = new AckLedger();
  const violations: string[] = [];
  let unacked = 0;
  const nodes: RunningNode[] = [];
  const clients: CounterClient[] = [];
  try {
    for (let i = 0; i < (options.nodes ?? 3); i++) {
      const dataDir = join(root, `node-${i}`);
      await mkdir(dataDir);
      const node = await startNode(`node-${i}`, dataDir, "127.0.0.1:0", durability);
      log(`node-${i} listening on ${node.address} (data in ${dataDir})`);
      nodes.push(node);
    }
    const refs: CounterNodeRef[] = nodes.map((n) => ({ name: n.name, address: n.address }));
    const p = nodeProviders();
    for (let i = 0; i < (options.clients ?? 2); i++) {
      clients.push(await CounterClient.connect(p, `client${i}`, "127.0.0.1:0", refs));
    }
    const deadline = started + durationMs;
    const loops = clients.map(async (client, i) => {
      while (performance.now() < deadline) {
        const node = refs[p.random.int(0, refs.length)];
        if (!node) break;
        const outcome = await client.increment(node.name, 1_000);
        if (!outcome.ok) {
          unacked += 1;
          continue;
        }
        const violation = ledger.record(node.name, outcome.value, `client${i}`);
        if (violation !== null) violations.push(violation);
      }
    });
    // Halfway: stop node-1 and start it again on the same port and directory.
    let restarts = 0;
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, durationMs / 2));
      const old = nodes[1];
      if (!old) return;
      old.stop.abort();
      await old.done;
      const again = await startNode(old.name, old.dataDir, old.address, durability);
      nodes[1] = again;
      restarts += 1;
      log(
        `${old.name} restarted: recovered ${again.recovered} from disk (highest value it had acknowledged: ${ledger.maxAcked(old.name)})`,
      );
    })();
    await Promise.all([...loops, restart]);
    return { acks: ledger.acks, unacked, wallMs: performance.now() - started, restarts, violations };
  } finally {
    for (const c of clients) await c.close();
    for (const n of nodes) n.stop.abort();
    await Promise.allSettled(nodes.map((n) => n.done));
    await rm(root, { recursive: true, force: true });
  }
}

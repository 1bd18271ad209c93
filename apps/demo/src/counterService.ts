// The service of the demo, written once against `Providers`: a cluster of durable counter nodes
// reached over @moonpool/transport RPC. Each node hands out strictly increasing values and must
// never hand out the same value twice, even across crashes: a value is persisted (and synced)
// before the reply that acknowledges it. Nothing here knows whether it runs on real TCP and disk
// (`nodeProviders()`) or inside a simulation.

import type { Providers } from "@moonpool/core";
import { NetworkAddress } from "@moonpool/core";
import { isMaybeDelivered, NetTransport, ReplyError } from "@moonpool/transport";
import { Counter } from "./counterApi.service.ts";
import { type Durability, DurableCounter } from "./durableCounter.ts";

/** The RPC interface of a counter node (generated from the declaration in counterApi.ts). */
export { Counter };

/** Well-known token id of the counter interface on every node. */
export const COUNTER_SERVICE_ID = 10;

/** The file each node keeps its counter in. */
export const COUNTER_FILE = "counter.bin";

// The buggy "ack-before-persist" node flushes acknowledged values this long after the reply.
const FLUSH_DELAY_MS = 50;

/** How a counter node is started. */
export interface CounterNodeOptions {
  /** Address to listen on, e.g. `"127.0.0.1:0"` or `"10.0.1.1:4600"`. */
  readonly listen: string;
  /** Stops the node: it stops serving, closes its transport and its file. */
  readonly signal: AbortSignal;
  /** Default `"fsync"`; the other values are bugs on purpose (see {@link Durability}). */
  readonly durability?: Durability;
  /** Called once listening, with the real address and the value recovered from storage. */
  readonly onReady?: (address: string, recovered: number) => void;
}

function abortedPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/**
 * Runs one counter node until `options.signal` aborts. `serve()` handles a method's requests one
 * at a time, so `issued` (the highest value handed out) needs no lock.
 */
export async function runCounterNode(p: Providers, options: CounterNodeOptions): Promise<void> {
  const durability = options.durability ?? "fsync";
  const counter = await DurableCounter.open(p.storage, COUNTER_FILE);
  let issued = counter.value;
  let flushPending = false;
  const scheduleFlush = (): void => {
    if (flushPending) return;
    flushPending = true;
    p.task.spawn("counter flush", async () => {
      try {
        await p.time.sleep(FLUSH_DELAY_MS);
        flushPending = false;
        await counter.persist(issued, true);
      } catch {
        flushPending = false; // closed while flushing: the node is stopping
      }
    });
  };
  const transport = await NetTransport.listen(p, { localAddress: options.listen });
  const handle = Counter.wellKnown(transport, COUNTER_SERVICE_ID).serve({
    increment: async () => {
      const next = issued + 1;
      switch (durability) {
        case "fsync":
          await counter.persist(next, true); // durable before anyone hears of it
          break;
        case "no-fsync":
          await counter.persist(next, false); // BUG: the page cache is not the disk
          break;
        case "ack-before-persist":
          // BUG: "write-behind": the reply leaves now, a flusher persists it a little later.
          scheduleFlush();
          break;
      }
      issued = next;
      return { value: next };
    },
  });
  options.onReady?.(transport.localAddress.toString(), counter.value);
  await abortedPromise(options.signal);
  await handle.stop();
  await transport.close();
  await counter.close();
}

/** A node as a client sees it. */
export interface CounterNodeRef {
  readonly name: string;
  readonly address: string;
}

/** The outcome of one increment: acknowledged with a value, or not (the value may or may not exist). */
export type IncrementOutcome =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: string };

/**
 * A client of the counter cluster: one transport, one RPC stub per node. A node that restarts
 * is reached again through the same stubs (the transport never marks a well-known interface's
 * methods permanently failed).
 */
export class CounterClient {
  readonly #name: string;
  readonly #transport: NetTransport;
  readonly #stubs: Map<string, ReturnType<typeof Counter.clientWellKnown>>;

  private constructor(name: string, transport: NetTransport, nodes: readonly CounterNodeRef[]) {
    this.#name = name;
    this.#transport = transport;
    this.#stubs = new Map(
      nodes.map((n) => [
        n.name,
        Counter.clientWellKnown(transport, NetworkAddress.parse(n.address), COUNTER_SERVICE_ID),
      ]),
    );
  }

  /** Listens on `listen` (replies come back to it) and prepares stubs for `nodes`. */
  static async connect(
    p: Providers,
    name: string,
    listen: string,
    nodes: readonly CounterNodeRef[],
  ): Promise<CounterClient> {
    return new CounterClient(name, await NetTransport.listen(p, { localAddress: listen }), nodes);
  }

  /** One at-most-once increment on `node`; any failure is "not acknowledged". */
  async increment(node: string, timeoutMs: number): Promise<IncrementOutcome> {
    const stub = this.#stubs.get(node);
    if (!stub) throw new RangeError(`node: unknown counter node "${node}"`);
    try {
      const reply = await stub.increment.tryGetReply({ client: this.#name }, { timeoutMs });
      return { ok: true, value: Number(reply.value) };
    } catch (error) {
      if (isMaybeDelivered(error)) return { ok: false, reason: "MaybeDelivered" };
      if (error instanceof ReplyError) return { ok: false, reason: error.kind };
      return { ok: false, reason: error instanceof Error ? error.name : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }
}

// One replica of the store, written once against `Providers`: the same code serves real TCP
// and disk (`nodeProviders()`) and the simulated network and storage.

import type { Providers } from "@moonpool/core";
import { NetTransport } from "@moonpool/transport";
import type { KvBug } from "./bugs.ts";
import { DurableMap, type Recovery } from "./durable-map.ts";
import { KvReplica } from "./protocol.service.ts";
import { KV_REPLICA_ID } from "./protocol.ts";

/** The `ack-before-fsync` replica syncs its log this long after acknowledging. */
const LAZY_SYNC_MS = 250;
const OPEN_RETRY_MS = 100;

/** How a replica is started. */
export interface ReplicaOptions {
  /** Address to listen on, e.g. `"127.0.0.1:7001"` or `"10.0.1.1:4800"`. */
  readonly listen: string;
  /** Stops the replica: it stops serving and closes its transport and files. */
  readonly signal: AbortSignal;
  /** A bug to run with, on purpose (see {@link KvBug}); replicas act on the storage ones. */
  readonly bug?: KvBug | undefined;
  /** Log records between compactions (default 1024). */
  readonly compactEvery?: number | undefined;
  /** Called once listening, with the real address and what recovery found. */
  readonly onReady?: (address: string, recovery: Recovery) => void;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/**
 * Opens the durable map, retrying while the disk reports an I/O error (a failed sync during
 * recovery leaves nothing half-done: recovery only reads, cuts a torn tail and syncs). `null`
 * when the replica was stopped first.
 */
async function openRetrying(p: Providers, options: ReplicaOptions): Promise<DurableMap | null> {
  for (;;) {
    try {
      return await DurableMap.open(p.storage, {
        compactEvery: options.compactEvery,
        skipDirSync: options.bug === "snapshot-no-dirsync",
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "EIO") throw error;
      if (options.signal.aborted) return null;
      await p.time.sleep(OPEN_RETRY_MS);
    }
  }
}

/** Runs one replica until `options.signal` aborts. */
export async function runReplica(p: Providers, options: ReplicaOptions): Promise<void> {
  const map = await openRetrying(p, options);
  if (!map) return;
  const lazySync = options.bug === "ack-before-fsync";
  let syncScheduled = false;
  const scheduleSync = (): void => {
    if (syncScheduled) return;
    syncScheduled = true;
    p.task.spawn("kv lazy sync", async () => {
      try {
        await p.time.sleep(LAZY_SYNC_MS);
        syncScheduled = false;
        await map.sync();
      } catch {
        syncScheduled = false; // closed while syncing: the replica is stopping
      }
    });
  };
  const transport = await NetTransport.listen(p, { localAddress: options.listen });
  const handle = KvReplica.wellKnown(transport, KV_REPLICA_ID).serve({
    query: ({ key }) => map.get(key),
    store: async ({ key, version }) => {
      // BUG (ack-before-fsync): the record is only in the page cache when the reply leaves.
      await map.put(key, version, !lazySync);
      if (lazySync) scheduleSync();
      return { ok: true as const };
    },
  });
  options.onReady?.(transport.localAddress.toString(), map.recovery);
  await aborted(options.signal);
  await handle.stop();
  await transport.close();
  await map.close();
}

// The service's storage layer: an append-only log of JSON records on a StorageProvider, synced
// before a write is acknowledged and replayed at open. BUGGIFY makes it slow or busy at times,
// so the simulation exercises the handler's error paths (FoundationDB's way of testing them).
import { buggify, buggifyWithProb } from "@moonpool/chaos";
import { OpenOptions, type StorageFile, type StorageProvider, type TimeProvider } from "@moonpool/core";

const LOG = "items.log";

/** The store is busy right now (BUGGIFY or a failed sync): nothing was written; retry. */
export class StoreBusyError extends Error {
  override readonly name = "StoreBusyError";
}

/** Store options; `bug` plants a known bug on purpose (the simulation must find it). */
export interface ItemStoreOptions {
  /** `"ack-before-sync"`: acknowledge writes without syncing them (a crash loses them). */
  readonly bug?: "ack-before-sync" | undefined;
}

/** One item and the version its last write gave it. */
export interface Item {
  readonly value: string;
  readonly version: number;
}

/** A durable map of items: every acknowledged `put` survives a crash. */
export class ItemStore {
  readonly #file: StorageFile;
  readonly #time: TimeProvider;
  readonly #items: Map<string, Item>;
  #size: number;
  /** Writes are appended one at a time (a simple log has one tail). */
  #tail: Promise<void> = Promise.resolve();
  readonly #skipSync: boolean;

  private constructor(
    file: StorageFile,
    time: TimeProvider,
    items: Map<string, Item>,
    size: number,
    options: ItemStoreOptions,
  ) {
    this.#skipSync = options.bug === "ack-before-sync";
    this.#file = file;
    this.#time = time;
    this.#items = items;
    this.#size = size;
  }

  /** Opens (or creates) the log and replays it; a torn last record (a crash mid-append) is cut off. */
  static async open(
    storage: StorageProvider,
    time: TimeProvider,
    options: ItemStoreOptions = {},
  ): Promise<ItemStore> {
    const created = !(await storage.exists(LOG));
    const file = await storage.open(LOG, OpenOptions.openOrCreate);
    if (created) await storage.syncDir("");
    const size = await file.size();
    const text = new TextDecoder().decode(await file.read(0, size));
    const items = new Map<string, Item>();
    let valid = 0;
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf("\n", start);
      if (end < 0) break;
      try {
        const record = JSON.parse(text.slice(start, end)) as { key: string; value: string; version: number };
        items.set(record.key, { value: record.value, version: record.version });
      } catch {
        break;
      }
      valid = Buffer.byteLength(text.slice(0, end + 1));
      start = end + 1;
    }
    if (valid < size) await file.truncate(valid);
    return new ItemStore(file, time, items, valid, options);
  }

  get(key: string): Item | undefined {
    return this.#items.get(key);
  }

  /** Number of items. */
  get size(): number {
    return this.#items.size;
  }

  /** Appends and syncs the new value, then applies it; rejects with StoreBusyError when not written. */
  put(key: string, value: string): Promise<Item> {
    const result = this.#tail.then(() => this.#append(key, value));
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async #append(key: string, value: string): Promise<Item> {
    if (buggify("web.store.busy")) throw new StoreBusyError("store busy (buggify)");
    if (buggifyWithProb(0.5, "web.store.slow")) await this.#time.sleep(20);
    const version = (this.#items.get(key)?.version ?? 0) + 1;
    const bytes = new TextEncoder().encode(`${JSON.stringify({ key, value, version })}\n`);
    const offset = this.#size;
    try {
      await this.#file.write(offset, bytes);
      if (!this.#skipSync) await this.#file.sync();
    } catch (error) {
      // Unsynced bytes may or may not survive: cut them so the log stays what we acknowledged.
      await this.#file.truncate(offset).catch(() => undefined);
      throw new StoreBusyError(`store write failed: ${(error as Error).message}`);
    }
    this.#size = offset + bytes.length;
    const item = { value, version };
    this.#items.set(key, item);
    return item;
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#file.close();
  }
}

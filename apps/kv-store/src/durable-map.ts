// A replica's durable state: the newest version of each key, kept in a write-ahead log and a
// snapshot. Every change is appended to the log as a checksummed record; recovery replays the
// snapshot, then the log's valid prefix, and cuts a torn tail. When the log grows long it is
// compacted: "write tmp, sync tmp, rename tmp to snapshot, sync the directory, truncate the log"
// (the directory sync is what makes the rename survive a crash).

import type { StorageFile, StorageProvider } from "@moonpool/core";
import { crc32c } from "@moonpool/transport";
import { compareTimestamps, type Versioned, ZERO } from "./protocol.ts";

/** File names inside a replica's storage root. */
export const LOG_FILE = "kv.log";
export const SNAPSHOT_FILE = "kv.snap";
const SNAPSHOT_TMP = "kv.snap.tmp";

// Record: [payload length u32 LE][crc32c of the payload u32 LE][payload: JSON {k, n, w, v}].
const HEADER = 8;
const MAX_RECORD = 1 << 20;

interface Entry {
  readonly key: string;
  readonly version: Versioned;
}

function encodeRecord(entry: Entry): Uint8Array {
  const { key, version } = entry;
  const payload = new TextEncoder().encode(
    JSON.stringify({ k: key, n: version.ts.n, w: version.ts.w, v: version.value }),
  );
  const record = new Uint8Array(HEADER + payload.byteLength);
  const view = new DataView(record.buffer);
  view.setUint32(0, payload.byteLength, true);
  view.setUint32(4, crc32c(payload), true);
  record.set(payload, HEADER);
  return record;
}

/** The valid records at the start of `bytes` and where the valid prefix ends. */
export function decodeRecords(bytes: Uint8Array): { entries: Entry[]; validEnd: number } {
  const entries: Entry[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + HEADER <= bytes.byteLength) {
    const length = view.getUint32(offset, true);
    if (length === 0 || length > MAX_RECORD || offset + HEADER + length > bytes.byteLength) break;
    const payload = bytes.subarray(offset + HEADER, offset + HEADER + length);
    if (crc32c(payload) !== view.getUint32(offset + 4, true)) break;
    let parsed: { k: string; n: number; w: string; v: string | null };
    try {
      parsed = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      break;
    }
    entries.push({ key: parsed.k, version: { ts: { n: parsed.n, w: parsed.w }, value: parsed.v } });
    offset += HEADER + length;
  }
  return { entries, validEnd: offset };
}

async function readAll(file: StorageFile): Promise<Uint8Array> {
  return file.read(0, await file.size());
}

/** How a durable map is opened. */
export interface DurableMapOptions {
  /** Compact once the log holds this many records (default 1024). */
  readonly compactEvery?: number | undefined;
  /** Skip the directory sync after the snapshot rename (the `snapshot-no-dirsync` bug). */
  readonly skipDirSync?: boolean;
}

interface ResolvedOptions {
  readonly compactEvery: number;
  readonly skipDirSync: boolean;
}

/** What recovery found, for logs and traces. */
export interface Recovery {
  readonly keys: number;
  readonly logRecords: number;
  readonly snapshotRecords: number;
  /** Bytes cut from the end of the log (a torn or unsynced tail). */
  readonly truncatedBytes: number;
}

/**
 * The newest version of every key, durable through a `StorageProvider` (real disk or simulated).
 * Writes are serialized by the caller (one store at a time).
 */
export class DurableMap {
  readonly #storage: StorageProvider;
  readonly #options: ResolvedOptions;
  readonly #entries = new Map<string, Versioned>();
  #log: StorageFile;
  #logEnd: number;
  #logRecords: number;
  readonly recovery: Recovery;

  private constructor(
    storage: StorageProvider,
    options: ResolvedOptions,
    log: StorageFile,
    logEnd: number,
    recovery: Recovery,
  ) {
    this.#storage = storage;
    this.#options = options;
    this.#log = log;
    this.#logEnd = logEnd;
    this.#logRecords = recovery.logRecords;
    this.recovery = recovery;
  }

  /** Opens (or creates) the map in `storage`'s root and recovers it. */
  static async open(storage: StorageProvider, options: DurableMapOptions = {}): Promise<DurableMap> {
    const compactEvery = options.compactEvery ?? 1024;
    if (!Number.isSafeInteger(compactEvery) || compactEvery < 1)
      throw new RangeError(`options.compactEvery: expected a positive integer, got ${compactEvery}`);
    const resolved: ResolvedOptions = { compactEvery, skipDirSync: options.skipDirSync ?? false };
    const entries: Entry[] = [];
    let snapshotRecords = 0;
    if (await storage.exists(SNAPSHOT_FILE)) {
      const snap = await storage.open(SNAPSHOT_FILE, { read: true });
      const decoded = decodeRecords(await readAll(snap));
      await snap.close();
      entries.push(...decoded.entries);
      snapshotRecords = decoded.entries.length;
    }
    if (await storage.exists(SNAPSHOT_TMP)) await storage.delete(SNAPSHOT_TMP);
    const created = !(await storage.exists(LOG_FILE));
    const log = await storage.open(LOG_FILE, { read: true, write: true, create: true });
    const bytes = await readAll(log);
    const decoded = decodeRecords(bytes);
    if (decoded.validEnd < bytes.byteLength) {
      await log.truncate(decoded.validEnd);
      await log.sync();
    }
    // A new file's name is durable only once its directory is synced.
    if (created) await storage.syncDir("");
    entries.push(...decoded.entries);
    const map = new DurableMap(storage, resolved, log, decoded.validEnd, {
      keys: 0,
      logRecords: decoded.entries.length,
      snapshotRecords,
      truncatedBytes: bytes.byteLength - decoded.validEnd,
    });
    for (const entry of entries) map.#adopt(entry.key, entry.version);
    (map.recovery as { keys: number }).keys = map.#entries.size;
    return map;
  }

  /** The newest version of `key` (`ZERO`, `null` when never written). */
  get(key: string): Versioned {
    return this.#entries.get(key) ?? { ts: ZERO, value: null };
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Appends `version` of `key` to the log; with `sync` it is durable when this resolves. The
   * in-memory view changes only after that, so a query never reports a version a crash could
   * still take back. Older versions are ignored.
   */
  async put(key: string, version: Versioned, sync: boolean): Promise<void> {
    if (compareTimestamps(version.ts, this.get(key).ts) <= 0) return;
    const record = encodeRecord({ key, version });
    await this.#log.write(this.#logEnd, record);
    this.#logEnd += record.byteLength;
    this.#logRecords += 1;
    if (sync) await this.#log.sync();
    this.#adopt(key, version);
    if (sync && this.#logRecords >= this.#options.compactEvery) await this.#compact();
  }

  /** Makes every appended record durable. */
  async sync(): Promise<void> {
    await this.#log.sync();
  }

  async close(): Promise<void> {
    await this.#log.close();
  }

  #adopt(key: string, version: Versioned): void {
    if (compareTimestamps(version.ts, this.get(key).ts) > 0) this.#entries.set(key, version);
  }

  async #compact(): Promise<void> {
    const tmp = await this.#storage.open(SNAPSHOT_TMP, {
      write: true,
      create: true,
      truncate: true,
    });
    const keys = [...this.#entries.keys()].sort();
    const records = keys.map((key) => encodeRecord({ key, version: this.get(key) }));
    const total = records.reduce((sum, r) => sum + r.byteLength, 0);
    const image = new Uint8Array(total);
    let offset = 0;
    for (const r of records) {
      image.set(r, offset);
      offset += r.byteLength;
    }
    await tmp.write(0, image);
    await tmp.sync();
    await tmp.close();
    await this.#storage.rename(SNAPSHOT_TMP, SNAPSHOT_FILE);
    if (!this.#options.skipDirSync) await this.#storage.syncDir("");
    await this.#log.truncate(0);
    await this.#log.sync();
    this.#logEnd = 0;
    this.#logRecords = 0;
  }
}

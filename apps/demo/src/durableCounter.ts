import { StorageError, type StorageFile, type StorageProvider } from "@moonpool/core";
import { crc32c } from "@moonpool/transport";

/**
 * How a counter node persists a value before acknowledging it.
 * - `"fsync"`: write, then `sync()`, then acknowledge (correct);
 * - `"no-fsync"`: write and acknowledge without ever syncing (bug: a crash loses or tears the
 *   write, so the node hands the same value out again);
 * - `"ack-before-persist"`: acknowledge first, persist a little later (bug: write-behind; a crash
 *   between the reply and the flush loses acknowledged values).
 */
export type Durability = "fsync" | "no-fsync" | "ack-before-persist";

/** The durabilities that are bugs on purpose. */
export const BUGGY_DURABILITIES: readonly Durability[] = ["no-fsync", "ack-before-persist"];

// Two slots, each in its own 512-byte sector, written alternately: a write torn by a crash only
// damages the slot it was writing, and the other slot still holds the previous synced value.
// Slot layout: [value u64 LE][crc32c of the value bytes u32 LE].
const SLOT_OFFSETS = [0, 512] as const;
const SLOT_SIZE = 12;

function encodeSlot(value: number): Uint8Array {
  const slot = new Uint8Array(SLOT_SIZE);
  const view = new DataView(slot.buffer);
  view.setBigUint64(0, BigInt(value), true);
  view.setUint32(8, crc32c(slot.subarray(0, 8)), true);
  return slot;
}

function decodeSlot(bytes: Uint8Array): number | null {
  if (bytes.byteLength < SLOT_SIZE) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8, true) !== crc32c(bytes.subarray(0, 8))) return null;
  return Number(view.getBigUint64(0, true));
}

// A failed directory sync (EIO) leaves the new name's durability unknown but the entry in place,
// so syncing again is the fix; only a disk that keeps failing fails the boot.
const SYNC_DIR_ATTEMPTS = 5;

async function syncDirRetrying(storage: StorageProvider, dir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storage.syncDir(dir);
    } catch (error) {
      if (!(error instanceof StorageError && error.code === "EIO") || attempt >= SYNC_DIR_ATTEMPTS)
        throw error;
    }
  }
}

/**
 * A counter kept in one file, written only through a `StorageProvider` (real disk or simulated).
 * `open` recovers the highest valid slot; `persist(v)` makes `v` the new value.
 */
export class DurableCounter {
  readonly #file: StorageFile;
  #value: number;

  private constructor(file: StorageFile, value: number) {
    this.#file = file;
    this.#value = value;
  }

  /**
   * Opens (or creates) the counter file `path` and recovers its value (0 when new). A new file's
   * name is made durable (`syncDir`) before any value is written, or a crash could lose the file
   * with every value acknowledged in it.
   */
  static async open(storage: StorageProvider, path: string): Promise<DurableCounter> {
    const existed = await storage.exists(path);
    const file = await storage.open(path, { read: true, write: true, create: true });
    if (!existed)
      await syncDirRetrying(storage, path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
    let value = 0;
    for (const offset of SLOT_OFFSETS) {
      const slot = decodeSlot(await file.read(offset, SLOT_SIZE));
      if (slot !== null && slot > value) value = slot;
    }
    return new DurableCounter(file, value);
  }

  /** The last value persisted (or recovered). */
  get value(): number {
    return this.#value;
  }

  /** Writes `value` into the slot it owns; with `sync`, returns only once it is durable. */
  async persist(value: number, sync: boolean): Promise<void> {
    const offset = SLOT_OFFSETS[value % 2] ?? 0;
    await this.#file.write(offset, encodeSlot(value));
    if (sync) await this.#file.sync();
    if (value > this.#value) this.#value = value;
  }

  async close(): Promise<void> {
    await this.#file.close();
  }
}

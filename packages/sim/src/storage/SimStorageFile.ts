import {
  isMisdirectedRead,
  isMisdirectedWrite,
  isPhantomWrite,
  misdirectedOffset,
  SECTOR_SIZE,
  type StorageOp,
  sectorsCorruptedOnRead,
  sectorsCorruptedOnWrite,
  shouldFailSync,
} from "@moonpool/chaos";
import { checkCount, InvalidArgumentError, StorageError, type StorageFile } from "@moonpool/core";
import { copyBytes } from "../network/internal/bytes.ts";
import { scheduleCompletion } from "./internal/completion.ts";
import type { Access } from "./internal/paths.ts";
import type { FileNode, OwnerDisk, SimStorage } from "./SimStorage.ts";

/** Sectors touched by `length` bytes at `offset`: [first, count]. */
function sectorSpan(offset: number, length: number): [number, number] {
  if (length <= 0) return [Math.floor(offset / SECTOR_SIZE), 0];
  const first = Math.floor(offset / SECTOR_SIZE);
  const last = Math.floor((offset + length - 1) / SECTOR_SIZE);
  return [first, last - first + 1];
}

/**
 * An open simulated file. Reads, writes, syncs and truncations complete after a simulated
 * latency (an engine event) and apply their effect, and their faults, at completion. A handle
 * opened before its owner crashed is dead: its in-flight operations never complete and new ones
 * reject with EBADF.
 */
export class SimStorageFile implements StorageFile {
  readonly path: string;
  readonly #storage: SimStorage;
  readonly #disk: OwnerDisk;
  readonly #node: FileNode;
  readonly #access: Access;
  readonly #incarnation: number;
  #closed = false;

  constructor(storage: SimStorage, disk: OwnerDisk, node: FileNode, path: string, access: Access) {
    this.#storage = storage;
    this.#disk = disk;
    this.#node = node;
    this.path = path;
    this.#access = access;
    this.#incarnation = disk.incarnation;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    try {
      checkCount("offset", offset);
      checkCount("length", length);
      this.#check("read");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#op("read", length, `read ${this.path}@${offset}+${length}`, () =>
      this.#completeRead(offset, length),
    );
  }

  write(offset: number, data: Uint8Array): Promise<void> {
    try {
      checkCount("offset", offset);
      if (!(data instanceof Uint8Array)) throw new InvalidArgumentError("data", "expected a Uint8Array");
      this.#check("write");
    } catch (error) {
      return Promise.reject(error);
    }
    const copy = copyBytes(data);
    return this.#op("write", copy.length, `write ${this.path}@${offset}+${copy.length}`, () =>
      this.#completeWrite(offset, copy),
    );
  }

  sync(): Promise<void> {
    try {
      this.#check(null);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#op("sync", 0, `sync ${this.path}`, () => {
      const storage = this.#storage;
      const cfg = storage.configFor(this.#disk.owner);
      if (storage.faultsOn() && shouldFailSync(cfg, storage.kernel.random, storage.multiplier())) {
        storage.fault("sync_failure", { owner: this.#disk.owner, path: this.path });
        throw new StorageError("EIO", "sync failed (simulated I/O error)", this.path);
      }
      // The data only: the file's name is durable once its directory is synced (POSIX).
      this.#node.image.sync();
    });
  }

  size(): Promise<number> {
    try {
      this.#check(null);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(this.#node.image.size);
  }

  truncate(length: number): Promise<void> {
    try {
      checkCount("length", length);
      this.#check("write");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#op("write", 0, `truncate ${this.path} to ${length}`, () =>
      this.#node.image.truncate(length),
    );
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #check(need: "read" | "write" | null): void {
    if (this.#closed) throw new StorageError("EBADF", "file is closed", this.path);
    if (this.#incarnation !== this.#disk.incarnation) {
      throw new StorageError("EBADF", "file handle was lost in a crash", this.path);
    }
    if (need === "read" && !this.#access.read)
      throw new StorageError("EBADF", "file not open for reading", this.path);
    if (need === "write" && !this.#access.write)
      throw new StorageError("EBADF", "file not open for writing", this.path);
  }

  /** Schedules the completion of one operation; a crash of the owner cancels it for good. */
  #op<T>(op: StorageOp, bytes: number, label: string, complete: () => T): Promise<T> {
    return scheduleCompletion(this.#storage, this.#disk, op, bytes, label, complete);
  }

  #completeRead(offset: number, length: number): Uint8Array {
    const storage = this.#storage;
    const image = this.#node.image;
    const n = Math.max(0, Math.min(length, image.size - offset));
    if (n === 0) return new Uint8Array(0);
    let at = offset;
    if (storage.faultsOn()) {
      const cfg = storage.configFor(this.#disk.owner);
      const rng = storage.kernel.random;
      const m = storage.multiplier();
      if (isMisdirectedRead(cfg, rng, m)) {
        at = misdirectedOffset(image.size, offset, n, rng, SECTOR_SIZE);
        storage.fault("misdirected_read", {
          owner: this.#disk.owner,
          path: this.path,
          offset,
          actual: at,
          length: n,
        });
      }
      const [first, count] = sectorSpan(at, n);
      for (const i of sectorsCorruptedOnRead(cfg, count, rng, m)) {
        image.markFaulty(first + i);
        storage.fault("read_corruption", { owner: this.#disk.owner, path: this.path, sector: first + i });
      }
    }
    const out = image.read(at, n);
    if (out.length === n) return out;
    // A misdirected read near the end of the file: pad as the device would return a full block.
    const padded = new Uint8Array(n);
    padded.set(out);
    return padded;
  }

  #completeWrite(offset: number, data: Uint8Array): void {
    const storage = this.#storage;
    const image = this.#node.image;
    if (data.length === 0) return;
    let at = offset;
    if (storage.faultsOn()) {
      const cfg = storage.configFor(this.#disk.owner);
      const rng = storage.kernel.random;
      const m = storage.multiplier();
      if (isPhantomWrite(cfg, rng, m)) {
        storage.fault("phantom_write", {
          owner: this.#disk.owner,
          path: this.path,
          offset,
          length: data.length,
        });
        return;
      }
      if (isMisdirectedWrite(cfg, rng, m)) {
        at = misdirectedOffset(image.size, offset, data.length, rng, SECTOR_SIZE);
        storage.fault("misdirected_write", {
          owner: this.#disk.owner,
          path: this.path,
          offset,
          actual: at,
          length: data.length,
        });
      }
      image.write(at, data);
      const [first, count] = sectorSpan(at, data.length);
      for (const i of sectorsCorruptedOnWrite(cfg, count, rng, m)) {
        image.markFaulty(first + i);
        storage.fault("write_corruption", { owner: this.#disk.owner, path: this.path, sector: first + i });
      }
      return;
    }
    image.write(at, data);
  }
}

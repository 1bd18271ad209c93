import { shouldFailSync } from "@moonpool/chaos";
import {
  checkStoragePath,
  InvalidArgumentError,
  type OpenOptions,
  StorageError,
  type StorageFile,
  type StorageProvider,
} from "@moonpool/core";
import { scheduleCompletion } from "./internal/completion.ts";
import { directoryKnown } from "./internal/metadata.ts";
import { checkOpenOptions } from "./internal/paths.ts";
import type { OwnerDisk, SimStorage } from "./SimStorage.ts";
import { SimStorageFile } from "./SimStorageFile.ts";

/** Runs `fn`, turning a synchronous throw into a rejection. */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * One owner's simulated disk as a `StorageProvider`. Namespace operations (open, exists, delete,
 * rename, list) take effect at once; as in POSIX, a create, rename or delete becomes durable when
 * its directory is synced (`syncDir`, both directories for a rename), never by a file's `sync()`;
 * until then a crash undoes it (see `unsyncedMetadataSurvivesCrash`). Directories are implicit:
 * one exists while it holds an entry. Data operations go through `SimStorageFile` with simulated
 * latency.
 */
export class SimStorageProvider implements StorageProvider {
  readonly owner: string;
  readonly #storage: SimStorage;
  readonly #disk: OwnerDisk;

  constructor(storage: SimStorage, disk: OwnerDisk) {
    this.#storage = storage;
    this.#disk = disk;
    this.owner = disk.owner;
  }

  open(path: string, options: OpenOptions): Promise<StorageFile> {
    return attempt(() => {
      checkStoragePath("path", path);
      const access = checkOpenOptions(options);
      const disk = this.#disk;
      let node = disk.namespace.get(path);
      if (node !== undefined && options.createNew)
        throw new StorageError("EEXIST", "file already exists", path);
      if (node === undefined) {
        if (!options.create && !options.createNew) throw new StorageError("ENOENT", "no such file", path);
        node = this.#storage.newFile(this.owner);
        disk.namespace.set(path, node);
        disk.recordMetadata({ kind: "create", path, node });
      } else if (options.truncate && node.image.size > 0) {
        node.image.truncate(0);
      }
      return new SimStorageFile(this.#storage, disk, node, path, access);
    });
  }

  exists(path: string): Promise<boolean> {
    return attempt(() => {
      checkStoragePath("path", path);
      return this.#disk.namespace.has(path);
    });
  }

  delete(path: string): Promise<void> {
    return attempt(() => {
      checkStoragePath("path", path);
      if (!this.#disk.namespace.delete(path)) throw new StorageError("ENOENT", "no such file", path);
      this.#disk.recordMetadata({ kind: "delete", path });
    });
  }

  rename(from: string, to: string): Promise<void> {
    return attempt(() => {
      checkStoragePath("from", from);
      checkStoragePath("to", to);
      const node = this.#disk.namespace.get(from);
      if (node === undefined) throw new StorageError("ENOENT", "no such file", from);
      if (from === to) return;
      this.#disk.namespace.delete(from);
      this.#disk.namespace.set(to, node);
      this.#disk.recordMetadata({ kind: "rename", from, to });
    });
  }

  syncDir(dir: string): Promise<void> {
    const disk = this.#disk;
    try {
      if (typeof dir !== "string") throw new InvalidArgumentError("dir", "expected a string");
      if (dir !== "") checkStoragePath("dir", dir);
      if (disk.namespace.has(dir)) throw new StorageError("ENOTDIR", "not a directory", dir);
      if (!directoryKnown(dir, disk.namespace, disk.metadataOps)) {
        throw new StorageError("ENOENT", "no such directory", dir);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const storage = this.#storage;
    return scheduleCompletion(storage, disk, "sync", 0, `syncDir ${dir === "" ? "/" : dir}`, () => {
      const cfg = storage.configFor(disk.owner);
      if (storage.faultsOn() && shouldFailSync(cfg, storage.kernel.random, storage.multiplier())) {
        storage.fault("sync_failure", { owner: disk.owner, path: dir });
        throw new StorageError("EIO", "directory sync failed (simulated I/O error)", dir);
      }
      disk.commitDir(dir);
    });
  }

  list(prefix: string): Promise<string[]> {
    return attempt(() => {
      if (typeof prefix !== "string") throw new InvalidArgumentError("prefix", "expected a string");
      if (prefix !== "") checkStoragePath("prefix", prefix, true);
      const found: string[] = [];
      for (const path of this.#disk.namespace.keys()) if (path.startsWith(prefix)) found.push(path);
      return found.sort();
    });
  }
}

import { constants, type Dirent } from "node:fs";
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InvalidArgumentError, StorageError } from "../errors.ts";
import type { OpenOptions, StorageFile, StorageProvider } from "../Storage.ts";
import { checkCount, checkStoragePath } from "../validate.ts";
import { toStorageError } from "./internal/systemErrors.ts";

/**
 * Files under one data directory, over `node:fs/promises`. Paths are relative, `/`-separated
 * (`"wal/0001.log"`); absolute paths and `..` segments are rejected so a path can never escape
 * the data directory. Parent directories are created as needed, so the namespace behaves like
 * the simulator's flat one. `syncDir(dir)` fsyncs `dir` and each directory above it up to the
 * data directory, so directories created on the way are durable too.
 *
 * @example
 * ```ts
 * const storage = new NodeStorageProvider("/var/lib/my-service");
 * const f = await storage.open("wal/0001.log", { read: true, write: true, create: true });
 * await f.write(0, new TextEncoder().encode("hello"));
 * await f.sync();              // the data is durable
 * await storage.syncDir("wal"); // and so is the name "wal/0001.log"
 * await f.close();
 * await storage.list("wal/"); // ["wal/0001.log"]
 * ```
 */
export class NodeStorageProvider implements StorageProvider {
  /** Absolute path of the data directory. */
  readonly root: string;

  constructor(dataDir: string) {
    if (typeof dataDir !== "string" || dataDir === "") {
      throw new InvalidArgumentError("dataDir", "expected a non-empty directory path");
    }
    this.root = resolve(dataDir);
  }

  async open(path: string, options: OpenOptions): Promise<StorageFile> {
    const full = this.#resolve("path", path);
    const flags = openFlags(options);
    try {
      if (options.create || options.createNew) await mkdir(dirname(full), { recursive: true });
      const handle = await open(full, flags, 0o644);
      return new NodeStorageFile(handle, path);
    } catch (error) {
      throw toStorageError(error, path);
    }
  }

  async exists(path: string): Promise<boolean> {
    const full = this.#resolve("path", path);
    try {
      return (await stat(full)).isFile();
    } catch (error) {
      const mapped = toStorageError(error, path);
      if (mapped.code === "ENOENT") return false;
      throw mapped;
    }
  }

  async delete(path: string): Promise<void> {
    const full = this.#resolve("path", path);
    try {
      await unlink(full);
    } catch (error) {
      throw toStorageError(error, path);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.#resolve("from", from);
    const target = this.#resolve("to", to);
    try {
      await stat(source); // ENOENT for a missing source, before creating any directory
      await mkdir(dirname(target), { recursive: true });
      await rename(source, target);
    } catch (error) {
      throw toStorageError(error, from);
    }
  }

  async list(prefix: string): Promise<string[]> {
    if (typeof prefix !== "string") throw new InvalidArgumentError("prefix", "expected a string");
    if (prefix !== "") checkStoragePath("prefix", prefix, true);
    // Only the directory that holds the prefix's last complete segment needs walking.
    const slash = prefix.lastIndexOf("/");
    const base = slash < 0 ? "" : prefix.slice(0, slash);
    const found: string[] = [];
    await walk(join(this.root, base), base, found);
    return found.filter((p) => p.startsWith(prefix)).sort();
  }

  async syncDir(dir: string): Promise<void> {
    const full = dir === "" ? this.root : this.#resolve("dir", dir);
    try {
      if (!(await stat(full)).isDirectory()) throw new StorageError("ENOTDIR", "not a directory", dir);
    } catch (error) {
      throw error instanceof StorageError ? error : toStorageError(error, dir);
    }
    // Windows cannot fsync a directory (NTFS journals its metadata itself).
    if (process.platform === "win32") return;
    for (let at = full; ; at = dirname(at)) {
      await fsyncDirectory(at, dir);
      if (at === this.root || dirname(at) === at) break;
    }
  }

  #resolve(argument: string, path: string): string {
    checkStoragePath(argument, path, false);
    return join(this.root, path);
  }
}

function openFlags(options: OpenOptions): number {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError("options", "expected OpenOptions, e.g. { read: true }");
  }
  const writable = options.write === true || options.append === true;
  if (!options.read && !writable) {
    throw new InvalidArgumentError("options", "open needs read, write or append access");
  }
  if ((options.create || options.createNew || options.truncate) && !writable) {
    throw new InvalidArgumentError("options", "create, createNew and truncate need write access");
  }
  let flags =
    options.read && writable ? constants.O_RDWR : writable ? constants.O_WRONLY : constants.O_RDONLY;
  if (options.createNew) flags |= constants.O_CREAT | constants.O_EXCL;
  else if (options.create) flags |= constants.O_CREAT;
  if (options.truncate) flags |= constants.O_TRUNC;
  // No O_APPEND: on Linux it makes positional writes append, which breaks write(offset, data).
  return flags;
}

async function fsyncDirectory(full: string, dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(full, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    throw toStorageError(error, dir);
  } finally {
    await handle?.close();
  }
}

async function walk(dir: string, relative: string, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw toStorageError(error, relative);
  }
  for (const entry of entries) {
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) await walk(join(dir, entry.name), path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/** An open file with positional I/O. */
class NodeStorageFile implements StorageFile {
  readonly #handle: FileHandle;
  readonly #path: string;
  #closed = false;

  constructor(handle: FileHandle, path: string) {
    this.#handle = handle;
    this.#path = path;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkCount("offset", offset);
    checkCount("length", length);
    const handle = this.#open();
    const out = new Uint8Array(length);
    let filled = 0;
    try {
      while (filled < length) {
        const { bytesRead } = await handle.read(out, filled, length - filled, offset + filled);
        if (bytesRead === 0) break; // end of file
        filled += bytesRead;
      }
    } catch (error) {
      throw toStorageError(error, this.#path);
    }
    return filled === length ? out : out.subarray(0, filled);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    checkCount("offset", offset);
    if (!(data instanceof Uint8Array)) throw new InvalidArgumentError("data", "expected a Uint8Array");
    const handle = this.#open();
    let written = 0;
    try {
      while (written < data.byteLength) {
        const { bytesWritten } = await handle.write(
          data,
          written,
          data.byteLength - written,
          offset + written,
        );
        written += bytesWritten;
      }
    } catch (error) {
      throw toStorageError(error, this.#path);
    }
  }

  async sync(): Promise<void> {
    try {
      await this.#open().sync();
    } catch (error) {
      throw toStorageError(error, this.#path);
    }
  }

  async size(): Promise<number> {
    try {
      return (await this.#open().stat()).size;
    } catch (error) {
      throw toStorageError(error, this.#path);
    }
  }

  async truncate(length: number): Promise<void> {
    checkCount("length", length);
    try {
      await this.#open().truncate(length);
    } catch (error) {
      throw toStorageError(error, this.#path);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#handle.close();
    } catch (error) {
      throw toStorageError(error, this.#path);
    }
  }

  #open(): FileHandle {
    if (this.#closed) throw new StorageError("EBADF", "file is closed", this.#path);
    return this.#handle;
  }
}

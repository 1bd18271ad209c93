/** How to open a file; mirrors Rust's and Node's open flags. */
export interface OpenOptions {
  read?: boolean;
  write?: boolean;
  /** Create the file if it does not exist. */
  create?: boolean;
  /** Create the file; fail with `EEXIST` if it exists. */
  createNew?: boolean;
  /** Truncate to zero length on open. */
  truncate?: boolean;
  /** Positional writes still write at their offset; `append` only sets the initial intent. */
  append?: boolean;
}

/**
 * Files with positional I/O. Paths are plain strings relative to the provider's root; in
 * simulation each process owns its own files.
 *
 * Durability follows POSIX: a file's `sync()` makes its data durable, not its name. Creates,
 * renames and deletes become durable when their directory is synced with `syncDir`, so an
 * atomic replace is "write tmp, sync tmp, rename tmp to final, syncDir of the directory", and a
 * new file is durable after its `sync()` and a `syncDir` of its directory.
 */
export interface StorageProvider {
  open(path: string, options: OpenOptions): Promise<StorageFile>;
  exists(path: string): Promise<boolean>;
  /** Rejects with `ENOENT` when the file does not exist. */
  delete(path: string): Promise<void>;
  /** Atomically replaces `to` with `from`; rejects with `ENOENT` when `from` does not exist. */
  rename(from: string, to: string): Promise<void>;
  /** Paths starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /**
   * Makes every create, rename and delete of an entry directly in directory `dir` durable (an
   * fsync of the directory): `""` is the root, `"wal"` a subdirectory. A rename between two
   * directories needs both synced. Rejects with `ENOENT` for a directory that does not exist and
   * `ENOTDIR` for a file.
   */
  syncDir(dir: string): Promise<void>;
}

/** An open file. */
export interface StorageFile {
  /** Up to `length` bytes at `offset`; shorter at end of file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Makes every completed write durable (the data, not the file's name: see `syncDir`). */
  sync(): Promise<void>;
  size(): Promise<number>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** Convenience presets for {@link OpenOptions}. */
export const OpenOptions = {
  readOnly: { read: true } as OpenOptions,
  readWrite: { read: true, write: true } as OpenOptions,
  createWrite: { read: true, write: true, create: true, truncate: true } as OpenOptions,
  createNew: { read: true, write: true, createNew: true } as OpenOptions,
  openOrCreate: { read: true, write: true, create: true } as OpenOptions,
} as const;

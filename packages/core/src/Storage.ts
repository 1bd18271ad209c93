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
}

/** An open file. */
export interface StorageFile {
  /** Up to `length` bytes at `offset`; shorter at end of file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Makes every completed write durable. */
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

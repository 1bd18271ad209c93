import { NetworkError, type NetworkErrorCode, StorageError, type StorageErrorCode } from "../../errors.ts";

// Node reports failures as system errors with a `code`; the providers rethrow them as core's
// NetworkError / StorageError with the same code, keeping the original as `cause`.

const NETWORK_CODES: ReadonlySet<string> = new Set<NetworkErrorCode>([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EADDRINUSE",
  "EADDRNOTAVAIL",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTCONN",
  "EHOSTUNREACH",
  "EINVAL",
]);

/** Codes outside core's set, folded onto the closest one. */
const NETWORK_ALIASES: Readonly<Record<string, NetworkErrorCode>> = {
  ENETUNREACH: "EHOSTUNREACH",
  ENOTFOUND: "EHOSTUNREACH",
  EAI_AGAIN: "EHOSTUNREACH",
  EAI_FAIL: "EHOSTUNREACH",
  ENETDOWN: "EHOSTUNREACH",
  EHOSTDOWN: "EHOSTUNREACH",
  EACCES: "EADDRNOTAVAIL",
  EPERM: "EADDRNOTAVAIL",
  ERR_STREAM_WRITE_AFTER_END: "EPIPE",
  ERR_STREAM_DESTROYED: "EPIPE",
  ERR_SOCKET_CLOSED: "EPIPE",
  ERR_SOCKET_BAD_PORT: "EINVAL",
  ERR_INVALID_ARG_VALUE: "EINVAL",
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  ECONNABORTED: "connection aborted",
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available",
  EPIPE: "broken pipe (the stream is closed for writing)",
  ETIMEDOUT: "timed out",
  ENOTCONN: "not connected",
  EHOSTUNREACH: "host unreachable",
  EINVAL: "invalid argument",
  ENOENT: "no such file",
  EEXIST: "file already exists",
  EIO: "input/output error",
  EBADF: "bad file handle",
  EISDIR: "is a directory",
  ENOSPC: "no space left on device",
};

/** `"connect: connection refused"`, keeping Node's syscall name and original code when they differ. */
function describe(error: unknown, code: string): string {
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  const raw = codeOf(error);
  const text = DESCRIPTIONS[code] ?? code;
  const prefix = typeof syscall === "string" ? `${syscall}: ` : "";
  const original = raw !== undefined && raw !== code ? ` [${raw}]` : "";
  return `${prefix}${text}${original}`;
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  error.cause = cause;
  return error;
}

/** Rethrows a Node socket error as a `NetworkError` (unknown codes become `ECONNRESET`). */
export function toNetworkError(error: unknown, address?: string): NetworkError {
  if (error instanceof NetworkError) return error;
  const raw = codeOf(error);
  const code: NetworkErrorCode =
    raw !== undefined && NETWORK_CODES.has(raw)
      ? (raw as NetworkErrorCode)
      : ((raw !== undefined ? NETWORK_ALIASES[raw] : undefined) ?? "ECONNRESET");
  return withCause(new NetworkError(code, describe(error, code), address), error);
}

const STORAGE_CODES: ReadonlySet<string> = new Set<StorageErrorCode>([
  "ENOENT",
  "EEXIST",
  "EIO",
  "EBADF",
  "EINVAL",
  "EISDIR",
  "ENOSPC",
]);

const STORAGE_ALIASES: Readonly<Record<string, StorageErrorCode>> = {
  ENOTDIR: "ENOENT", // a path component is a file: the path cannot exist
  EDQUOT: "ENOSPC",
  ENOTEMPTY: "EEXIST",
};

/** Rethrows a Node fs error as a `StorageError` with a path relative to the data dir. */
export function toStorageError(error: unknown, path: string): StorageError {
  if (error instanceof StorageError) return error;
  const raw = codeOf(error);
  const code: StorageErrorCode =
    raw !== undefined && STORAGE_CODES.has(raw)
      ? (raw as StorageErrorCode)
      : ((raw !== undefined ? STORAGE_ALIASES[raw] : undefined) ?? "EIO");
  return withCause(new StorageError(code, describe(error, code), path), error);
}

/**
 * Errors shared by every provider implementation. Network and storage errors carry the same
 * `code` strings Node uses (`err.code === "ECONNREFUSED"`), so code written for `node:net` and
 * `node:fs` keeps its error handling.
 */

/** `TimeProvider.timeout` elapsed before the work settled. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = "ETIMEDOUT";
  readonly ms: number;
  constructor(ms: number) {
    super(`operation timed out after ${ms} ms`);
    this.ms = ms;
  }
}

/** A task was aborted (or killed at the end of a simulation) before it finished. */
export class TaskCancelledError extends Error {
  override readonly name = "TaskCancelledError";
  readonly taskName: string;
  constructor(taskName: string, reason?: string) {
    super(`task "${taskName}" was cancelled${reason ? `: ${reason}` : ""}`);
    this.taskName = taskName;
  }
}

/** Node-style network error codes the providers produce. */
export type NetworkErrorCode =
  | "ECONNREFUSED"
  | "ECONNRESET"
  | "ECONNABORTED"
  | "EADDRINUSE"
  | "EADDRNOTAVAIL"
  | "EPIPE"
  | "ETIMEDOUT"
  | "ENOTCONN"
  | "EHOSTUNREACH"
  | "EINVAL";

/** A failed network operation; `code` says why, `address` says where. */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
  readonly code: NetworkErrorCode;
  readonly address: string | undefined;
  constructor(code: NetworkErrorCode, message: string, address?: string) {
    super(`${code}: ${message}${address ? ` (${address})` : ""}`);
    this.code = code;
    this.address = address;
  }
}

/** Node-style storage error codes the providers produce. */
export type StorageErrorCode =
  | "ENOENT"
  | "EEXIST"
  | "EIO"
  | "EBADF"
  | "EINVAL"
  | "EISDIR"
  | "ENOTDIR"
  | "ENOSPC";

/** A failed storage operation; `code` says why, `path` says where. */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code: StorageErrorCode;
  readonly path: string | undefined;
  constructor(code: StorageErrorCode, message: string, path?: string) {
    super(`${code}: ${message}${path !== undefined ? ` (${path})` : ""}`);
    this.code = code;
    this.path = path;
  }
}

/** A caller passed a value outside an API's domain. The message names the argument. */
export class InvalidArgumentError extends TypeError {
  override readonly name = "InvalidArgumentError";
  readonly code = "ERR_INVALID_ARG_VALUE";
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`invalid ${argument}: ${message}`);
    this.argument = argument;
  }
}

/** True when `error` is a `NetworkError` (or a Node system error) with one of `codes`. */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (codes.length === 0 || codes.includes(code));
}

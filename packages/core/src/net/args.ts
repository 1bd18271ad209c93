// Node's overloaded `net.connect(...)` / `server.listen(...)` argument forms, normalised.
import { InvalidArgumentError } from "../errors.ts";

/** Where a socket connects to, once Node's argument forms are resolved. */
export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly options: ConnectOptions;
  readonly listener: (() => void) | undefined;
}

/** The `net.connect` options the shim honours (others are accepted and ignored). */
export interface ConnectOptions {
  port?: number | string;
  host?: string;
  path?: string;
  timeout?: number;
  noDelay?: boolean;
  keepAlive?: boolean;
  allowHalfOpen?: boolean;
  signal?: AbortSignal;
  [other: string]: unknown;
}

/** Where a server listens, once Node's argument forms are resolved. */
export interface ListenTarget {
  readonly host: string | undefined;
  readonly port: number;
  readonly listener: (() => void) | undefined;
}

function toPort(value: unknown, fn: string): number {
  const port = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(
      "port",
      `${fn}: expected an integer port in 0..65535, got ${String(value)}`,
    );
  }
  return port;
}

function refusePath(path: unknown, fn: string): void {
  if (path !== undefined) {
    throw new InvalidArgumentError(
      "path",
      `${fn}: IPC/Unix socket paths are not supported (use host and port)`,
    );
  }
}

/** `connect(options[, cb])`, `connect(port[, host][, cb])`. */
export function connectTarget(fn: string, defaultHost: string, args: readonly unknown[]): ConnectTarget {
  const [first, second, third] = args;
  if (typeof first === "object" && first !== null) {
    const options = first as ConnectOptions;
    // node:http passes the request path along with a port; only a path alone means IPC.
    if (options.port === undefined) refusePath(options.path, fn);
    const listener = typeof second === "function" ? (second as () => void) : undefined;
    return { host: options.host || defaultHost, port: toPort(options.port, fn), options, listener };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) refusePath(first, fn);
  const host = typeof second === "string" && second !== "" ? second : defaultHost;
  const cb = typeof second === "function" ? second : third;
  const listener = typeof cb === "function" ? (cb as () => void) : undefined;
  return { host, port: toPort(first, fn), options: {}, listener };
}

/** `listen(options[, cb])`, `listen(port[, host][, backlog][, cb])`, `listen([cb])`. */
export function listenTarget(args: readonly unknown[]): ListenTarget {
  const cb = args.find((a) => typeof a === "function") as (() => void) | undefined;
  const [first, second] = args;
  if (typeof first === "object" && first !== null) {
    const options = first as { port?: unknown; host?: string; path?: string };
    refusePath(options.path, "server.listen");
    return { host: options.host, port: toPort(options.port ?? 0, "server.listen"), listener: cb };
  }
  if (first === undefined || typeof first === "function") return { host: undefined, port: 0, listener: cb };
  if (typeof first === "string" && !/^\d+$/.test(first)) refusePath(first, "server.listen");
  const host = typeof second === "string" ? second : undefined;
  return { host, port: toPort(first, "server.listen"), listener: cb };
}

/** `ip:port`, bracketing IPv6 hosts. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

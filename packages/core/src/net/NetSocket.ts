// A `net.Socket` look-alike over a NetworkProvider connection. `connect()` returns at once, as
// Node's does; writes made before the connection is up wait for it.
import { Duplex } from "node:stream";
import type { Connection, NetworkProvider } from "../Network.ts";
import { type ConnectOptions, connectTarget, joinHostPort } from "./args.ts";

/** What sockets and servers of one shim module share. */
export interface NetModuleState {
  readonly network: NetworkProvider;
  /** Maps a host name to the address the provider connects to. */
  resolve(host: string): string;
  /** Where `listen()` binds when no host is given (and for the wildcard hosts). */
  readonly listenHost: string;
}

/** The byte stream of an established connection (a provider's `toDuplex()`). */
type Inner = Duplex & {
  setTimeout?(ms: number): unknown;
  setNoDelay?(noDelay?: boolean): unknown;
  setKeepAlive?(enable?: boolean, delay?: number): unknown;
  address?(): unknown;
  remoteAddress?: string;
  remotePort?: number;
  remoteFamily?: string;
  localAddress?: string;
  localPort?: number;
};

type Pending = { chunk: unknown; encoding: BufferEncoding; callback: (error?: Error | null) => void };

/**
 * A `net.Socket`-compatible Duplex on a {@link NetworkProvider}: `connect(port, host)` (or an
 * options object), `'connect'`/`'ready'`/`'timeout'` events, `setTimeout`, `setNoDelay`,
 * `setKeepAlive`, `ref`/`unref`, `address()`, `remoteAddress`/`remotePort`, `destroySoon()`,
 * `resetAndDestroy()`, `connecting`, `pending`, `readyState`, `bytesRead`/`bytesWritten`.
 */
export class NetSocket extends Duplex {
  readonly #state: NetModuleState;
  #inner: Inner | null = null;
  #connecting = false;
  #pending: Pending[] = [];
  #finalPending: ((error?: Error | null) => void) | null = null;
  #timeoutMs = 0;
  #noDelay: boolean | undefined;
  #keepAlive: [boolean, number] | undefined;
  #bytesRead = 0;
  #bytesWritten = 0;

  constructor(state: NetModuleState, options: { allowHalfOpen?: boolean } = {}) {
    super({ allowHalfOpen: options.allowHalfOpen ?? false, emitClose: true, autoDestroy: true });
    this.#state = state;
  }

  /** A socket over an established connection (a server's accepted side). */
  static attached(state: NetModuleState, conn: Connection, allowHalfOpen: boolean): NetSocket {
    const socket = new NetSocket(state, { allowHalfOpen });
    socket.#attach(conn.toDuplex() as Inner);
    return socket;
  }

  /** `connect(port[, host][, listener])` or `connect(options[, listener])`. */
  connect(...args: unknown[]): this {
    const target = connectTarget("socket.connect", "localhost", args);
    if (this.#inner !== null || this.#connecting) {
      throw Object.assign(new Error("socket.connect: the socket is already connected or connecting"), {
        code: "ERR_SOCKET_CONNECTION_IN_PROGRESS",
      });
    }
    this.#applyOptions(target.options);
    if (target.listener) this.once("connect", target.listener);
    this.#connecting = true;
    const address = joinHostPort(this.#state.resolve(target.host), target.port);
    this.#state.network.connect(address).then(
      (conn) => {
        this.#connecting = false;
        if (this.destroyed) {
          conn.abort();
          return;
        }
        this.#attach(conn.toDuplex() as Inner);
        this.emit("connect");
        this.emit("ready");
      },
      (error: unknown) => {
        this.#connecting = false;
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return this;
  }

  #applyOptions(options: ConnectOptions): void {
    if (typeof options.timeout === "number") this.setTimeout(options.timeout);
    if (options.noDelay) this.setNoDelay(true);
    if (options.keepAlive) this.setKeepAlive(true);
    const signal = options.signal;
    if (signal) {
      const abort = () =>
        this.destroy(
          Object.assign(new Error("The operation was aborted"), { name: "AbortError", code: "ABORT_ERR" }),
        );
      if (signal.aborted) queueMicrotask(abort);
      else signal.addEventListener("abort", abort, { once: true });
    }
  }

  #attach(inner: Inner): void {
    this.#inner = inner;
    inner.on("data", (chunk: Buffer) => {
      this.#bytesRead += chunk.length;
      if (!this.push(chunk)) inner.pause();
    });
    let ended = false;
    inner.on("end", () => {
      ended = true;
      this.push(null);
    });
    inner.on("error", (error: Error) => this.destroy(error));
    // After a clean end autoDestroy closes us once our reader drains; otherwise the stream is gone.
    inner.on("close", () => {
      if (!ended && !this.destroyed) this.destroy();
    });
    inner.on("timeout", () => this.emit("timeout"));
    if (this.#timeoutMs > 0) inner.setTimeout?.(this.#timeoutMs);
    if (this.#noDelay !== undefined) inner.setNoDelay?.(this.#noDelay);
    if (this.#keepAlive !== undefined) inner.setKeepAlive?.(...this.#keepAlive);
    for (const p of this.#pending.splice(0)) this._write(p.chunk, p.encoding, p.callback);
    const final = this.#finalPending;
    this.#finalPending = null;
    if (final) this._final(final);
  }

  override _read(): void {
    this.#inner?.resume();
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const inner = this.#inner;
    if (inner === null) {
      this.#pending.push({ chunk, encoding, callback });
      return;
    }
    this.#bytesWritten += Buffer.isBuffer(chunk) ? chunk.length : Buffer.byteLength(String(chunk), encoding);
    inner.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const inner = this.#inner;
    if (inner === null) {
      this.#finalPending = callback;
      return;
    }
    inner.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const inner = this.#inner;
    if (inner !== null && !inner.destroyed) inner.destroy();
    for (const p of this.#pending.splice(0))
      p.callback(error ?? new Error("socket destroyed before it connected"));
    callback(error);
  }

  /** Idle timeout on the provider's clock; emits `'timeout'` (the socket stays open, as in Node). */
  setTimeout(ms: number, callback?: () => void): this {
    this.#timeoutMs = ms;
    if (callback) {
      if (ms === 0) this.off("timeout", callback);
      else this.once("timeout", callback);
    }
    this.#inner?.setTimeout?.(ms);
    return this;
  }

  setNoDelay(noDelay = true): this {
    this.#noDelay = noDelay;
    this.#inner?.setNoDelay?.(noDelay);
    return this;
  }

  setKeepAlive(enable = false, initialDelay = 0): this {
    this.#keepAlive = [enable, initialDelay];
    this.#inner?.setKeepAlive?.(enable, initialDelay);
    return this;
  }

  /** Accepted for compatibility: a provider's sockets never hold a process open by themselves. */
  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  /** Ends our side, then destroys the socket once the writes are flushed. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  /** Reset (RST) and destroy. */
  resetAndDestroy(): this {
    const inner = this.#inner as (Inner & { resetAndDestroy?(): unknown }) | null;
    if (inner?.resetAndDestroy) inner.resetAndDestroy();
    return this.destroy();
  }

  address(): { address: string; port: number; family: string } | Record<string, never> {
    return (this.#inner?.address?.() as { address: string; port: number; family: string } | undefined) ?? {};
  }

  get connecting(): boolean {
    return this.#connecting;
  }
  get pending(): boolean {
    return this.#inner === null;
  }
  get readyState(): "opening" | "open" | "readOnly" | "writeOnly" | "closed" {
    if (this.#connecting) return "opening";
    if (this.destroyed || this.#inner === null) return "closed";
    if (this.readable && this.writable) return "open";
    return this.readable ? "readOnly" : this.writable ? "writeOnly" : "closed";
  }
  get timeout(): number | undefined {
    return this.#timeoutMs > 0 ? this.#timeoutMs : undefined;
  }
  get bytesRead(): number {
    return this.#bytesRead;
  }
  get bytesWritten(): number {
    return this.#bytesWritten;
  }
  get remoteAddress(): string | undefined {
    return this.#inner?.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.#inner?.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.#inner?.remoteFamily;
  }
  get localAddress(): string | undefined {
    return this.#inner?.localAddress;
  }
  get localPort(): number | undefined {
    return this.#inner?.localPort;
  }
}

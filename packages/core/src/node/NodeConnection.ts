import type { Socket } from "node:net";
import { NetworkError } from "../errors.ts";
import type { Connection } from "../Network.ts";
import { formatAddress } from "./internal/formatAddress.ts";
import { toNetworkError } from "./internal/systemErrors.ts";

/**
 * A `Connection` over a connected `net.Socket` (opened with `allowHalfOpen`, so a graceful close
 * only ends our direction). Reads pull from the socket in paused mode: while nobody reads, the
 * socket buffer fills and Node stops reading from the kernel, so a slow reader slows the sender.
 * `toDuplex()` hands out the socket itself; use either it or `read()`/`write()`, not both.
 */
export class NodeConnection implements Connection {
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly #socket: Socket;
  #error: NetworkError | null = null;
  #ended = false;
  #aborted = false;
  #readListening = false;
  #readWaiters: (() => void)[] = [];

  constructor(socket: Socket) {
    this.#socket = socket;
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    // A socket queued for accept() may already have failed (e.g. reset by its peer).
    if (socket.errored) this.#error = toNetworkError(socket.errored, this.remoteAddress);
    if (socket.readableEnded) this.#ended = true;
    // Always listening for errors: an unobserved 'error' event would crash the process.
    socket.on("error", (error) => {
      this.#error ??= toNetworkError(error, this.remoteAddress);
      this.#wakeReaders();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#wakeReaders();
    });
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      this.#throwIfFailed();
      const chunk = this.#socket.read() as Buffer | null;
      if (chunk !== null) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (this.#ended || this.#socket.readableEnded) return null;
      if (this.#socket.destroyed) {
        // Destroyed without an error and without a FIN: e.g. a local destroy() through toDuplex().
        throw new NetworkError("ECONNABORTED", "connection closed locally", this.remoteAddress);
      }
      await this.#readable();
    }
  }

  async write(data: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    if (this.#socket.writableEnded || this.#socket.destroyed) {
      throw new NetworkError("EPIPE", "write after close", this.remoteAddress);
    }
    // Copied: the socket may keep a reference until the kernel takes the bytes, and a caller
    // may reuse its buffer as soon as write() resolves.
    const accepted = this.#socket.write(Buffer.from(data));
    if (!accepted) await this.#waitFor(["drain", "close"]);
    this.#throwIfFailed();
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    if (socket.destroyed) return;
    if (!socket.writableEnded) socket.end();
    if (socket.writableFinished) return;
    await this.#waitFor(["finish", "close"]);
  }

  abort(): void {
    if (this.#socket.destroyed) return;
    this.#aborted = true;
    this.#socket.resetAndDestroy();
  }

  toDuplex(): Socket {
    return this.#socket;
  }

  #throwIfFailed(): void {
    if (this.#aborted)
      throw new NetworkError("ECONNABORTED", "connection was aborted locally", this.remoteAddress);
    if (this.#error) throw this.#error;
  }

  /**
   * Resolves at the next 'readable', 'end', 'close' or 'error' (the caller then checks the
   * state). The listeners are installed once, at the first wait, rather than added and removed
   * around every read; never before, so a socket used through `toDuplex()` keeps its flowing mode.
   */
  #readable(): Promise<void> {
    if (!this.#readListening) {
      this.#readListening = true;
      const wake = (): void => this.#wakeReaders();
      this.#socket.on("readable", wake);
      this.#socket.on("close", wake);
    }
    return new Promise((resolve) => this.#readWaiters.push(resolve));
  }

  #wakeReaders(): void {
    if (this.#readWaiters.length === 0) return;
    const waiters = this.#readWaiters;
    this.#readWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the first of `events` or on 'error' (the caller then checks the state). */
  #waitFor(events: readonly string[]): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve) => {
      const done = (): void => {
        for (const event of events) socket.off(event, done);
        socket.off("error", done);
        resolve();
      };
      for (const event of events) socket.on(event, done);
      socket.on("error", done);
    });
  }
}

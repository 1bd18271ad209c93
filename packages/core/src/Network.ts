import type { Duplex } from "node:stream";

/**
 * TCP-shaped byte streams. Addresses are `ip:port` strings (`[v6]:port` for IPv6).
 *
 * Errors carry Node-style codes (`ECONNREFUSED`, `ECONNRESET`, `EADDRINUSE`, `EPIPE`), see
 * `NetworkError`.
 */
export interface NetworkProvider {
  /** Binds a listener: `"10.0.1.1:4500"`, `"127.0.0.1:0"` (port 0 picks a free port). */
  listen(address: string): Promise<Listener>;
  /** Opens a connection; a connection may be established before the peer calls `accept()`. */
  connect(address: string): Promise<Connection>;
}

/** A bound listening socket. */
export interface Listener {
  /** The bound address, with the real port when 0 was asked for. */
  readonly address: string;
  /** The next incoming connection; rejects once the listener is closed. */
  accept(): Promise<Connection>;
  close(): Promise<void>;
}

/** One end of a reliable, ordered byte stream. */
export interface Connection {
  readonly localAddress: string;
  readonly remoteAddress: string;
  /** The next chunk of bytes; `null` at end of stream (the peer closed gracefully). */
  read(): Promise<Uint8Array | null>;
  /** Resolves once the bytes are accepted by the send buffer (respects backpressure). */
  write(data: Uint8Array): Promise<void>;
  /** Graceful close: FIN after pending writes; reads go on until the peer closes too. */
  close(): Promise<void>;
  /** Reset (RST): pending data is discarded, the peer's next read rejects with ECONNRESET. */
  abort(): void;
  /**
   * A Node `Duplex` over this connection, behaving like a `net.Socket` (allowHalfOpen,
   * `setTimeout` on the provider's clock, `setNoDelay`, `setKeepAlive`, `remoteAddress`).
   * Idempotent: every call returns the same stream.
   */
  toDuplex(): Duplex;
}

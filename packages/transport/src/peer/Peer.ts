import type { Connection, Providers, TaskHandle } from "@moonpool/core";
import { Deque, Endpoint, NetworkAddress, Notify, UID } from "@moonpool/core";
import { abortable, DONE } from "../internal/deferred.ts";
import type { FailureMonitor } from "../rpc/FailureMonitor.ts";
import { FrameDecoder } from "../wire/FrameDecoder.ts";
import { encodeFrame } from "../wire/frame.ts";
import { ENDPOINT_NOT_FOUND_TOKEN, PING_TOKEN, PONG_TOKEN } from "../wire/tokens.ts";
import { WireError } from "../wire/WireError.ts";
import { concatFrames } from "./internal/concatFrames.ts";
import { ReconnectBackoff } from "./internal/ReconnectBackoff.ts";
import type { PeerConfig } from "./PeerConfig.ts";
import { PeerError } from "./PeerError.ts";
import { newPeerMetrics, type PeerMetrics, recordPong } from "./PeerMetrics.ts";
import { PingTracker } from "./PingTracker.ts";

/** How a peer hands a received application frame to its owner (the transport). */
export type FrameHandler = (token: UID, payload: Uint8Array, peer: Peer) => void;

export interface PeerOptions {
  providers: Pick<Providers, "time" | "task" | "random" | "network">;
  /** Remote address (`ip:port`). For an incoming peer: the address `accept()` reported. */
  destination: string;
  config: PeerConfig;
  failureMonitor?: FailureMonitor | undefined;
  onMessage: FrameHandler;
  /** Called once when the peer ends (closed, or an incoming connection was lost). */
  onClosed?: (peer: Peer) => void;
}

const PING_FRAME = encodeFrame(PING_TOKEN, new Uint8Array(0));
const PONG_FRAME = encodeFrame(PONG_TOKEN, new Uint8Array(0));
// One write per batch: a failed write puts its whole batch in doubt, so keep batches modest.
const MAX_BATCH_BYTES = 64 * 1024;

/**
 * One logical connection to a remote address, with FDB-style queues.
 *
 * - `sendReliable` / `sendUnreliable` only frame and enqueue (synchronous, never awaiting I/O);
 *   a background writer task connects lazily (only when something is queued) and drains the
 *   reliable queue first.
 * - The reliable queue is bounded by `maxQueueSize`: when full, the OLDEST reliable packet is
 *   dropped and counted in `messagesDropped` (moonpool's behaviour; its book's `QueueFull` does
 *   not exist). The unreliable queue likewise by `maxUnreliableQueueSize` (moonpool: unbounded);
 *   PINGs are answered with at most one PONG owed at a time.
 * - A frame is sent at most once. Reliable frames not yet handed to a socket survive a
 *   disconnect and go first after the reconnect; frames handed to a write that then failed are
 *   in doubt (the socket may have taken any prefix of them, the remote may have read it) and are
 *   never resent (`messagesInDoubt`); every queued unreliable frame is dropped (counted). Frames
 *   a socket accepted can still be lost if the connection breaks: there is no ack or retransmit.
 * - Reconnects back off exponentially from `initialReconnectDelayMs` (first retry after ~2x, as
 *   in moonpool, measured from the start of the previous attempt) up to `maxReconnectDelayMs`,
 *   shortened by a random jitter; each attempt has `connectionTimeoutMs`. The loss of a
 *   connection that was up for `stableConnectionMs` reconnects at once; a shorter-lived one
 *   keeps backing off (moonpool would spin on a link that connects and breaks at once).
 * - A malformed frame (bad checksum, length or size) drops the connection, counts a
 *   `wireErrors`, and the peer reconnects if anything is queued.
 * - Outbound peers run a ping monitor; incoming peers answer pings and end on any loss.
 */
export class Peer {
  readonly destination: string;
  readonly incoming: boolean;
  readonly config: PeerConfig;

  readonly #providers: PeerOptions["providers"];
  readonly #fm: FailureMonitor | undefined;
  readonly #onMessage: FrameHandler;
  readonly #onClosed: ((peer: Peer) => void) | undefined;
  readonly #reliable = new Deque<Uint8Array>();
  readonly #unreliable = new Deque<Uint8Array>();
  readonly #dataToSend: Notify;
  readonly #shutdown = new AbortController();
  readonly #metrics: PeerMetrics;
  readonly #disconnectListeners = new Set<() => void>();
  readonly #drainedWaiters = new Set<() => void>();
  #conn: Connection | null = null;
  #connAbort: AbortController | null = null;
  #tracker: PingTracker | null = null;
  #pingRearm: AbortController | null = null;
  #writing = false;
  /** Rejects the write in flight (see `#write`). */
  #abortWrite: ((reason: unknown) => void) | null = null;
  /** A PING arrived: a PONG goes out with the next write. */
  #pongOwed = false;
  #wantConnect = false;
  #closed = false;
  // Reconnect state (moonpool's ReconnectState).
  readonly #backoff: ReconnectBackoff;
  #connectedAt = 0;
  #lastActivity: number;
  readonly #writer: TaskHandle<void>;

  /** An outbound peer: disconnected until something is sent. */
  constructor(options: PeerOptions);
  /** An incoming peer over an accepted connection. */
  constructor(options: PeerOptions, incoming: Connection);
  constructor(options: PeerOptions, incoming?: Connection) {
    this.destination = options.destination;
    this.incoming = incoming !== undefined;
    this.config = options.config;
    this.#providers = options.providers;
    this.#dataToSend = new Notify(options.providers.task);
    this.#fm = options.failureMonitor;
    this.#onMessage = options.onMessage;
    this.#onClosed = options.onClosed;
    this.#backoff = new ReconnectBackoff(this.config, () => this.#providers.random.random());
    this.#metrics = newPeerMetrics(this.#now(), this.#backoff.delayMs);
    this.#lastActivity = this.#metrics.createdAt;
    const name = this.incoming ? "incoming_connection_task" : "connection_task";
    this.#writer = this.#providers.task.spawn(`${name} ${this.destination}`, (signal) =>
      this.#writerLoop(signal),
    );
    if (incoming) this.#attach(incoming);
  }

  get isConnected(): boolean {
    return this.#conn !== null;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** When something was last queued or an application frame last arrived (`TimeProvider.now()`). */
  get lastActivityMs(): number {
    return this.#lastActivity;
  }

  /** Nothing queued and no write in flight. */
  get isIdle(): boolean {
    return this.#idle();
  }

  /** Not connected, and the last connect attempt (or connection) failed. */
  get isFailing(): boolean {
    return this.#conn === null && (this.#backoff.failures > 0 || this.#metrics.lastFailure !== null);
  }

  /** Packets waiting in the reliable and unreliable queues. */
  get queued(): { reliable: number; unreliable: number } {
    return { reliable: this.#reliable.length, unreliable: this.#unreliable.length };
  }

  /** A snapshot of the counters. */
  metrics(): PeerMetrics {
    return {
      ...this.#metrics,
      currentQueueSize: this.#reliable.length + this.#unreliable.length,
      isConnected: this.#conn !== null,
      currentReconnectDelayMs: this.#backoff.delayMs,
      consecutiveFailures: this.#backoff.failures,
    };
  }

  /**
   * Queues `payload` for `token` on the reliable queue. Synchronous.
   * @throws PeerError `CLOSED`, or `INVALID_OPERATION` (cause: WireError) when too large.
   */
  sendReliable(token: UID, payload: Uint8Array): void {
    this.#enqueue(this.#frame(token, payload), true);
  }

  /** Queues on the unreliable queue (dropped on a disconnect). Synchronous. */
  sendUnreliable(token: UID, payload: Uint8Array): void {
    this.#enqueue(this.#frame(token, payload), false);
  }

  /** Asks an idle outbound peer to connect even with nothing queued (after its backoff). */
  connect(): void {
    if (this.#closed || this.incoming || this.#conn) return;
    this.#wantConnect = true;
    this.#dataToSend.notify();
  }

  /** Calls `listener` on every disconnect; returns a function that removes it. */
  onDisconnect(listener: () => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  /** Resolves true once both queues are empty and no write is in flight, false after `ms`. */
  async flush(ms: number): Promise<boolean> {
    if (this.#idle()) return true;
    const done = new AbortController();
    const drained = new Promise<boolean>((resolve) => {
      const waiter = () => {
        if (!this.#idle()) return;
        this.#drainedWaiters.delete(waiter);
        resolve(true);
      };
      this.#drainedWaiters.add(waiter);
      done.signal.addEventListener("abort", () => {
        this.#drainedWaiters.delete(waiter);
        resolve(false);
      });
    });
    const timer = this.#providers.time.sleep(ms, done.signal).then(
      () => done.abort(DONE),
      () => {},
    );
    const result = await drained;
    done.abort(DONE);
    await timer;
    return result;
  }

  /** Stops the peer: drops the connection and both queues, and ends its tasks. */
  async close(): Promise<void> {
    if (this.#closed) {
      await this.#writer.join().catch(() => {});
      return;
    }
    this.#finish();
    await this.#writer.join().catch(() => {});
  }

  // ---- internals -------------------------------------------------------------------------

  #now(): number {
    return this.#providers.time.now();
  }

  #idle(): boolean {
    return this.#reliable.length === 0 && this.#unreliable.length === 0 && !this.#pongOwed && !this.#writing;
  }

  #frame(token: UID, payload: Uint8Array): Uint8Array {
    if (this.#closed) throw new PeerError("CLOSED", `peer ${this.destination} is closed`);
    try {
      return encodeFrame(token, payload, this.config.maxPayloadSize);
    } catch (error) {
      throw new PeerError(
        "INVALID_OPERATION",
        `cannot send to ${this.destination}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  #enqueue(frame: Uint8Array, reliable: boolean): void {
    if (reliable) {
      if (this.#reliable.length >= this.config.maxQueueSize) {
        this.#reliable.shift(); // oldest first, as moonpool does
        this.#metrics.messagesDropped++;
      }
      this.#reliable.push(frame);
    } else {
      this.#pushUnreliable(frame);
    }
    this.#metrics.messagesQueued++;
    this.#lastActivity = this.#now();
    this.#dataToSend.notify();
  }

  #pushUnreliable(frame: Uint8Array): void {
    if (this.#unreliable.length >= this.config.maxUnreliableQueueSize) {
      this.#unreliable.shift(); // oldest first, like the reliable queue
      this.#metrics.messagesDropped++;
    }
    this.#unreliable.push(frame);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#shutdown.abort();
    const abortWrite = this.#abortWrite;
    this.#abortWrite = null;
    abortWrite?.(this.#shutdown.signal.reason);
    const conn = this.#conn;
    this.#detach();
    if (conn) void this.#closeGracefully(conn);
    this.#reliable.clear();
    this.#unreliable.clear();
    this.#wakeDrained();
    this.#onClosed?.(this);
  }

  /** FIN after pending writes, then reset; bounded by `connectionTimeoutMs` (a stalled link). */
  async #closeGracefully(conn: Connection): Promise<void> {
    try {
      await this.#providers.time.timeout(this.config.connectionTimeoutMs, conn.close());
    } catch {
      // already broken, or the close stalled
    }
    conn.abort();
  }

  async #writerLoop(taskSignal: AbortSignal): Promise<void> {
    const signal = this.#shutdown.signal;
    const onTaskAbort = () => this.#finish();
    taskSignal.addEventListener("abort", onTaskAbort, { once: true });
    try {
      while (!signal.aborted) {
        await this.#dataToSend.notified(signal);
        if (this.#conn === null) {
          if (this.incoming) break;
          if (this.#reliable.length === 0 && this.#unreliable.length === 0 && !this.#wantConnect) continue;
          if (!(await this.#establish(signal))) continue;
        }
        await this.#drain();
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      taskSignal.removeEventListener("abort", onTaskAbort);
    }
  }

  /** Connects with backoff; false when shutting down or after giving up. */
  async #establish(signal: AbortSignal): Promise<boolean> {
    const { time, network } = this.#providers;
    while (!signal.aborted) {
      const max = this.config.maxConnectionFailures;
      if (max !== null && this.#backoff.failures >= max) {
        this.#giveUp();
        return false;
      }
      const wait = this.#backoff.waitMs(this.#now());
      if (wait > 0) await time.sleep(wait, signal);
      this.#backoff.attemptStarted(this.#now());
      this.#metrics.connectionAttempts++;
      const attempt = network.connect(this.destination);
      let conn: Connection;
      try {
        conn = await abortable(time.timeout(this.config.connectionTimeoutMs, attempt), signal);
      } catch {
        // A connect that completes after its timeout is closed at once.
        attempt.then(
          (late) => late.abort(),
          () => {},
        );
        if (signal.aborted) return false;
        this.#backoff.attemptFailed();
        this.#metrics.connectionFailures++;
        this.#metrics.lastFailure = this.#now();
        this.#fm?.setStatus(this.destination, "failed");
        continue;
      }
      if (signal.aborted) {
        conn.abort();
        return false;
      }
      this.#backoff.connected();
      this.#attach(conn);
      return true;
    }
    return false;
  }

  /** Too many connect failures: drop what is queued and start afresh at the next send. */
  #giveUp(): void {
    this.#metrics.messagesDropped += this.#reliable.length + this.#unreliable.length;
    this.#reliable.clear();
    this.#unreliable.clear();
    this.#wantConnect = false;
    this.#backoff.reset();
    this.#fm?.setStatus(this.destination, "failed");
    this.#fm?.notifyDisconnect(this.destination);
    this.#wakeDrained();
  }

  #attach(conn: Connection): void {
    this.#conn = conn;
    this.#wantConnect = false;
    const connAbort = new AbortController();
    this.#connAbort = connAbort;
    this.#metrics.connectionsEstablished++;
    this.#metrics.lastConnected = this.#now();
    this.#connectedAt = this.#now();
    this.#fm?.setStatus(this.destination, "available");
    const { task } = this.#providers;
    task.spawn(`peer_reader ${this.destination}`, () => this.#readLoop(conn));
    if (!this.incoming && this.config.monitor) {
      this.#tracker = new PingTracker(this.config.monitor, this.#now());
      task.spawn(`peer_ping ${this.destination}`, () => this.#pingLoop(conn, connAbort.signal));
    }
    if (this.#reliable.length > 0 || this.#unreliable.length > 0) this.#dataToSend.notify();
  }

  #detach(): void {
    this.#conn = null;
    this.#connAbort?.abort();
    this.#connAbort = null;
    this.#tracker = null;
    this.#pingRearm = null;
  }

  async #drain(): Promise<void> {
    while (
      this.#conn !== null &&
      (this.#reliable.length > 0 || this.#unreliable.length > 0 || this.#pongOwed)
    ) {
      const conn = this.#conn;
      // Coalesce queued frames into one write (reliable first, as moonpool drains them).
      const batch: Uint8Array[] = [];
      let bytes = 0;
      if (this.#pongOwed) {
        this.#pongOwed = false;
        batch.push(PONG_FRAME);
        bytes += PONG_FRAME.length;
      }
      while (bytes < MAX_BATCH_BYTES) {
        const frame = this.#reliable.length > 0 ? this.#reliable.shift() : this.#unreliable.shift();
        if (!frame) break;
        batch.push(frame);
        bytes += frame.length;
      }
      const data = batch.length === 1 ? batch[0]! : concatFrames(batch, bytes);
      this.#writing = true;
      try {
        // A write can stall for good (a dead peer with full buffers); close() must not wait on it.
        await this.#write(conn, data);
      } catch {
        this.#writing = false;
        if (this.#closed) return;
        // The socket may have taken any prefix of the batch (and the peer may have read it), so
        // resending any of it could run a request twice: these frames are in doubt, never resent.
        this.#metrics.messagesInDoubt += batch.length;
        this.#connectionLost(conn);
        return;
      }
      this.#writing = false;
      this.#metrics.messagesSent += batch.length;
      this.#metrics.bytesSent += bytes;
    }
    this.#wakeDrained();
  }

  /**
   * `conn.write(data)`, rejected early when the peer shuts down. (A stored reject rather than an
   * abort listener per write: `#finish` calls it right after aborting the shutdown signal.)
   */
  #write(conn: Connection, data: Uint8Array): Promise<void> {
    const signal = this.#shutdown.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      this.#abortWrite = reject;
      conn.write(data).then(
        () => {
          this.#abortWrite = null;
          resolve();
        },
        (error: unknown) => {
          this.#abortWrite = null;
          reject(error);
        },
      );
    });
  }

  #wakeDrained(): void {
    for (const waiter of [...this.#drainedWaiters]) waiter();
  }

  async #readLoop(conn: Connection): Promise<void> {
    const decoder = new FrameDecoder(this.config.maxPayloadSize);
    while (true) {
      let chunk: Uint8Array | null;
      try {
        chunk = await conn.read();
      } catch {
        chunk = null;
      }
      if (this.#conn !== conn) return;
      if (chunk === null) {
        this.#connectionLost(conn);
        return;
      }
      this.#metrics.bytesReceived += chunk.length;
      decoder.append(chunk);
      try {
        for (let f = decoder.next(); f; f = decoder.next()) {
          this.#handleFrame(f.token, f.payload);
          if (this.#conn !== conn) return;
        }
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        this.#metrics.wireErrors++;
        this.#connectionLost(conn);
        return;
      }
    }
  }

  #handleFrame(token: UID, payload: Uint8Array): void {
    this.#metrics.messagesReceived++;
    if (token.equals(PING_TOKEN)) {
      // Answer through the writer so it stays the only socket writer. One PONG owed at a time:
      // a flood of PINGs from a peer that does not read costs nothing more.
      if (!this.#pongOwed) {
        this.#pongOwed = true;
        this.#dataToSend.notify();
      }
      return;
    }
    if (token.equals(PONG_TOKEN)) {
      const rtt = this.#tracker?.onPong(this.#now()) ?? null;
      if (rtt !== null) {
        recordPong(this.#metrics, rtt);
        this.#pingRearm?.abort(DONE); // the next deadline is earlier now
      }
      return;
    }
    if (token.equals(ENDPOINT_NOT_FOUND_TOKEN)) {
      if (payload.length >= 16 && this.#fm) {
        let address: NetworkAddress;
        try {
          address = NetworkAddress.parse(this.destination);
        } catch {
          return;
        }
        this.#fm.endpointNotFound(new Endpoint(address, UID.fromBytes(payload)));
      }
      return;
    }
    this.#lastActivity = this.#now();
    this.#onMessage(token, payload, this);
  }

  async #pingLoop(conn: Connection, connSignal: AbortSignal): Promise<void> {
    const { time } = this.#providers;
    while (this.#conn === conn && !connSignal.aborted) {
      const tracker = this.#tracker!;
      const rearm = new AbortController();
      this.#pingRearm = rearm;
      const onConnAbort = () => rearm.abort(DONE);
      connSignal.addEventListener("abort", onConnAbort, { once: true });
      try {
        await time.sleep(tracker.timeUntilNext(this.#now()), rearm.signal);
      } catch {
        continue; // re-armed by a pong, or the connection ended (loop condition)
      } finally {
        connSignal.removeEventListener("abort", onConnAbort);
      }
      if (this.#conn !== conn) return;
      const action = tracker.onTimer(this.#now(), this.#metrics.bytesReceived);
      if (action === "tear-down") {
        this.#metrics.pingTimeouts++;
        this.#connectionLost(conn);
        return;
      }
      if (action === "tolerate") this.#metrics.pingTimeoutsTolerated++;
      else this.#metrics.pingsSent++;
      this.#pushUnreliable(PING_FRAME);
      this.#dataToSend.notify();
    }
  }

  /** The current connection broke (EOF, error, bad frame, ping timeout or write failure). */
  #connectionLost(conn: Connection): void {
    if (this.#conn !== conn) return;
    this.#detach();
    conn.abort();
    this.#metrics.messagesDropped += this.#unreliable.length;
    this.#unreliable.clear();
    this.#pongOwed = false;
    this.#metrics.disconnects++;
    this.#metrics.lastFailure = this.#now();
    if (!this.incoming) this.#backoff.connectionLost(this.#now(), this.#connectedAt);
    for (const listener of [...this.#disconnectListeners]) listener();
    this.#fm?.setStatus(this.destination, "failed");
    this.#fm?.notifyDisconnect(this.destination);
    if (this.incoming) {
      this.#finish();
      return;
    }
    this.#wakeDrained();
    // Reconnect if anything is still queued (moonpool forgets this after a bad frame).
    this.#dataToSend.notify();
  }
}

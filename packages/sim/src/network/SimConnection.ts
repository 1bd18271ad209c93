import type { Duplex } from "node:stream";
import { type Connection, InvalidArgumentError, NetworkError, type NetworkErrorCode } from "@moonpool/core";
import type { DeviceOwner } from "../engine/device-owner.ts";
import { completeNow } from "../engine/fast-path.ts";
import type { Waker } from "../engine/kernel.ts";
import { ByteSlab } from "./internal/bytes.ts";
import { NEVER } from "./internal/never.ts";
import { deliverAt } from "./internal/ns.ts";
import type { SimNetwork } from "./SimNetwork.ts";
import { SimSocketDuplex } from "./SimSocketDuplex.ts";

/** Marks the end of the byte stream in a send queue (a FIN segment). */
const FIN = Symbol("FIN");
type Segment = Uint8Array | typeof FIN;

interface PendingWrite {
  readonly data: Uint8Array;
  offset: number;
  readonly waker: Waker<void>;
}

/**
 * Why an endpoint stopped: `reset` (an RST arrived), `aborted` (this side called `abort()`),
 * `crashed` (its host crashed: it answers nothing until the host is back), `timedout` (a
 * dropping partition discarded its segments and its retransmissions gave up).
 */
type Failure = "reset" | "aborted" | "crashed" | "timedout";

/** What a `SimConnection` needs to know about where it lives. */
export interface EndpointInfo {
  readonly id: number;
  /** Simulated host of this end (loopback connections use the actor's own IP). */
  readonly hostIp: string;
  readonly peerHostIp: string;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly localPort: number;
  readonly remotePort: number;
  readonly localHost: string;
  readonly remoteHost: string;
  /** The incarnation this end acts for (the connecting one, or the listener's). */
  readonly owner: DeviceOwner;
}

/**
 * One end of a simulated TCP connection.
 *
 * - Bytes flow in segments (one per admitted write piece); order per connection is FIFO.
 * - Flow control: a writer may have at most `bufferBytes` bytes outstanding (sent but not yet
 *   read by the peer's application); `write()` resolves once its last byte is admitted.
 * - `close()` sends a FIN after every pending write; reads go on until the peer's FIN.
 * - `abort()` sends an RST: the peer's reads and pending writes reject with ECONNRESET, later
 *   writes with EPIPE. Every segment arriving at an end that is gone (aborted, reset, released,
 *   or of a crashed host once it is back) is answered with an RST, as TCP does; RSTs travel like
 *   any segment (latency, held or dropped by partitions).
 * - An end belongs to one incarnation (`owner`): once it is killed, its calls park for good and
 *   the end fires no callback.
 */
export class SimConnection implements Connection {
  readonly id: number;
  readonly hostIp: string;
  readonly peerHostIp: string;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly localPort: number;
  readonly remotePort: number;
  readonly localHost: string;
  readonly remoteHost: string;
  /** The incarnation this end acts for. */
  readonly owner: DeviceOwner;
  /** The other end; set right after both ends are created. */
  peer!: SimConnection;

  readonly #net: SimNetwork;
  // Receive side.
  readonly #recv: Uint8Array[] = [];
  #recvBytes = 0;
  readonly #readers: Waker<Uint8Array | null>[] = [];
  #finReceived = false;
  /** Our receive side was shut by a fault: incoming bytes are discarded. */
  #recvShut = false;
  #readClogUntilNs = 0;
  // Send side.
  readonly #sendQueue: Segment[] = [];
  readonly #writers: PendingWrite[] = [];
  #outstanding = 0;
  #closing = false;
  #finQueued = false;
  readonly #closeWaiters: Waker<void>[] = [];
  #lastDeliveryNs = 0;
  #writeClogUntilNs = 0;
  /** Link cut (both directions) until this time. */
  cutUntilNs = 0;
  #failure: Failure | null = null;
  /** An RST is waiting to go out (held by a partition, or until a crashed host is back). */
  #rstOwed = false;
  /** A dropping partition discarded a segment: nothing more gets through; ETIMEDOUT follows. */
  #broken = false;
  /** This end's copies of written bytes (its own slab: a chunk never shows another connection's bytes). */
  readonly #slab = new ByteSlab();
  /** Released by its owner after a graceful close (a closed fd): late bytes are answered with an RST. */
  #disposed = false;
  #duplex: SimSocketDuplex | undefined;

  constructor(net: SimNetwork, info: EndpointInfo) {
    this.#net = net;
    this.id = info.id;
    this.hostIp = info.hostIp;
    this.peerHostIp = info.peerHostIp;
    this.localAddress = info.localAddress;
    this.remoteAddress = info.remoteAddress;
    this.localPort = info.localPort;
    this.remotePort = info.remotePort;
    this.localHost = info.localHost;
    this.remoteHost = info.remoteHost;
    this.owner = info.owner;
  }

  /** True once the connection is unusable in both directions (reset, aborted, crashed or both FINs). */
  get finished(): boolean {
    return this.#failure !== null || (this.#finQueued && this.#finReceived);
  }

  /** True when this end failed (RST, abort or crash). */
  get failed(): boolean {
    return this.#failure !== null;
  }

  /** Bytes received and not yet read. */
  get bufferedBytes(): number {
    return this.#recvBytes;
  }

  // ------------------------------------------------------------------ public API

  read(): Promise<Uint8Array | null> {
    if (this.owner.killed) return NEVER;
    if (this.#failure !== null) return Promise.reject(this.#readError());
    if (this.#disposed) {
      return Promise.reject(
        new NetworkError("ECONNABORTED", "connection was released locally", this.remoteAddress),
      );
    }
    if (this.#net.rollRandomClose(this) && this.#failure !== null) return Promise.reject(this.#readError());
    const now = this.#net.kernel.nowNs();
    if (this.#readers.length === 0 && this.#readClogUntilNs <= now && !this.#net.rollReadClog(this)) {
      if (this.#recvBytes > 0) return completeNow(this.#net.kernel, "read (buffered)", this.#take());
      if (this.#finReceived) return completeNow(this.#net.kernel, "read (end of stream)", null);
    }
    const waker = this.owner.waker<Uint8Array | null>(`read ${this.localAddress} <- ${this.remoteAddress}`);
    this.#readers.push(waker);
    return waker.promise;
  }

  write(data: Uint8Array): Promise<void> {
    if (!(data instanceof Uint8Array)) {
      return Promise.reject(new InvalidArgumentError("data", `expected a Uint8Array, got ${typeof data}`));
    }
    if (this.owner.killed) return NEVER;
    if (this.#failure === null && this.#net.rollRandomClose(this) && this.#failure === "reset") {
      // A reset injected under this very call surfaces as ECONNRESET (later writes get EPIPE).
      return Promise.reject(
        new NetworkError("ECONNRESET", "connection reset (simulated fault)", this.remoteAddress),
      );
    }
    if (this.#failure !== null || this.#closing) {
      return Promise.reject(
        new NetworkError("EPIPE", "write after the connection was closed or reset", this.remoteAddress),
      );
    }
    if (data.length === 0) return Promise.resolve();
    const copy = this.#slab.copy(data);
    const now = this.#net.kernel.nowNs();
    const clogged = this.#writeClogUntilNs > now || this.#net.rollWriteClog(this);
    if (!clogged && this.#writers.length === 0 && this.#net.bufferBytes - this.#outstanding >= copy.length) {
      this.#admit(copy);
      return completeNow(this.#net.kernel, "write (window space)", undefined);
    }
    const waker = this.owner.waker<void>(`write ${this.localAddress} -> ${this.remoteAddress}`);
    this.#writers.push({ data: copy, offset: 0, waker });
    this.#pumpWriters();
    return waker.promise;
  }

  close(): Promise<void> {
    if (this.owner.killed) return NEVER;
    if (this.#failure !== null || this.#finQueued) return Promise.resolve();
    this.#closing = true;
    this.#pumpWriters();
    if (this.#finQueued || this.#failure !== null) return Promise.resolve();
    const waker = this.owner.waker<void>(`close ${this.localAddress}`);
    this.#closeWaiters.push(waker);
    return waker.promise;
  }

  abort(): void {
    if (this.#failure !== null || this.owner.killed) return;
    this.#fail("aborted");
    this.#sendReset();
  }

  /**
   * Releases this end like closing a socket's file descriptor: after a graceful close the FIN
   * still goes out and bytes arriving later are answered with an RST; otherwise this is `abort()`.
   */
  dispose(): void {
    if (this.owner.killed) return;
    this.#dispose();
  }

  #dispose(): void {
    if (this.#failure !== null || this.#disposed) return;
    if (!this.#finQueued) {
      this.abort();
      return;
    }
    this.#disposed = true;
    this.peer.releaseOutstanding(this.#recvBytes);
    this.#recv.length = 0;
    this.#recvBytes = 0;
    // Errors (with their stacks) only when someone waits: most connections end with no waiter.
    if (this.#readers.length > 0) {
      const error = new NetworkError("ECONNABORTED", "connection was released locally", this.remoteAddress);
      for (const r of this.#readers.splice(0)) r.fail(error);
    }
    this.#net.endpointFinished(this);
  }

  /**
   * The `net.Socket`-like Duplex of this connection (the same stream on every call; options only
   * count on the first). `allowHalfOpen` (default true) keeps our writable side open after the
   * peer's FIN; false ends it automatically, like `net.createConnection`'s default.
   */
  toDuplex(options: { allowHalfOpen?: boolean } = {}): Duplex {
    this.#duplex ??= new SimSocketDuplex(this, this.#net.kernel, this.owner, options.allowHalfOpen ?? true);
    return this.#duplex;
  }

  // ------------------------------------------------------------------ network-facing

  /** The connection's host crashed: it dies silently (nothing is sent, no callback fires). */
  crash(): void {
    if (this.#failure !== null) return;
    this.#fail("crashed");
  }

  /** An RST reached this end (or a fault resets it). */
  reset(): void {
    if (this.#failure !== null) return;
    this.#fail("reset");
  }

  /** Its process exited: the FIN goes out after pending writes; later data is answered with an RST. */
  closeForExit(): void {
    if (this.#failure !== null) return;
    if (!this.#finQueued) {
      this.#closing = true;
      this.#pumpWriters();
    }
    if (this.#finQueued) this.#dispose();
  }

  /** Fault: this end is reset and sends an RST to its peer (random close). */
  injectReset(): void {
    if (this.#failure !== null) return;
    this.#fail("reset");
    this.#sendReset();
  }

  /** Tries to move queued segments onto the wire (called again when a partition or cut heals). */
  transmit(): void {
    if (this.#failure !== null) {
      if (this.#rstOwed) this.#transmitReset();
      return;
    }
    const net = this.#net;
    const now = net.kernel.nowNs();
    while (this.#sendQueue.length > 0) {
      if (this.#broken) {
        this.#sendQueue.length = 0;
        return;
      }
      if (this.cutUntilNs > now || net.isBlocked(this.hostIp, this.peerHostIp)) {
        if (this.cutUntilNs <= now && net.isDropping(this.hostIp, this.peerHostIp)) {
          this.#dropped();
          return;
        }
        net.holdUntilHeal(this);
        return;
      }
      let segment = this.#sendQueue.shift() as Segment;
      if (segment !== FIN) {
        const prefix = net.partialWriteSize(this, segment.length);
        if (prefix < segment.length) {
          this.#sendQueue.unshift(segment.subarray(prefix));
          segment = segment.subarray(0, prefix);
        }
      }
      const at = Math.max(now + net.transitNs(this), this.#lastDeliveryNs);
      this.#lastDeliveryNs = at;
      const peer = this.peer;
      // Arrivals act for the receiving end's owner (the callbacks they lead to are its own).
      if (segment === FIN) {
        deliverAt(net.kernel, peer.owner, at, "network fin", () => peer.#receiveFin(this));
      } else {
        const bytes = segment;
        deliverAt(net.kernel, peer.owner, at, "network delivery", () => peer.#receive(bytes, this));
      }
    }
  }

  /** A dropping partition discarded our segments: the stream cannot recover; we time out later. */
  #dropped(): void {
    const net = this.#net;
    this.#broken = true;
    this.#sendQueue.length = 0;
    net.fault("partition_drop", { connection: this.id, from: this.hostIp, to: this.peerHostIp });
    this.owner.deliver(net.retransmitTimeoutMs, "network retransmit timeout", () => {
      if (this.#failure === null) this.#fail("timedout");
    });
  }

  /** Clogs writes until `untilNs`; pending writes resume then. */
  clogWrites(untilNs: number): void {
    this.#writeClogUntilNs = Math.max(this.#writeClogUntilNs, untilNs);
    deliverAt(this.#net.kernel, this.owner, untilNs, "network write clog clear", () => this.#pumpWriters());
  }

  /** Clogs reads until `untilNs`; pending reads resume then. */
  clogReads(untilNs: number): void {
    this.#readClogUntilNs = Math.max(this.#readClogUntilNs, untilNs);
    deliverAt(this.#net.kernel, this.owner, untilNs, "network read clog clear", () => this.#wakeReaders());
  }

  /** Ends any read or write clog now (the chaos window closed). */
  clearClogs(): void {
    if (this.#writeClogUntilNs === 0 && this.#readClogUntilNs === 0) return;
    this.#writeClogUntilNs = 0;
    this.#readClogUntilNs = 0;
    this.#pumpWriters();
    this.#wakeReaders();
  }

  /** Fault: our send side is shut as if we had closed (the peer sees EOF; our writes get EPIPE). */
  shutSend(): void {
    if (this.#failure !== null || this.#closing) return;
    this.#closing = true;
    for (const w of this.#writers.splice(0)) {
      w.waker.fail(new NetworkError("EPIPE", "connection closed (simulated fault)", this.remoteAddress));
    }
    this.#pumpWriters();
  }

  /** Fault: our receive side is shut (we see EOF now; the peer's later bytes vanish). */
  shutReceive(): void {
    if (this.#failure !== null || this.#recvShut) return;
    this.#recvShut = true;
    this.#finReceived = true;
    this.peer.releaseOutstanding(this.#recvBytes);
    this.#recv.length = 0;
    this.#recvBytes = 0;
    this.#wakeReaders();
  }

  // ------------------------------------------------------------------ internals

  #readError(): NetworkError {
    const failure = this.#failure;
    return failure === "aborted"
      ? new NetworkError("ECONNABORTED", "connection was aborted locally", this.remoteAddress)
      : failure === "timedout"
        ? new NetworkError("ETIMEDOUT", "connection timed out (segments dropped)", this.remoteAddress)
        : new NetworkError("ECONNRESET", "connection reset by peer", this.remoteAddress);
  }

  #fail(failure: Failure): void {
    this.#failure = failure;
    // Errors (with their stacks) only when someone waits: most connections end with no waiter.
    const tellsDuplex = this.#duplex !== undefined && failure !== "crashed" && !this.owner.killed;
    const readError =
      this.#readers.length > 0 || this.#writers.length > 0 || tellsDuplex ? this.#readError() : null;
    if (readError !== null) {
      for (const r of this.#readers.splice(0)) r.fail(readError);
      if (this.#writers.length > 0) {
        const writeCode: NetworkErrorCode =
          failure === "aborted" ? "EPIPE" : failure === "timedout" ? "ETIMEDOUT" : "ECONNRESET";
        const writeError = new NetworkError(writeCode, readError.message, this.remoteAddress);
        for (const w of this.#writers.splice(0)) w.waker.fail(writeError);
      }
    }
    for (const c of this.#closeWaiters.splice(0)) c.wake();
    this.#recv.length = 0;
    this.#recvBytes = 0;
    this.#sendQueue.length = 0;
    this.#outstanding = 0;
    this.#net.endpointFinished(this);
    // A crashed host's sockets tell their process nothing; nor does a killed owner's.
    if (tellsDuplex && readError !== null) this.#duplex?.onConnectionFailed(readError);
  }

  /** Sends an RST to the peer, like any segment: held or dropped by a partition, delayed by latency. */
  #sendReset(): void {
    if (this.#rstOwed) return;
    this.#rstOwed = true;
    this.#transmitReset();
  }

  #transmitReset(): void {
    const net = this.#net;
    if (this.#failure === "crashed" && net.isHostDown(this.hostIp)) {
      net.oweReset(this); // answered once the host is back (TCP's retransmissions meet it then)
      return;
    }
    const now = net.kernel.nowNs();
    if (this.cutUntilNs > now || net.isBlocked(this.hostIp, this.peerHostIp)) {
      if (this.cutUntilNs <= now && net.isDropping(this.hostIp, this.peerHostIp)) {
        this.#rstOwed = false; // lost; the peer's next segment is answered again
        return;
      }
      net.holdUntilHeal(this);
      return;
    }
    this.#rstOwed = false;
    const peer = this.peer;
    // After the data already in flight, like any segment of this connection.
    const at = Math.max(now + net.transitNs(this), this.#lastDeliveryNs);
    this.#lastDeliveryNs = at;
    deliverAt(net.kernel, peer.owner, at, "network rst", () => peer.reset());
  }

  #admit(bytes: Uint8Array): void {
    this.#outstanding += bytes.length;
    this.#sendQueue.push(bytes);
    this.transmit();
  }

  /** The peer's application consumed `n` of our bytes (or they were dropped): more may be sent. */
  releaseOutstanding(n: number): void {
    this.#outstanding = Math.max(0, this.#outstanding - n);
    this.#pumpWriters();
  }

  #pumpWriters(): void {
    if (this.#failure !== null) return;
    const now = this.#net.kernel.nowNs();
    while (this.#writers.length > 0 && this.#writeClogUntilNs <= now) {
      const window = this.#net.bufferBytes;
      const space = window - this.#outstanding;
      const w = this.#writers[0] as PendingWrite;
      const remaining = w.data.length - w.offset;
      // Silly-window avoidance: never trickle a write out in slivers as the reader frees a few
      // bytes at a time; wait until all of it (or, for a write larger than the window, half a
      // window) fits.
      if (space < Math.min(remaining, window >> 1 || 1)) return;
      const n = Math.min(space, remaining);
      this.#admit(w.data.subarray(w.offset, w.offset + n));
      w.offset += n;
      if (w.offset === w.data.length) {
        this.#writers.shift();
        w.waker.wake();
      }
    }
    if (this.#closing && !this.#finQueued && this.#writers.length === 0) {
      this.#finQueued = true;
      this.#sendQueue.push(FIN);
      this.transmit();
      for (const c of this.#closeWaiters.splice(0)) c.wake();
      if (this.finished) this.#net.endpointFinished(this);
    }
  }

  #receive(bytes: Uint8Array, from: SimConnection): void {
    if (this.#failure !== null || this.#disposed) {
      // A socket that is gone answers every segment with an RST (a crashed host once it is back).
      from.releaseOutstanding(bytes.length);
      if (!from.failed) this.#sendReset();
      return;
    }
    if (this.#recvShut) {
      from.releaseOutstanding(bytes.length);
      return;
    }
    const delivered = this.#net.maybeFlipBits(this, bytes);
    this.#recv.push(delivered);
    this.#recvBytes += delivered.length;
    this.#wakeReaders();
  }

  #receiveFin(from: SimConnection): void {
    if (this.#failure !== null) {
      if (!from.failed) this.#sendReset();
      return;
    }
    if (this.#finReceived) return;
    this.#finReceived = true;
    this.#wakeReaders();
    if (this.finished) this.#net.endpointFinished(this);
  }

  #wakeReaders(): void {
    if (this.#failure !== null) return;
    if (this.#readClogUntilNs > this.#net.kernel.nowNs()) return;
    while (this.#readers.length > 0) {
      if (this.#recvBytes > 0) (this.#readers.shift() as Waker<Uint8Array | null>).wake(this.#take());
      else if (this.#finReceived) (this.#readers.shift() as Waker<Uint8Array | null>).wake(null);
      else return;
    }
  }

  /** Takes the next segment (or a prefix of it, under the partial-read fault). */
  #take(): Uint8Array {
    const head = this.#recv[0] as Uint8Array;
    const n = this.#net.partialReadSize(this, head.length);
    let out: Uint8Array;
    if (n < head.length) {
      out = head.subarray(0, n);
      this.#recv[0] = head.subarray(n);
    } else {
      out = head;
      this.#recv.shift();
    }
    this.#recvBytes -= out.length;
    this.peer.releaseOutstanding(out.length);
    return out;
  }
}

import type { Connection, Listener, Providers } from "@moonpool/core";
import { checkDuration, Endpoint, InvalidArgumentError, NetworkAddress, UID } from "@moonpool/core";
import type { MessageCodec } from "../codec/Codec.ts";
import { JsonCodec } from "../codec/JsonCodec.ts";
import { Peer } from "../peer/Peer.ts";
import { type MonitorConfig, type PeerConfig, resolvePeerConfig } from "../peer/PeerConfig.ts";
import type { PeerMetrics } from "../peer/PeerMetrics.ts";
import { ENDPOINT_NOT_FOUND_TOKEN } from "../wire/tokens.ts";
import { EndpointMap, type MessageReceiver } from "./EndpointMap.ts";
import { MessagingError, ReplyError } from "./errors.ts";
import { FailureMonitor } from "./FailureMonitor.ts";
import { type RequestDecoder, RequestStream } from "./RequestStream.ts";
import type { TransportCore } from "./TransportCore.ts";

/** Options of a transport. */
export interface TransportOptions {
  /**
   * This process's address (`ip:port`). Replies to this process's requests are sent here, so a
   * client must listen on it (see `listen()`); with `listen()`, port 0 picks a free port.
   */
  localAddress: string;
  /** Payload codec for every message. Default: {@link JsonCodec} (moonpool-compatible). */
  codec?: MessageCodec;
  /** Peer settings (defaults as in moonpool, plus reconnect jitter). */
  peerConfig?: Partial<Omit<PeerConfig, "monitor">> & { monitor?: Partial<MonitorConfig> | null };
  /** Default RPC timeout in ms; `null` for none. Default 30 000. Per-call `timeoutMs` overrides it. */
  rpcTimeoutMs?: number | null;
  /** How long `close()` waits for queued replies (e.g. BrokenPromise) to be written. Default 1000 ms. */
  closeGraceMs?: number;
  /**
   * Most outbound peers kept at once (replies open one per distinct `reply_to` address, which
   * a client chooses). Opening one more evicts a peer: failing (disconnected) ones first, then
   * idle ones, least recently used first; what it had queued is dropped (counted). Default 256.
   */
  maxOutboundPeers?: number;
  /**
   * Most incoming connections kept at once. Accepting one more closes the incoming peer that
   * was active longest ago (idle ones first); its remote side reconnects if it needs to.
   * Default 1024.
   */
  maxIncomingPeers?: number;
  /**
   * Most requests waiting per method stream (received, not yet taken by `serve()` or `recv()`);
   * one more is answered `BrokenPromise` at once without running. Default 10 000.
   */
  maxQueuedRequests?: number;
  /** Bound of the failure monitor's address map (see `FailureMonitor`). Default 4096. */
  maxMonitoredAddresses?: number;
  /**
   * Receives the transport's notable events (e.g. `transport.reply_too_large`); in a simulation
   * pass `ctx.trace` so they land in the seed's trace. Default: none.
   */
  trace?: TransportTrace;
}

/** A sink for transport events: an event name and plain fields. */
export type TransportTrace = (event: string, fields: Record<string, string | number | boolean>) => void;

/** Totals of peers that have ended: incoming ones whose connection was lost, evicted outbound ones. */
export interface RetiredPeers {
  peers: number;
  wireErrors: number;
  disconnects: number;
  messagesDropped: number;
  messagesReceived: number;
}

/** Transport-wide counters. */
export interface TransportStats {
  packetsSent: number;
  packetsDispatched: number;
  /** Packets for a token nobody registered (answered with ENDPOINT_NOT_FOUND when remote). */
  packetsUndelivered: number;
  /** Receivers that threw while handling a packet. */
  receiverErrors: number;
  /** Replies that could not be encoded or queued. */
  replyFailures: number;
  /** Replies over the frame cap, answered with `ReplyTooLarge` instead. */
  repliesTooLarge: number;
  peersCreated: number;
  /** Peers closed to stay within `maxOutboundPeers` / `maxIncomingPeers`. */
  peersEvicted: number;
  connectionsAccepted: number;
}

/**
 * Moves messages between endpoints: an endpoint map (well-known slots + dynamic tokens), one
 * {@link Peer} per remote address, local delivery without the network, a listener that accepts
 * incoming peers, ENDPOINT_NOT_FOUND feedback, and a {@link FailureMonitor}. It runs on any
 * `Providers`: `nodeProviders()` for real TCP, a simulation context for the simulated network.
 *
 * There is no handshake: a request carries its reply address, and the server sends the reply
 * over its own outbound connection to that address. A client must therefore listen, and a
 * client behind NAT cannot be answered.
 *
 * @example
 * ```ts
 * const t = await NetTransport.listen(nodeProviders(), { localAddress: "127.0.0.1:0" });
 * const stream = t.registerHandler<string, string>(UID.wellKnown(WellKnownToken.FirstAvailable));
 * ```
 */
export class NetTransport implements TransportCore {
  readonly providers: Providers;
  readonly codec: MessageCodec;
  readonly failureMonitor: FailureMonitor;
  readonly peerConfig: PeerConfig;
  readonly rpcTimeoutMs: number | null;
  readonly closeGraceMs: number;
  readonly maxOutboundPeers: number;
  readonly maxIncomingPeers: number;
  readonly maxQueuedRequests: number;
  readonly #trace: TransportTrace | undefined;
  readonly endpoints = new EndpointMap();
  readonly stats: TransportStats = {
    packetsSent: 0,
    packetsDispatched: 0,
    packetsUndelivered: 0,
    receiverErrors: 0,
    replyFailures: 0,
    repliesTooLarge: 0,
    peersCreated: 0,
    peersEvicted: 0,
    connectionsAccepted: 0,
  };
  #localAddress: NetworkAddress;
  #localKey: string;
  readonly #peers = new Map<string, Peer>();
  readonly #incoming = new Map<string, Peer>();
  readonly #streams = new Set<RequestStream<unknown, unknown>>();
  readonly #pending = new Set<{ fail(error: unknown): boolean }>();
  // Totals of incoming peers that ended (they leave the map, their counters stay visible here).
  readonly #retired: RetiredPeers = {
    peers: 0,
    wireErrors: 0,
    disconnects: 0,
    messagesDropped: 0,
    messagesReceived: 0,
  };
  #listener: Listener | null = null;
  #closed = false;
  // Sends stay possible while closing, so broken promises can still be flushed.
  #peersClosed = false;

  /** A transport that does not listen (it can send, and receive only local deliveries). */
  constructor(providers: Providers, options: TransportOptions) {
    if (!providers || typeof providers !== "object")
      throw new InvalidArgumentError("providers", "expected Providers");
    if (!options || typeof options.localAddress !== "string") {
      throw new MessagingError(
        "MissingLocalAddress",
        'options.localAddress is required (e.g. "127.0.0.1:0")',
      );
    }
    this.providers = providers;
    this.codec = options.codec ?? new JsonCodec();
    this.peerConfig = resolvePeerConfig(options.peerConfig);
    this.rpcTimeoutMs = options.rpcTimeoutMs === undefined ? 30_000 : options.rpcTimeoutMs;
    if (this.rpcTimeoutMs !== null) checkDuration("rpcTimeoutMs", this.rpcTimeoutMs);
    this.closeGraceMs = options.closeGraceMs ?? 1000;
    checkDuration("closeGraceMs", this.closeGraceMs);
    this.#localAddress = NetworkAddress.parse(options.localAddress);
    this.#localKey = this.#localAddress.toString();
    this.#trace = options.trace;
    if (this.#trace !== undefined && typeof this.#trace !== "function") {
      throw new InvalidArgumentError("trace", `expected a function, got ${typeof this.#trace}`);
    }
    this.maxOutboundPeers = checkBound("maxOutboundPeers", options.maxOutboundPeers ?? 256);
    this.maxIncomingPeers = checkBound("maxIncomingPeers", options.maxIncomingPeers ?? 1024);
    this.maxQueuedRequests = checkBound("maxQueuedRequests", options.maxQueuedRequests ?? 10_000);
    this.failureMonitor = new FailureMonitor(providers.time, {
      ...(options.maxMonitoredAddresses === undefined ? {} : { maxAddresses: options.maxMonitoredAddresses }),
    });
  }

  /** Creates a transport and starts listening on `options.localAddress` (port 0: any free port). */
  static async listen(providers: Providers, options: TransportOptions): Promise<NetTransport> {
    const t = new NetTransport(providers, options);
    await t.startListening();
    return t;
  }

  get localAddress(): NetworkAddress {
    return this.#localAddress;
  }

  get isListening(): boolean {
    return this.#listener !== null;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Binds `localAddress` and accepts connections in a background task. */
  async startListening(): Promise<void> {
    if (this.#listener) throw new MessagingError("InvalidState", "already listening");
    let listener: Listener;
    try {
      listener = await this.providers.network.listen(this.#localKey);
    } catch (error) {
      throw new MessagingError(
        "NetworkError",
        `cannot listen on ${this.#localKey}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.#listener = listener;
    // With port 0 the real port is known only now; replies must name it.
    this.#localAddress = NetworkAddress.parse(listener.address);
    this.#localKey = this.#localAddress.toString();
    this.providers.task.spawn(`listen_task ${this.#localKey}`, () => this.#acceptLoop(listener));
  }

  isLocalAddress(address: NetworkAddress | string): boolean {
    return (typeof address === "string" ? address : address.toString()) === this.#localKey;
  }

  /** A random UID from the RandomProvider (reply tokens, interface bases). */
  randomUID(): UID {
    return UID.fromBytes(this.providers.random.bytes(16));
  }

  /** A random base token for a dynamic interface. */
  allocateInterfaceToken(): UID {
    return this.randomUID();
  }

  register(token: UID, receiver: MessageReceiver): void {
    this.endpoints.insert(token, receiver);
  }

  registerWellKnown(index: number, receiver: MessageReceiver): void {
    this.endpoints.insertWellKnown(index, receiver);
  }

  unregister(token: UID, receiver?: MessageReceiver): boolean {
    return this.endpoints.remove(token, receiver);
  }

  /**
   * Registers a request stream at `token` of this process. Requests are decoded on arrival;
   * `decodeRequest` may check and convert them (throw to answer with a Serialization error).
   */
  registerHandler<Req, Resp>(token: UID, decodeRequest?: RequestDecoder<Req>): RequestStream<Req, Resp> {
    const stream: RequestStream<Req, Resp> = new RequestStream<Req, Resp>(
      this,
      new Endpoint(this.#localAddress, token),
      decodeRequest,
      () => this.#streams.delete(stream as RequestStream<unknown, unknown>),
      this.maxQueuedRequests,
    );
    this.register(token, stream);
    this.#streams.add(stream as RequestStream<unknown, unknown>);
    return stream;
  }

  /** Delivers `payload` to the local receiver of `token`; false when there is none. */
  dispatch(token: UID, payload: Uint8Array): boolean {
    const receiver = this.endpoints.get(token);
    if (!receiver) {
      this.stats.packetsUndelivered++;
      return false;
    }
    this.stats.packetsDispatched++;
    try {
      receiver.receive(payload);
    } catch {
      this.stats.receiverErrors++;
    }
    return true;
  }

  /** Sends on the reliable queue (local delivery when the address is ours). */
  sendReliable(endpoint: Endpoint, payload: Uint8Array): void {
    this.#send(endpoint, payload, true);
  }

  /** Sends on the unreliable queue (local delivery when the address is ours). */
  sendUnreliable(endpoint: Endpoint, payload: Uint8Array): void {
    this.#send(endpoint, payload, false);
  }

  sendReply(endpoint: Endpoint, value: unknown): void {
    let payload: Uint8Array;
    try {
      payload = this.codec.encode(value);
    } catch (error) {
      this.stats.replyFailures++;
      const fallback = { Err: new ReplyError("Serialization", (error as Error).message).toWire() };
      try {
        payload = this.codec.encode(fallback);
      } catch {
        return;
      }
    }
    const max = this.peerConfig.maxPayloadSize;
    if (payload.length > max && !this.isLocalAddress(endpoint.address)) {
      // The request ran: say so at once rather than let the client wait for its timeout.
      this.stats.repliesTooLarge++;
      this.#trace?.("transport.reply_too_large", { to: endpoint.toString(), bytes: payload.length, max });
      const error = new ReplyError("ReplyTooLarge", `${payload.length} bytes over the ${max}-byte frame cap`);
      payload = this.codec.encode({ Err: error.toWire() });
    }
    try {
      this.sendReliable(endpoint, payload);
    } catch {
      this.stats.replyFailures++;
    }
  }

  connectPeer(address: NetworkAddress | string): void {
    const key = typeof address === "string" ? address : address.toString();
    if (this.#peersClosed || key === this.#localKey) return;
    this.#peerFor(key).connect();
  }

  trackReply(future: { fail(error: unknown): boolean; onSettle(fn: () => void): void }): void {
    if (this.#closed) {
      future.fail(new ReplyError("ConnectionFailed", "transport closed"));
      return;
    }
    this.#pending.add(future);
    future.onSettle(() => this.#pending.delete(future));
  }

  /** The outbound peer for `address`, if one was opened. */
  peer(address: string): Peer | undefined {
    return this.#peers.get(address);
  }

  /**
   * Metrics of every live outbound and incoming peer, keyed by address, plus the totals of
   * peers that already ended (`retired`: lost incoming connections, evicted outbound peers).
   */
  peerMetrics(): {
    outbound: Record<string, PeerMetrics>;
    incoming: Record<string, PeerMetrics>;
    retired: RetiredPeers;
  } {
    const collect = (m: Map<string, Peer>) =>
      Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, p]) => [k, p.metrics()]));
    return {
      outbound: collect(this.#peers),
      incoming: collect(this.#incoming),
      retired: { ...this.#retired },
    };
  }

  /** Number of in-flight requests (reply futures not settled). */
  get pendingReplies(): number {
    return this.#pending.size;
  }

  /**
   * Shuts down: stops listening, closes every request stream (unanswered requests get
   * BrokenPromise), fails in-flight requests with `ConnectionFailed`, waits up to `closeGraceMs`
   * for queued packets to be written, then closes every peer.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const listener = this.#listener;
    this.#listener = null;
    await listener?.close().catch(() => {});
    for (const stream of [...this.#streams]) stream.close();
    this.#streams.clear();
    for (const future of [...this.#pending])
      future.fail(new ReplyError("ConnectionFailed", "transport closed"));
    if (this.closeGraceMs > 0) {
      const open = [...this.#peers.values(), ...this.#incoming.values()].filter((p) => !p.isClosed);
      await Promise.all(open.map((p) => p.flush(this.closeGraceMs)));
    }
    this.#peersClosed = true;
    const peers = [...this.#peers.values(), ...this.#incoming.values()];
    await Promise.all(peers.map((p) => p.close()));
    this.#peers.clear();
    this.#incoming.clear();
  }

  // ---- internals -------------------------------------------------------------------------

  #send(endpoint: Endpoint, payload: Uint8Array, reliable: boolean): void {
    if (this.#peersClosed) throw new MessagingError("InvalidState", "transport is closed");
    const key = endpoint.address.toString();
    if (key === this.#localKey) {
      if (!this.dispatch(endpoint.token, payload)) {
        throw new MessagingError("EndpointNotFound", `no endpoint ${endpoint.token.toString()} here`, {
          token: endpoint.token,
        });
      }
      return;
    }
    const peer = this.#peerFor(key);
    try {
      if (reliable) peer.sendReliable(endpoint.token, payload);
      else peer.sendUnreliable(endpoint.token, payload);
    } catch (error) {
      throw new MessagingError("PeerError", (error as Error).message, { cause: error });
    }
    this.stats.packetsSent++;
  }

  #peerFor(key: string): Peer {
    const existing = this.#peers.get(key) ?? this.#incoming.get(key);
    if (existing && !existing.isClosed) return existing;
    if (this.#peers.size >= this.maxOutboundPeers) {
      const victim = pickEviction(this.#peers.values());
      if (victim) this.#evict(victim);
    }
    const peer = new Peer({
      providers: this.providers,
      destination: key,
      config: this.peerConfig,
      failureMonitor: this.failureMonitor,
      onMessage: (token, payload, from) => this.#onFrame(token, payload, from),
    });
    this.#peers.set(key, peer);
    this.stats.peersCreated++;
    return peer;
  }

  /** Closes an outbound peer to make room; its queued frames are dropped (counted in `retired`). */
  #evict(peer: Peer): void {
    this.#peers.delete(peer.destination);
    this.stats.peersEvicted++;
    this.#retire(peer, peer.queued.reliable + peer.queued.unreliable);
    void peer.close();
    // Calls waiting on that address learn that their request is gone; then forget it.
    this.failureMonitor.notifyDisconnect(peer.destination);
    this.failureMonitor.forget(peer.destination);
  }

  #retire(peer: Peer, dropped = 0): void {
    const m = peer.metrics();
    this.#retired.peers++;
    this.#retired.wireErrors += m.wireErrors;
    this.#retired.disconnects += m.disconnects;
    this.#retired.messagesDropped += m.messagesDropped + dropped;
    this.#retired.messagesReceived += m.messagesReceived;
  }

  #onFrame(token: UID, payload: Uint8Array, from: Peer): void {
    if (this.dispatch(token, payload) || token.isWellKnown()) return;
    // Tell the sender, on the connection it used, so its failure monitor learns.
    try {
      from.sendUnreliable(ENDPOINT_NOT_FOUND_TOKEN, token.toBytes());
    } catch {
      // peer closed meanwhile
    }
  }

  async #acceptLoop(listener: Listener): Promise<void> {
    while (this.#listener === listener) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch {
        if (this.#listener !== listener) return;
        await this.providers.time.sleep(10).catch(() => {}); // avoid spinning on a persistent error
        continue;
      }
      if (this.#closed) {
        conn.abort();
        return;
      }
      this.#accept(conn);
    }
  }

  #accept(conn: Connection): void {
    this.stats.connectionsAccepted++;
    const key = conn.remoteAddress;
    const stale = this.#incoming.get(key);
    if (this.#incoming.size >= this.maxIncomingPeers && !stale) {
      const victim = pickEviction(this.#incoming.values());
      if (victim) {
        this.stats.peersEvicted++;
        void victim.close(); // its onClosed removes it from the map
      }
    }
    const peer = new Peer(
      {
        providers: this.providers,
        destination: key,
        config: this.peerConfig,
        failureMonitor: this.failureMonitor,
        onMessage: (token, payload, from) => this.#onFrame(token, payload, from),
        onClosed: (p) => {
          if (this.#incoming.get(key) === p) this.#incoming.delete(key);
          this.#retire(p);
          // An ephemeral address is never seen again: keep the monitor's map from growing.
          if (!this.#peers.has(key) && !this.#incoming.has(key)) this.failureMonitor.forget(key);
        },
      },
      conn,
    );
    this.#incoming.set(key, peer);
    if (stale) void stale.close();
  }
}

function checkBound(argument: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(argument, `expected an integer >= 1, got ${String(n)}`);
  }
  return n;
}

/**
 * The peer to evict: disconnected ones (failing, or not connected yet) before connected
 * idle ones before connected busy ones, and within a class the least recently used (the first
 * in map order on a tie: deterministic).
 */
function pickEviction(peers: Iterable<Peer>): Peer | undefined {
  let best: Peer | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  let bestUsed = Number.POSITIVE_INFINITY;
  for (const p of peers) {
    const rank = !p.isConnected ? 0 : p.isIdle ? 1 : 2;
    const used = p.lastActivityMs;
    if (rank < bestRank || (rank === bestRank && used < bestUsed)) {
      best = p;
      bestRank = rank;
      bestUsed = used;
    }
  }
  return best;
}

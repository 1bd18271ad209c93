import {
  bitFlipCount,
  choosePartition,
  clogDurationMs,
  decideConnectOutcome,
  decideRandomClose,
  defaultNetworkChaos,
  flipBits,
  halfOpenErrorAfterMs,
  linkCutDurationMs,
  type NetworkChaosConfig,
  pairLatencyMs,
  partialReadLength,
  partialWriteLength,
  partitionDurationMs,
  reorderDelayMs,
  sampleLatency,
  shouldClogRead,
  shouldClogWrite,
  shouldFlipBits,
  shouldStartPartition,
} from "@moonpool/chaos";
import { type Connection, InvalidArgumentError, NetworkError, type NetworkProvider } from "@moonpool/core";
import { type DeviceOwner, unownedDevices } from "../engine/device-owner.ts";
import type { SimKernel, TimerHandle, TraceFields } from "../engine/kernel.ts";
import { msToNs, NS_PER_MS } from "../engine/time-units.ts";
import { formatAddress, type ResolvedAddress } from "./internal/address.ts";
import { scheduleAt } from "./internal/ns.ts";
import { SimConnection } from "./SimConnection.ts";
import { SimListener } from "./SimListener.ts";
import { SimNetworkProvider } from "./SimNetworkProvider.ts";

/** Options of a {@link SimNetwork}. */
export interface SimNetworkOptions {
  /** Latencies and fault knobs (default: `defaultNetworkChaos()`, every fault off). */
  readonly config?: NetworkChaosConfig;
  /** Whether faults are injected from the start (default true; `endChaos()` turns them off). */
  readonly chaosActive?: boolean;
  /** Flow-control window per direction of a connection, in bytes (default 64 KiB). */
  readonly bufferBytes?: number;
  /** How long a connect waits for a partition to heal before ETIMEDOUT (default 20,000 ms). */
  readonly connectTimeoutMs?: number;
  /** Scales every fault probability (e.g. a correlated-burst intensity); default 1. */
  readonly faultMultiplier?: () => number;
  /**
   * How long a connection whose segments a dropping partition discarded keeps trying before
   * its sending end fails with ETIMEDOUT (TCP's retransmission timeout); default 20,000 ms.
   */
  readonly retransmitTimeoutMs?: number;
}

/** How a partition treats the traffic it blocks (see `SimNetwork.partition`). */
export interface PartitionOptions {
  /**
   * "hold" (default): segments wait and are delivered, in order, after the heal (TCP
   * retransmitting through a short outage). "drop": segments are discarded; the connection that
   * sent them cannot recover, its sending end fails with ETIMEDOUT after `retransmitTimeoutMs`
   * and its peer is not told (it learns through its own traffic, answered by an RST, or its
   * timeouts). Connects wait for the heal up to the connect timeout either way.
   */
  readonly mode?: "hold" | "drop";
}

interface Partition {
  /** Blocked until (ns; Infinity until healed). */
  readonly untilNs: number;
  readonly drop: boolean;
}

/** First port handed out for port 0 and for the local end of outgoing connections. */
const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;
/** First SYN retransmission delay towards a host that is down (doubled at each retry, as TCP does). */
const SYN_RETRY_FIRST_MS = 1_000;

/**
 * The simulated network of one seed: IP-scoped providers (`networkFor(ip)`), TCP-like
 * connections, partitions, per-pair latency and every network fault of `NetworkChaosConfig`.
 * Everything goes through the `SimKernel` seam (schedule, waker, random, trace).
 *
 * @example
 * ```ts
 * const net = new SimNetwork(kernel);
 * const server = net.networkFor("10.0.1.1");
 * const listener = await server.listen("10.0.1.1:4500");
 * const client = await net.networkFor("10.0.0.1").connect("10.0.1.1:4500");
 * ```
 */
export class SimNetwork {
  readonly kernel: SimKernel;
  readonly config: NetworkChaosConfig;
  readonly bufferBytes: number;
  readonly connectTimeoutMs: number;
  readonly retransmitTimeoutMs: number;
  readonly #multiplier: () => number;
  #chaosActive: boolean;
  readonly #providers = new Map<string, SimNetworkProvider>();
  /** Known actor IPs in registration order (random partitions choose among them). */
  readonly #ips: string[] = [];
  readonly #listeners = new Map<string, SimListener>();
  readonly #ports = new Map<string, Set<number>>();
  readonly #nextPort = new Map<string, number>();
  /** Live endpoints per host IP. */
  readonly #endpoints = new Map<string, Set<SimConnection>>();
  /** Client ends, whose local port is ephemeral and freed when they finish. */
  readonly #clientEnds = new WeakSet<SimConnection>();
  /** `from>to` -> the partition blocking that direction. */
  readonly #partitions = new Map<string, Partition>();
  /** Hosts that crashed and have not booted again: they answer nothing. */
  readonly #downHosts = new Set<string>();
  /** Endpoints of down hosts owing an RST (sent once the host is back, as TCP's retransmission would meet it). */
  readonly #owedResets = new Map<string, Set<SimConnection>>();
  readonly #unowned: DeviceOwner;
  readonly #held = new Set<SimConnection>();
  readonly #heldConnects: (() => void)[] = [];
  readonly #pairLatencyNs = new Map<string, number>();
  readonly #halfOpen = new Map<SimConnection, TimerHandle>();
  readonly #chaosTimers: TimerHandle[] = [];
  #lastBitFlipMs = Number.NEGATIVE_INFINITY;
  #lastRandomCloseMs = Number.NEGATIVE_INFINITY;
  #nextConnectionId = 1;

  constructor(kernel: SimKernel, options: SimNetworkOptions = {}) {
    this.kernel = kernel;
    this.config = options.config ?? defaultNetworkChaos();
    this.bufferBytes = options.bufferBytes ?? 64 * 1024;
    if (!Number.isSafeInteger(this.bufferBytes) || this.bufferBytes <= 0) {
      throw new InvalidArgumentError("bufferBytes", `expected a positive integer, got ${this.bufferBytes}`);
    }
    this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
    this.retransmitTimeoutMs = options.retransmitTimeoutMs ?? 20_000;
    this.#unowned = unownedDevices(kernel);
    this.#multiplier = options.faultMultiplier ?? (() => 1);
    this.#chaosActive = options.chaosActive ?? true;
    if (this.#chaosActive) this.#startChaosChecks();
  }

  /** True while faults are injected (until `endChaos()`). */
  get chaosActive(): boolean {
    return this.#chaosActive;
  }

  /**
   * The network as the actor at `ip` sees it: its listeners bind `ip`, its connections come from
   * `ip`. With `owner` (an actor incarnation, as the runner passes at every boot) the provider
   * belongs to that incarnation: what it creates acts for it and parks once it is killed, and a
   * host that crashed is up again. Without, one shared provider per IP that is never killed.
   */
  networkFor(ip: string, owner?: DeviceOwner): NetworkProvider {
    if (typeof ip !== "string" || ip.length === 0) {
      throw new InvalidArgumentError("ip", `expected a non-empty IP string, got ${String(ip)}`);
    }
    let provider = this.#providers.get(ip);
    if (provider === undefined) {
      provider = new SimNetworkProvider(this, ip, this.#unowned);
      this.#providers.set(ip, provider);
      this.#ips.push(ip);
    }
    if (owner === undefined) return provider;
    this.#hostUp(ip);
    return new SimNetworkProvider(this, ip, owner);
  }

  /** Number of live connection endpoints (both ends count). */
  get liveEndpoints(): number {
    let n = 0;
    for (const set of this.#endpoints.values()) n += set.size;
    return n;
  }

  // ------------------------------------------------------------------ chaos window, partitions

  /** Ends the chaos window: no new faults; partitions, cuts, clogs and half-open waits end now. */
  endChaos(): void {
    if (!this.#chaosActive) return;
    this.#chaosActive = false;
    for (const t of this.#chaosTimers.splice(0)) t.cancel();
    for (const [conn, timer] of this.#halfOpen) {
      timer.cancel();
      // Told on its own behalf: its callbacks (a Duplex's 'error') act for its owner.
      conn.owner.deliver(0, "network half-open error", () => conn.reset());
    }
    this.#halfOpen.clear();
    for (const set of this.#endpoints.values()) {
      for (const c of set) {
        c.cutUntilNs = 0;
        c.clearClogs();
      }
    }
    this.healAll();
    this.#resumeHeld(); // connections held by a cut resume even when no partition was active
  }

  /**
   * Blocks traffic from `fromIp` to `toIp` (one direction) for `ms`, or until healed. Blocked
   * segments are held and delivered after the heal, unless `options.mode` is "drop" (see
   * `PartitionOptions`).
   */
  partition(fromIp: string, toIp: string, ms?: number, options?: PartitionOptions): void {
    this.#partitionPair(fromIp, toIp, ms, "manual", dropMode(options));
  }

  /** Blocks traffic between `a` and `b` both ways, for `ms` or until healed (see `partition`). */
  partitionBoth(a: string, b: string, ms?: number, options?: PartitionOptions): void {
    const drop = dropMode(options);
    this.#partitionPair(a, b, ms, "manual", drop);
    this.#partitionPair(b, a, ms, "manual", drop);
  }

  /** Heals every partition between `a` and `b`, both directions. */
  heal(a: string, b: string): void {
    const removed = this.#partitions.delete(`${a}>${b}`);
    const removedBack = this.#partitions.delete(`${b}>${a}`);
    if (removed || removedBack) {
      this.fault("partition_healed", { from: a, to: b });
      this.#resumeHeld();
    }
  }

  /** Heals every partition. */
  healAll(): void {
    if (this.#partitions.size === 0) return;
    this.#partitions.clear();
    this.fault("partition_healed", { from: "*", to: "*" });
    this.#resumeHeld();
  }

  /** True while traffic from `fromIp` to `toIp` is blocked. */
  isBlocked(fromIp: string, toIp: string): boolean {
    if (fromIp === toIp || this.#partitions.size === 0) return false;
    const p = this.#partitions.get(`${fromIp}>${toIp}`);
    if (p === undefined) return false;
    if (p.untilNs <= this.kernel.nowNs()) {
      this.#partitions.delete(`${fromIp}>${toIp}`);
      return false;
    }
    return true;
  }

  /** True while a dropping partition blocks traffic from `fromIp` to `toIp`. */
  isDropping(fromIp: string, toIp: string): boolean {
    return this.isBlocked(fromIp, toIp) && this.#partitions.get(`${fromIp}>${toIp}`)?.drop === true;
  }

  #partitionPair(fromIp: string, toIp: string, ms: number | undefined, cause: string, drop = false): void {
    if (typeof fromIp !== "string" || typeof toIp !== "string") {
      throw new InvalidArgumentError("partition(from, to)", "expected two IP strings");
    }
    if (ms !== undefined && !(ms >= 0 && Number.isFinite(ms))) {
      throw new InvalidArgumentError("ms", `expected a finite, non-negative number of ms, got ${ms}`);
    }
    if (fromIp === toIp) return;
    const key = `${fromIp}>${toIp}`;
    const until = ms === undefined ? Number.POSITIVE_INFINITY : this.kernel.nowNs() + msToNs(ms);
    const untilNs = Math.max(until, this.#partitions.get(key)?.untilNs ?? 0);
    this.#partitions.set(key, { untilNs, drop });
    const fields: TraceFields = { from: fromIp, to: toIp, cause };
    if (drop) fields.mode = "drop";
    if (ms !== undefined) fields.ms = ms;
    this.fault("partition", fields);
    if (ms !== undefined) {
      this.kernel.schedule(ms, "network partition expiry", () => {
        const current = this.#partitions.get(key);
        if (current !== undefined && current.untilNs <= this.kernel.nowNs()) {
          this.#partitions.delete(key);
          this.fault("partition_healed", { from: fromIp, to: toIp });
          this.#resumeHeld();
        }
      });
    }
  }

  /** Parks a connection whose traffic is blocked; it retries when a partition or cut ends. */
  holdUntilHeal(conn: SimConnection): void {
    this.#held.add(conn);
  }

  #resumeHeld(): void {
    const held = [...this.#held];
    this.#held.clear();
    for (const c of held) c.transmit();
    for (const retry of this.#heldConnects.splice(0)) retry();
  }

  #startChaosChecks(): void {
    const cfg = this.config;
    if (cfg.partition.probability > 0) {
      this.#every(cfg.partition.checkEveryMs, "network partition check", () => this.#maybeRandomPartition());
    }
    if (cfg.linkCut.probability > 0) {
      this.#every(cfg.linkCut.checkEveryMs, "network link-cut check", () => this.#maybeCutLinks());
    }
  }

  /** Runs `check` every `ms` while the chaos window is open (one live timer per check). */
  #every(ms: number, label: string, check: () => void): void {
    const slot = this.#chaosTimers.length;
    const tick = (): void => {
      if (!this.#chaosActive) return;
      check();
      this.#chaosTimers[slot] = this.kernel.schedule(ms, label, tick);
    };
    this.#chaosTimers.push(this.kernel.schedule(ms, label, tick));
  }

  #maybeRandomPartition(): void {
    const rng = this.kernel.random;
    if (this.#ips.length < 2 || !shouldStartPartition(this.config, rng, this.#multiplier())) return;
    const group = choosePartition(this.config.partition.strategy, this.#ips, rng);
    if (group.length === 0) return;
    const ms = partitionDurationMs(this.config, rng);
    const inGroup = new Set(group);
    const rest = this.#ips.filter((ip) => !inGroup.has(ip));
    const both = this.config.partition.direction === "both";
    this.fault("random_partition", {
      group: group.join(","),
      strategy: this.config.partition.strategy,
      direction: this.config.partition.direction,
      ms,
    });
    for (const a of group) {
      for (const b of rest) {
        this.#partitionPair(a, b, ms, "random");
        if (both) this.#partitionPair(b, a, ms, "random");
      }
    }
  }

  #maybeCutLinks(): void {
    const rng = this.kernel.random;
    const now = this.kernel.nowNs();
    for (const set of this.#endpoints.values()) {
      for (const conn of set) {
        // One decision per connection: made at its client end (or its only live end).
        if (!this.#clientEnds.has(conn) || conn.failed || conn.cutUntilNs > now) continue;
        const ms = linkCutDurationMs(this.config, rng, this.#multiplier());
        if (ms === null) continue;
        const until = now + msToNs(ms);
        conn.cutUntilNs = until;
        conn.peer.cutUntilNs = until;
        this.fault("link_cut", { connection: conn.id, ms });
        scheduleAt(this.kernel, until, "network link restore", () => {
          this.fault("link_restored", { connection: conn.id });
          this.#resumeHeld();
        });
      }
    }
  }

  // ------------------------------------------------------------------ listeners and connects

  /** Binds a listener for the actor at `selfIp` (port 0 picks a free port). */
  bind(
    selfIp: string,
    address: ResolvedAddress,
    owner: DeviceOwner = this.#unowned,
  ): SimListener | NetworkError {
    const ports = this.#portsOf(address.hostIp);
    let port = address.port;
    if (port === 0) {
      const free = this.#allocatePort(address.hostIp);
      if (free === null) return new NetworkError("EADDRINUSE", "no free port left", selfIp);
      port = free;
    } else if (ports.has(port)) {
      return new NetworkError("EADDRINUSE", "address already in use", formatAddress(address.shownHost, port));
    }
    return this.#register(address, port, owner);
  }

  #register(address: ResolvedAddress, port: number, owner: DeviceOwner): SimListener {
    const listener = new SimListener(
      this,
      address.hostIp,
      port,
      formatAddress(address.shownHost, port),
      owner,
    );
    this.#portsOf(address.hostIp).add(port);
    this.#listeners.set(`${address.hostIp}|${port}`, listener);
    return listener;
  }

  /** Removes a closed listener's binding (called by the listener). */
  unbind(listener: SimListener): void {
    const key = `${listener.hostIp}|${listener.port}`;
    if (this.#listeners.get(key) === listener) {
      this.#listeners.delete(key);
      this.#portsOf(listener.hostIp).delete(listener.port);
    }
  }

  /** Opens a connection from `selfIp` to `target` (see `NetworkProvider.connect`). */
  connect(
    selfIp: string,
    target: ResolvedAddress,
    text: string,
    owner: DeviceOwner = this.#unowned,
  ): Promise<Connection> {
    const kernel = this.kernel;
    // The handshake's events act for the connecting incarnation: a crash drops them.
    const waker = owner.waker<Connection>(`connect ${selfIp} -> ${text}`);
    if (this.#chaosActive) {
      const outcome = decideConnectOutcome(this.config, kernel.random, this.#multiplier());
      if (outcome !== "connect") {
        this.fault("connect_failure", { from: selfIp, to: text, mode: outcome });
        if (outcome === "refuse") {
          owner.schedule(
            sampleLatency(this.config.latency.connect, kernel.random),
            "network connect refused",
            () => waker.fail(new NetworkError("ECONNREFUSED", "connection refused (simulated fault)", text)),
          );
        }
        // "hang": the waker is never settled; the caller's timeout decides.
        return waker.promise;
      }
    }
    const latencyMs =
      sampleLatency(this.config.latency.connect, kernel.random) +
      this.pairLatencyNs(selfIp, target.hostIp) / NS_PER_MS;
    let deadlineNs = 0;
    let synRetryMs = SYN_RETRY_FIRST_MS;
    const armDeadline = (why: string): void => {
      if (deadlineNs !== 0) return;
      deadlineNs = kernel.nowNs() + msToNs(this.connectTimeoutMs);
      owner.schedule(this.connectTimeoutMs, "network connect timeout", () => {
        if (!waker.settled) waker.fail(new NetworkError("ETIMEDOUT", `connect timed out (${why})`, text));
      });
    };
    const attempt = (): void => {
      if (waker.settled || owner.killed) return;
      if (this.isBlocked(selfIp, target.hostIp) || this.isBlocked(target.hostIp, selfIp)) {
        // The handshake cannot get through: wait for a heal, up to the connect timeout.
        armDeadline("partitioned");
        this.#heldConnects.push(attempt);
        return;
      }
      if (this.isHostDown(target.hostIp)) {
        // A crashed host answers nothing: the SYN is retried (1 s, 2 s, 4 s...) up to the timeout.
        armDeadline("host down");
        owner.schedule(synRetryMs, "network connect retry", attempt);
        synRetryMs *= 2;
        return;
      }
      const listener = this.#listeners.get(`${target.hostIp}|${target.port}`);
      if (listener === undefined || listener.closed) {
        waker.fail(new NetworkError("ECONNREFUSED", "connection refused: nothing listens there", text));
        return;
      }
      const client = this.#createPair(selfIp, target, owner, listener.owner);
      if (client === null) {
        waker.fail(new NetworkError("EADDRNOTAVAIL", "no free ephemeral port", selfIp));
        return;
      }
      listener.enqueue(client.peer);
      waker.wake(client);
    };
    owner.schedule(latencyMs, "network connect", attempt);
    return waker.promise;
  }

  #createPair(
    selfIp: string,
    target: ResolvedAddress,
    clientOwner: DeviceOwner,
    serverOwner: DeviceOwner,
  ): SimConnection | null {
    const localPort = this.#allocatePort(selfIp);
    if (localPort === null) return null;
    const wildcardV6 = target.shownHost === "::";
    const dialed = target.shownHost === "0.0.0.0" ? "127.0.0.1" : wildcardV6 ? "::1" : target.shownHost;
    const loopback = dialed === "127.0.0.1" || dialed === "::1";
    const clientHost = loopback ? dialed : selfIp;
    const id = this.#nextConnectionId++;
    const client = new SimConnection(this, {
      id,
      hostIp: selfIp,
      peerHostIp: target.hostIp,
      localAddress: formatAddress(clientHost, localPort),
      remoteAddress: formatAddress(dialed, target.port),
      localPort,
      remotePort: target.port,
      localHost: clientHost,
      remoteHost: dialed,
      owner: clientOwner,
    });
    const server = new SimConnection(this, {
      id,
      hostIp: target.hostIp,
      peerHostIp: selfIp,
      localAddress: formatAddress(dialed, target.port),
      remoteAddress: formatAddress(clientHost, localPort),
      localPort: target.port,
      remotePort: localPort,
      localHost: dialed,
      remoteHost: clientHost,
      owner: serverOwner,
    });
    client.peer = server;
    server.peer = client;
    this.#clientEnds.add(client);
    this.#endpointsOf(selfIp).add(client);
    this.#endpointsOf(target.hostIp).add(server);
    return client;
  }

  /** A connection end finished (failed or both FINs exchanged): forget it, free its port. */
  endpointFinished(conn: SimConnection): void {
    const set = this.#endpoints.get(conn.hostIp);
    if (set === undefined || !set.delete(conn)) return;
    this.#held.delete(conn);
    if (this.#clientEnds.has(conn)) this.#portsOf(conn.hostIp).delete(conn.localPort);
  }

  // ------------------------------------------------------------------ crashes

  /**
   * The process at `ip` went down. "graceful": its listeners close and its connections send a
   * FIN (its stack answers later data with an RST). "crash" / "wipe": the host goes silent:
   * every socket and pending I/O of `ip` dies now and nothing is sent. Peers learn of it only
   * through their own traffic (answered by an RST once the host is back, travelling like any
   * segment), their timeouts, or, under the half-open fault, an error after `halfOpen.errorAfter`.
   */
  crash(ip: string, kind: "graceful" | "crash" | "wipe"): void {
    for (const listener of [...this.#listeners.values()]) {
      if (listener.hostIp === ip) listener.shutdown(kind !== "graceful");
    }
    const endpoints = [...(this.#endpoints.get(ip) ?? [])];
    if (kind === "graceful") {
      for (const conn of endpoints) conn.closeForExit();
      return;
    }
    this.#downHosts.add(ip);
    for (const conn of endpoints) this.crashEndpoint(conn);
  }

  /** True while the host at `ip` is down after a crash (it answers nothing). */
  isHostDown(ip: string): boolean {
    return this.#downHosts.size > 0 && this.#downHosts.has(ip);
  }

  /** `conn` (of a down host) owes its peer an RST: it goes out when the host is back. */
  oweReset(conn: SimConnection): void {
    let set = this.#owedResets.get(conn.hostIp);
    if (set === undefined) {
      set = new Set();
      this.#owedResets.set(conn.hostIp, set);
    }
    set.add(conn);
  }

  #hostUp(ip: string): void {
    if (!this.#downHosts.delete(ip)) return;
    const owed = this.#owedResets.get(ip);
    if (owed === undefined) return;
    this.#owedResets.delete(ip);
    for (const conn of owed) conn.transmit();
  }

  /** Kills one endpoint as if its host crashed; the peer is not told (unless half-open says when). */
  crashEndpoint(conn: SimConnection): void {
    if (conn.failed) return;
    conn.crash();
    const peer = conn.peer;
    if (peer.failed) return;
    const after = this.#chaosActive
      ? halfOpenErrorAfterMs(this.config, this.kernel.random, this.#multiplier())
      : null;
    if (after === null) return;
    this.fault("half_open", { connection: conn.id, ip: peer.hostIp, peer: conn.hostIp, errorAfterMs: after });
    this.#halfOpen.set(
      peer,
      peer.owner.deliver(after, "network half-open error", () => {
        this.#halfOpen.delete(peer);
        this.fault("half_open_error", { connection: conn.id, ip: peer.hostIp });
        peer.reset();
      }),
    );
  }

  // ------------------------------------------------------------------ fault decisions (used by connections)

  /** Records an injected fault in the seed's trace. */
  fault(kind: string, fields: TraceFields): void {
    this.kernel.trace("network", "sim_fault", { kind, ...fields });
  }

  /** Accept latency of one arriving connection, in ns. */
  acceptLatencyNs(): number {
    return msToNs(sampleLatency(this.config.latency.accept, this.kernel.random));
  }

  /** Time in flight of one segment of `conn` (write + delivery + pair latency + reorder hold), in ns. */
  transitNs(conn: SimConnection): number {
    const rng = this.kernel.random;
    let ms = sampleLatency(this.config.latency.write, rng) + sampleLatency(this.config.latency.delivery, rng);
    if (this.#chaosActive) {
      const extra = reorderDelayMs(this.config, rng, this.#multiplier());
      if (extra > 0) {
        ms += extra;
        this.fault("reorder", {
          connection: conn.id,
          from: conn.hostIp,
          to: conn.peerHostIp,
          delayMs: extra,
        });
      }
    }
    return msToNs(ms) + this.pairLatencyNs(conn.hostIp, conn.peerHostIp);
  }

  /** The fixed extra latency of the ordered pair, drawn at first contact (ns). */
  pairLatencyNs(fromIp: string, toIp: string): number {
    if (fromIp === toIp || this.config.pairLatency.maxMs <= 0) return 0;
    const key = `${fromIp}>${toIp}`;
    let ns = this.#pairLatencyNs.get(key);
    if (ns === undefined) {
      ns = msToNs(pairLatencyMs(this.config, this.kernel.random));
      this.#pairLatencyNs.set(key, ns);
      this.fault("pair_latency", { from: fromIp, to: toIp, ms: ns / NS_PER_MS });
    }
    return ns;
  }

  /** Bytes of a `length`-byte segment sent now (the rest follows as its own segment). */
  partialWriteSize(conn: SimConnection, length: number): number {
    if (!this.#chaosActive || length <= 1) return length;
    const n = partialWriteLength(this.config, length, this.kernel.random, this.#multiplier());
    if (n === null || n >= length) return length;
    const sent = Math.max(1, n);
    this.fault("partial_write", { connection: conn.id, length, sent });
    return sent;
  }

  /** Bytes a read returns out of a `length`-byte segment. */
  partialReadSize(conn: SimConnection, length: number): number {
    if (!this.#chaosActive || length <= 1) return length;
    const n = partialReadLength(this.config, length, this.kernel.random, this.#multiplier());
    if (n === null || n >= length) return length;
    this.fault("partial_read", { connection: conn.id, length, read: n });
    return n;
  }

  /** Delivered bytes, possibly with bits flipped (a copy; the sender's buffer is untouched). */
  maybeFlipBits(conn: SimConnection, bytes: Uint8Array): Uint8Array {
    if (!this.#chaosActive || this.config.bitFlip.probability <= 0) return bytes;
    const rng = this.kernel.random;
    const nowMs = this.kernel.nowMs();
    if (!shouldFlipBits(this.config, rng, nowMs, this.#lastBitFlipMs, this.#multiplier())) return bytes;
    this.#lastBitFlipMs = nowMs;
    const bits = bitFlipCount(this.config, rng);
    this.fault("bit_flip", { connection: conn.id, to: conn.hostIp, bits, length: bytes.length });
    return flipBits(bytes, rng, bits);
  }

  /** Clogs `conn`'s writes if the dice say so; true when this write must wait. */
  rollWriteClog(conn: SimConnection): boolean {
    if (!this.#chaosActive || !shouldClogWrite(this.config, this.kernel.random, this.#multiplier()))
      return false;
    const ms = clogDurationMs(this.config, this.kernel.random);
    this.fault("write_clog", { connection: conn.id, ip: conn.hostIp, ms });
    conn.clogWrites(this.kernel.nowNs() + msToNs(ms));
    return true;
  }

  /** Clogs `conn`'s reads if the dice say so; true when this read must wait. */
  rollReadClog(conn: SimConnection): boolean {
    if (!this.#chaosActive || !shouldClogRead(this.config, this.kernel.random, this.#multiplier()))
      return false;
    const ms = clogDurationMs(this.config, this.kernel.random);
    this.fault("read_clog", { connection: conn.id, ip: conn.hostIp, ms });
    conn.clogReads(this.kernel.nowNs() + msToNs(ms));
    return true;
  }

  /** FDB's rollRandomClose on a read or write call; true when something was closed. */
  rollRandomClose(conn: SimConnection): boolean {
    if (!this.#chaosActive || this.config.randomClose.probability <= 0) return false;
    const nowMs = this.kernel.nowMs();
    const decision = decideRandomClose(
      this.config,
      this.kernel.random,
      nowMs,
      this.#lastRandomCloseMs,
      this.#multiplier(),
    );
    if (decision === null) return false;
    this.#lastRandomCloseMs = nowMs;
    this.fault("random_close", {
      connection: conn.id,
      ip: conn.hostIp,
      side: decision.side,
      mode: decision.reset ? "rst" : "fin",
    });
    if (decision.reset) {
      conn.injectReset();
      return true;
    }
    if (decision.side !== "receive") conn.shutSend();
    if (decision.side !== "send") conn.shutReceive();
    return true;
  }

  // ------------------------------------------------------------------ ports

  #portsOf(ip: string): Set<number> {
    let set = this.#ports.get(ip);
    if (set === undefined) {
      set = new Set();
      this.#ports.set(ip, set);
    }
    return set;
  }

  #endpointsOf(ip: string): Set<SimConnection> {
    let set = this.#endpoints.get(ip);
    if (set === undefined) {
      set = new Set();
      this.#endpoints.set(ip, set);
    }
    return set;
  }

  /** The next free ephemeral port of `ip` (round robin over 49152-65535), reserved; null if none. */
  #allocatePort(ip: string): number | null {
    const ports = this.#portsOf(ip);
    let port = this.#nextPort.get(ip) ?? EPHEMERAL_FIRST;
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span; i++) {
      const candidate = port;
      port = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!ports.has(candidate)) {
        ports.add(candidate);
        this.#nextPort.set(ip, port);
        return candidate;
      }
    }
    return null;
  }
}

function dropMode(options: PartitionOptions | undefined): boolean {
  const mode = options?.mode ?? "hold";
  if (mode !== "hold" && mode !== "drop") {
    throw new InvalidArgumentError("options.mode", `expected "hold" or "drop", got ${String(mode)}`);
  }
  return mode === "drop";
}

import { type Connection, UID } from "@moonpool/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  type DecodedFrame,
  encodeFrame,
  FailureMonitor,
  FrameDecoder,
  Peer,
  type PeerConfig,
  PeerError,
  PING_TOKEN,
  PingTracker,
  PONG_TOKEN,
  resolvePeerConfig,
} from "../src/index.ts";
import { ReconnectBackoff } from "../src/peer/internal/ReconnectBackoff.ts";
import { type FakeConnection, FakeWorld, flush } from "./support/FakeWorld.ts";

const SERVER = "10.0.1.1:4500";
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A raw server: accepts connections and collects the frames it reads. */
async function rawServer(world: FakeWorld, address = SERVER) {
  const listener = await world.providers("10.0.1.1").network.listen(address);
  const conns: FakeConnection[] = [];
  const frames: DecodedFrame[] = [];
  let answerPings = false;
  let stopped = false;
  void (async () => {
    while (!stopped) {
      let conn: FakeConnection;
      try {
        conn = (await listener.accept()) as FakeConnection;
      } catch {
        return;
      }
      conns.push(conn);
      void (async () => {
        const decoder = new FrameDecoder();
        for (let c = await conn.read().catch(() => null); c; c = await conn.read().catch(() => null)) {
          for (const f of decoder.push(c)) {
            if (f.token.equals(PING_TOKEN)) {
              if (answerPings) await conn.write(encodeFrame(PONG_TOKEN, new Uint8Array(0))).catch(() => {});
            } else frames.push(f);
          }
        }
      })();
    }
  })();
  return {
    listener,
    conns,
    frames,
    texts: () => frames.map((f) => text(f.payload)),
    set answerPings(v: boolean) {
      answerPings = v;
    },
    async stop() {
      stopped = true;
      await listener.close();
    },
  };
}

const peers: Peer[] = [];
function makePeer(world: FakeWorld, config: Partial<PeerConfig> = {}, fm?: FailureMonitor) {
  const received: { token: UID; payload: Uint8Array }[] = [];
  const peer = new Peer({
    providers: world.providers("10.0.0.1"),
    destination: SERVER,
    config: resolvePeerConfig({ reconnectJitter: 0, monitor: null, ...config }),
    failureMonitor: fm,
    onMessage: (token, payload) => received.push({ token, payload }),
  });
  peers.push(peer);
  return { peer, received };
}

afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
});

describe("Peer: lazy connect and queues", () => {
  it("does not connect until something is sent, then delivers in order", async () => {
    const world = new FakeWorld();
    const server = await rawServer(world);
    const { peer } = makePeer(world);
    await world.advance(1000);
    expect(world.net.connectLog).toHaveLength(0);
    expect(peer.isConnected).toBe(false);
    peer.sendReliable(new UID(1n, 1n), bytes("a"));
    peer.sendUnreliable(new UID(1n, 2n), bytes("b"));
    peer.sendReliable(new UID(1n, 3n), bytes("c"));
    await world.advance(0);
    expect(world.net.connectLog).toHaveLength(1);
    // reliable queue drains first
    expect(server.texts()).toEqual(["a", "c", "b"]);
    const m = peer.metrics();
    expect(m.messagesSent).toBe(3);
    expect(m.messagesQueued).toBe(3);
    expect(m.connectionsEstablished).toBe(1);
    expect(m.currentQueueSize).toBe(0);
    expect(m.isConnected).toBe(true);
  });

  it("bounds the reliable queue by dropping the OLDEST packet, and counts it", async () => {
    const world = new FakeWorld();
    const { peer } = makePeer(world, { maxQueueSize: 3 });
    for (let i = 1; i <= 5; i++) peer.sendReliable(new UID(1n, 1n), bytes(`m${i}`));
    await world.advance(0); // connect refused: nothing listening
    expect(peer.metrics().messagesDropped).toBe(2);
    expect(peer.queued.reliable).toBe(3);
    const server = await rawServer(world);
    await world.advance(200); // first retry ~200 ms after the first attempt
    expect(server.texts()).toEqual(["m3", "m4", "m5"]);
  });

  it("bounds the unreliable queue by dropping the OLDEST packet, and counts it", async () => {
    const world = new FakeWorld();
    const { peer } = makePeer(world, { maxUnreliableQueueSize: 2 });
    for (let i = 1; i <= 5; i++) peer.sendUnreliable(new UID(1n, 1n), bytes(`u${i}`));
    expect(peer.queued.unreliable).toBe(2);
    expect(peer.metrics().messagesDropped).toBe(3);
    expect(() => resolvePeerConfig({ maxUnreliableQueueSize: 0 })).toThrow(/maxUnreliableQueueSize/);
  });

  it("owes one PONG at a time however many PINGs arrive while it cannot write", async () => {
    const world = new FakeWorld();
    const listener = await world.providers("10.0.0.1").network.listen("10.0.0.1:4600");
    const remote = world.providers("10.0.1.1").network.connect("10.0.0.1:4600");
    const accepted = (await listener.accept()) as FakeConnection;
    const conn = await remote;
    // The remote never reads: our first write stalls for good, later answers pile up.
    const stalled: Connection = {
      localAddress: accepted.localAddress,
      remoteAddress: accepted.remoteAddress,
      read: () => accepted.read(),
      write: () => new Promise<void>(() => {}),
      close: () => accepted.close(),
      abort: () => accepted.abort(),
      toDuplex: () => accepted.toDuplex(),
    };
    const peer = new Peer(
      {
        providers: world.providers("10.0.0.1"),
        destination: accepted.remoteAddress,
        config: resolvePeerConfig({ monitor: null }),
        onMessage: () => {},
      },
      stalled,
    );
    peers.push(peer);
    const ping = encodeFrame(PING_TOKEN, new Uint8Array(0));
    const pings = new Uint8Array(ping.length * 10_000);
    for (let i = 0; i < 10_000; i++) pings.set(ping, i * ping.length);
    await conn.write(pings);
    await world.advance(0);
    expect(peer.metrics().messagesReceived).toBe(10_000);
    expect(peer.metrics().currentQueueSize).toBe(0); // one PONG in the stalled write, one owed
    await listener.close();
  });

  it("refuses oversized payloads and sends on a closed peer with a PeerError", async () => {
    const world = new FakeWorld();
    const { peer } = makePeer(world, { maxPayloadSize: 8 });
    expect(() => peer.sendReliable(new UID(1n, 1n), new Uint8Array(9))).toThrow(PeerError);
    await peer.close();
    try {
      peer.sendUnreliable(new UID(1n, 1n), new Uint8Array(1));
      expect.unreachable();
    } catch (error) {
      expect((error as PeerError).code).toBe("CLOSED");
    }
  });
});

describe("Peer: close", () => {
  it("does not wait for a write or a graceful close that never finishes", async () => {
    const world = new FakeWorld();
    await rawServer(world);
    const base = world.providers("10.0.0.1");
    let aborted = false;
    const stalled: Connection[] = [];
    const network = {
      listen: (a: string) => base.network.listen(a),
      async connect(address: string): Promise<Connection> {
        const c = await base.network.connect(address);
        const conn: Connection = {
          localAddress: c.localAddress,
          remoteAddress: c.remoteAddress,
          read: () => c.read(),
          write: () => new Promise<void>(() => {}), // the link stalls for good
          close: () => new Promise<void>(() => {}),
          abort: () => {
            aborted = true;
            c.abort();
          },
          toDuplex: () => c.toDuplex(),
        };
        stalled.push(conn);
        return conn;
      },
    };
    const peer = new Peer({
      providers: { ...base, network },
      destination: SERVER,
      config: resolvePeerConfig({ reconnectJitter: 0, monitor: null, connectionTimeoutMs: 500 }),
      onMessage: () => {},
    });
    peer.sendReliable(new UID(1n, 1n), bytes("stuck"));
    await world.advance(0);
    expect(stalled).toHaveLength(1);
    let closed = false;
    void peer.close().then(() => {
      closed = true;
    });
    await world.advance(0);
    expect(closed).toBe(true); // the stalled write did not hold close() up
    expect(peer.queued).toEqual({ reliable: 0, unreliable: 0 });
    expect(aborted).toBe(false); // the graceful close gets connectionTimeoutMs...
    await world.advance(500);
    expect(aborted).toBe(true); // ...then the connection is reset
  });
});

describe("Peer: reconnect backoff (virtual time)", () => {
  it("first attempt at once, then ~200, 400, 800 ms... up to the cap, from the previous attempt's start", async () => {
    const world = new FakeWorld();
    const { peer } = makePeer(world, { maxReconnectDelayMs: 1000 });
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    await world.advance(5000);
    const times = world.net.connectLog.map((c) => c.at);
    expect(times.slice(0, 7)).toEqual([0, 200, 600, 1400, 2400, 3400, 4400]);
    const m = peer.metrics();
    expect(m.connectionFailures).toBe(times.length);
    expect(m.currentReconnectDelayMs).toBe(1000);
    expect(m.consecutiveFailures).toBe(times.length);
  });

  it("applies jitter from the RandomProvider within [1 - jitter, 1] of each delay", async () => {
    const world = new FakeWorld();
    const { peer } = makePeer(world, { reconnectJitter: 0.5 });
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    await world.advance(20_000);
    const times = world.net.connectLog.map((c) => c.at);
    let delay = 100;
    let jittered = false;
    for (let i = 1; i < 6; i++) {
      delay *= 2;
      const gap = times[i]! - times[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(delay * 0.5);
      expect(gap).toBeLessThanOrEqual(delay);
      if (gap < delay) jittered = true;
    }
    expect(jittered).toBe(true);
  });

  it("times out a hanging connect after connectionTimeoutMs and retries", async () => {
    const world = new FakeWorld();
    world.net.hang.add(SERVER);
    const { peer } = makePeer(world, { connectionTimeoutMs: 1000 });
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    await world.advance(3500);
    // 0 → timeout at 1000 (the 200 ms backoff is already used up) → 1000 → 2000 → 3000
    expect(world.net.connectLog.map((c) => c.at)).toEqual([0, 1000, 2000, 3000]);
    expect(peer.metrics().connectionFailures).toBe(3);
  });

  it("gives up after maxConnectionFailures: drops the queue (counted) and starts afresh at the next send", async () => {
    const world = new FakeWorld();
    const fm = new FailureMonitor(world.time);
    const { peer } = makePeer(world, { maxConnectionFailures: 3 }, fm);
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    peer.sendReliable(new UID(1n, 1n), bytes("y"));
    await world.advance(10_000);
    expect(world.net.connectLog).toHaveLength(3);
    expect(peer.queued.reliable).toBe(0);
    expect(peer.metrics().messagesDropped).toBe(2);
    expect(fm.addressStatus(SERVER)).toBe("failed");
    const server = await rawServer(world);
    peer.sendReliable(new UID(1n, 1n), bytes("z"));
    await world.advance(0);
    expect(server.texts()).toEqual(["z"]);
  });
});

describe("Peer: what survives a disconnect", () => {
  it("never resends a frame handed to a failed write (in doubt); later ones survive the reconnect", async () => {
    const world = new FakeWorld();
    const fm = new FailureMonitor(world.time);
    const server = await rawServer(world);
    const { peer } = makePeer(world, {}, fm);
    peer.sendReliable(new UID(1n, 1n), bytes("first"));
    await world.advance(0);
    expect(server.texts()).toEqual(["first"]);
    expect(fm.addressStatus(SERVER)).toBe("available");

    world.net.blockWrites.add(SERVER); // the next write fails: the socket may have taken any prefix
    peer.sendReliable(new UID(1n, 1n), bytes("r1"));
    peer.sendUnreliable(new UID(1n, 1n), bytes("u1"));
    peer.sendReliable(new UID(1n, 1n), bytes("r2"));
    await world.advance(0);
    expect(peer.isConnected).toBe(false);
    expect(fm.addressStatus(SERVER)).toBe("failed");
    expect(peer.metrics().messagesInDoubt).toBe(3);
    expect(peer.metrics().disconnects).toBe(1);

    // Queued while disconnected: never handed to a socket, so they survive (unreliable: dropped).
    peer.sendReliable(new UID(1n, 1n), bytes("r3"));
    peer.sendUnreliable(new UID(1n, 1n), bytes("u2"));
    world.net.blockWrites.delete(SERVER);
    await world.advance(200);
    expect(server.texts()).toEqual(["first", "r3", "u2"]);
    expect(peer.metrics().connectionsEstablished).toBe(2);
    expect(peer.metrics().messagesInDoubt).toBe(3);
    expect(fm.addressStatus(SERVER)).toBe("available");
  });

  it("a stable connection's loss reconnects at once; written packets are not resent", async () => {
    const world = new FakeWorld();
    const server = await rawServer(world);
    const { peer } = makePeer(world);
    peer.sendReliable(new UID(1n, 1n), bytes("a"));
    await world.advance(5000);
    server.conns[0]!.abort(); // server side resets
    await world.advance(0);
    expect(peer.isConnected).toBe(false);
    peer.sendReliable(new UID(1n, 1n), bytes("b"));
    await world.advance(0);
    expect(world.net.connectLog.map((c) => c.at)).toEqual([0, 5000]);
    expect(server.texts()).toEqual(["a", "b"]);
  });

  it("notifies disconnect listeners and the failure monitor", async () => {
    const world = new FakeWorld();
    const fm = new FailureMonitor(world.time);
    const server = await rawServer(world);
    const { peer } = makePeer(world, {}, fm);
    let disconnects = 0;
    peer.onDisconnect(() => disconnects++);
    const waiting = fm.onDisconnect(SERVER);
    peer.sendReliable(new UID(1n, 1n), bytes("a"));
    await world.advance(0);
    server.conns[0]!.close();
    await world.advance(0);
    await waiting;
    expect(disconnects).toBe(1);
  });
});

describe("Peer: bad frames", () => {
  it("drops the connection on a corrupted frame, counts it, and recovers", async () => {
    const world = new FakeWorld();
    const fm = new FailureMonitor(world.time);
    const server = await rawServer(world);
    const { peer, received } = makePeer(world, {}, fm);
    peer.sendReliable(new UID(1n, 1n), bytes("hello"));
    await world.advance(0);
    const good = encodeFrame(new UID(5n, 5n), bytes("good"));
    const bad = encodeFrame(new UID(5n, 5n), bytes("evil"));
    bad[26]! ^= 0x40;
    await server.conns[0]!.write(new Uint8Array([...good, ...bad]));
    await world.advance(0);
    expect(received.map((r) => text(r.payload))).toEqual(["good"]);
    expect(peer.metrics().wireErrors).toBe(1);
    expect(peer.isConnected).toBe(false);
    expect(fm.addressStatus(SERVER)).toBe("failed");
    // recovery: the next send reconnects (after the short-lived connection's backoff)
    peer.sendReliable(new UID(1n, 1n), bytes("again"));
    await world.advance(300);
    expect(peer.isConnected).toBe(true);
    expect(server.texts()).toEqual(["hello", "again"]);
    await server.conns[1]!.write(encodeFrame(new UID(5n, 5n), bytes("fine")));
    await world.advance(0);
    expect(received.map((r) => text(r.payload))).toEqual(["good", "fine"]);
  });

  it("treats an announced length over the cap as a bad frame at once", async () => {
    const world = new FakeWorld();
    const server = await rawServer(world);
    const { peer } = makePeer(world, { maxPayloadSize: 100 });
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    await world.advance(0);
    const header = new Uint8Array(24);
    new DataView(header.buffer).setUint32(0, 1000, true);
    await server.conns[0]!.write(header);
    await world.advance(0);
    expect(peer.metrics().wireErrors).toBe(1);
    expect(peer.isConnected).toBe(false);
  });
});

describe("Peer: ping monitor", () => {
  it("pings when idle and measures RTT while pongs come back", async () => {
    const world = new FakeWorld();
    const server = await rawServer(world);
    server.answerPings = true;
    const { peer } = makePeer(world, { monitor: {} as never });
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    await world.advance(5500);
    const m = peer.metrics();
    expect(m.pingsSent).toBeGreaterThanOrEqual(5);
    expect(m.pongsReceived).toBe(m.pingsSent);
    expect(m.lastPingRttMs).toBe(0);
    expect(peer.isConnected).toBe(true);
    expect(m.pingTimeouts).toBe(0);
  });

  it("tears the connection down when no pong and no bytes arrive", async () => {
    const world = new FakeWorld();
    const server = await rawServer(world);
    const { peer } = makePeer(world, { monitor: {} as never });
    peer.sendReliable(new UID(1n, 1n), bytes("x"));
    await world.advance(2999);
    expect(peer.isConnected).toBe(true);
    await world.advance(1); // ping at 1000, timeout at 3000
    expect(peer.isConnected).toBe(false);
    expect(peer.metrics().pingTimeouts).toBe(1);
    expect(server.conns).toHaveLength(1);
  });

  it("incoming peers answer pings and end (onClosed) when their connection is lost", async () => {
    const world = new FakeWorld();
    const listener = await world.providers("10.0.1.1").network.listen(SERVER);
    const client = await world.providers("10.0.0.1").network.connect(SERVER);
    const accepted = await listener.accept();
    let closed = 0;
    const incoming = new Peer(
      {
        providers: world.providers("10.0.1.1"),
        destination: accepted.remoteAddress,
        config: resolvePeerConfig(),
        onMessage: () => {},
        onClosed: () => closed++,
      },
      accepted,
    );
    peers.push(incoming);
    await client.write(encodeFrame(PING_TOKEN, new Uint8Array(0)));
    await world.advance(0);
    const reply = new FrameDecoder().push((await client.read())!);
    expect(reply[0]!.token.equals(PONG_TOKEN)).toBe(true);
    client.abort();
    await world.advance(0);
    expect(incoming.isClosed).toBe(true);
    expect(closed).toBe(1);
  });
});

describe("PingTracker", () => {
  const cfg = { pingIntervalMs: 1000, pingTimeoutMs: 2000, maxToleratedTimeouts: 2 };
  it("idle → ping, pong → RTT, spurious pong ignored", () => {
    const t = new PingTracker(cfg, 0);
    expect(t.timeUntilNext(400)).toBe(600);
    expect(t.onTimer(1000, 0)).toBe("send-ping");
    expect(t.timeUntilNext(1500)).toBe(1500);
    expect(t.onPong(1030)).toBe(30);
    expect(t.onPong(1040)).toBeNull();
    expect(t.timeUntilNext(1030)).toBe(970); // next cycle counts from the last ping
  });

  it("tolerates missed pongs while bytes flow, up to the limit", () => {
    const t = new PingTracker(cfg, 0);
    t.onTimer(1000, 10);
    expect(t.onTimer(3000, 20)).toBe("tolerate");
    expect(t.onTimer(5000, 30)).toBe("tolerate");
    expect(t.onTimer(7000, 40)).toBe("tear-down");
  });

  it("tears down at once when nothing arrived", () => {
    const t = new PingTracker(cfg, 0);
    t.onTimer(1000, 10);
    expect(t.onTimer(3000, 10)).toBe("tear-down");
  });
});

describe("PeerConfig", () => {
  it("has moonpool's defaults and names bad fields", () => {
    const c = resolvePeerConfig();
    expect(c).toMatchObject({
      initialReconnectDelayMs: 100,
      maxReconnectDelayMs: 30_000,
      maxQueueSize: 1000,
      connectionTimeoutMs: 5000,
      maxConnectionFailures: null,
      monitor: { pingIntervalMs: 1000, pingTimeoutMs: 2000, maxToleratedTimeouts: 3 },
    });
    expect(() => resolvePeerConfig({ maxQueueSize: 0 })).toThrow(/maxQueueSize/);
    expect(() => resolvePeerConfig({ reconnectJitter: 2 })).toThrow(/reconnectJitter/);
    expect(() => resolvePeerConfig({ monitor: { pingTimeoutMs: -1 } })).toThrow(/pingTimeoutMs/);
  });
});

await flush(0);

describe("ReconnectBackoff", () => {
  const cfg = {
    initialReconnectDelayMs: 100,
    maxReconnectDelayMs: 1000,
    reconnectJitter: 0,
    stableConnectionMs: 1000,
  };
  it("waits from the previous attempt's start, doubling to the cap; a stable connection resets it", () => {
    const b = new ReconnectBackoff(cfg, () => 0.5);
    expect(b.waitMs(0)).toBe(0);
    b.attemptStarted(0);
    b.attemptFailed();
    expect(b.waitMs(50)).toBe(150); // 200 from t=0
    for (let i = 0; i < 5; i++) b.attemptFailed();
    expect(b.delayMs).toBe(1000);
    b.connected();
    expect(b.failures).toBe(0);
    b.attemptStarted(5000);
    b.connectionLost(5100, 5000); // short-lived: keeps backing off from the attempt's start
    expect(b.waitMs(5100)).toBe(900);
    b.connectionLost(9000, 7000); // stable for 2 s: immediate reconnect, fresh delay
    expect(b.waitMs(9000)).toBe(0);
    expect(b.delayMs).toBe(100);
  });

  it("jitter shortens a wait by up to the configured fraction", () => {
    const b = new ReconnectBackoff({ ...cfg, reconnectJitter: 0.5 }, () => 0.999);
    b.attemptStarted(0);
    b.attemptFailed();
    expect(b.waitMs(0)).toBeCloseTo(200 * (1 - 0.5 * 0.999));
  });
});

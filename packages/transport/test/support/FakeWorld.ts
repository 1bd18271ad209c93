// A deterministic in-memory world for transport tests: a hand-driven clock, tasks on the
// microtask queue, a seeded RNG and an in-memory TCP-like network with fault hooks. Nothing
// here waits for real time; `advance(ms)` moves the clock and fires due timers in order.
import type {
  Connection,
  Listener,
  NetworkProvider,
  Providers,
  RandomProvider,
  StorageProvider,
  TaskHandle,
  TaskProvider,
  TimeProvider,
} from "@moonpool/core";
import { NetworkError, TaskCancelledError, TimeoutError } from "@moonpool/core";

/** Lets every pending promise chain run (a few macrotask turns). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class FakeTime implements TimeProvider {
  current = 0;
  #timers: Timer[] = [];
  #seq = 0;

  now(): number {
    return this.current;
  }
  timer(): number {
    return this.current;
  }
  get pendingTimers(): number {
    return this.#timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: this.current + ms,
        seq: this.#seq++,
        fire: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T> {
    const ctl = new AbortController();
    const p = typeof work === "function" ? work(ctl.signal) : work;
    const timer = new AbortController();
    return new Promise<T>((resolve, reject) => {
      p.then(
        (v) => {
          timer.abort();
          resolve(v);
        },
        (e) => {
          timer.abort();
          reject(e);
        },
      );
      this.sleep(ms, timer.signal).then(
        () => {
          ctl.abort();
          reject(new TimeoutError(ms));
        },
        () => {},
      );
    });
  }

  /** Moves the clock forward by `ms`, firing due timers in (time, creation) order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    while (true) {
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fire();
      await flush();
    }
    this.current = target;
    await flush();
  }
}

class FakeTaskHandle<T> implements TaskHandle<T> {
  readonly name: string;
  finished = false;
  readonly #ctl = new AbortController();
  readonly #result: Promise<T>;
  constructor(name: string, fn: (signal: AbortSignal) => Promise<T>) {
    this.name = name;
    this.#result = Promise.resolve()
      .then(() => fn(this.#ctl.signal))
      .finally(() => {
        this.finished = true;
      });
    this.#result.catch(() => {});
  }
  join(): Promise<T> {
    return this.#result;
  }
  abort(): void {
    this.#ctl.abort(new TaskCancelledError(this.name));
  }
}

export class FakeTasks implements TaskProvider {
  readonly spawned: string[] = [];
  spawn<T>(name: string, fn: (signal: AbortSignal) => Promise<T>): TaskHandle<T> {
    this.spawned.push(name);
    return new FakeTaskHandle(name, fn);
  }
  yieldNow(): Promise<void> {
    return Promise.resolve();
  }
  async select<T>(
    branches: readonly ((signal: AbortSignal) => Promise<T>)[],
  ): Promise<{ index: number; value: T }> {
    const ctls = branches.map(() => new AbortController());
    const r = await Promise.race(
      branches.map((b, i) => b(ctls[i]!.signal).then((value) => ({ index: i, value }))),
    );
    ctls.forEach((c, i) => {
      if (i !== r.index) c.abort();
    });
    return r;
  }
}

/** xorshift-based seeded RNG. */
export class FakeRandom implements RandomProvider {
  #s: number;
  constructor(seed = 1) {
    this.#s = seed >>> 0 || 1;
  }
  #next(): number {
    let x = this.#s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#s = x >>> 0;
    return this.#s;
  }
  random(): number {
    return this.#next() / 2 ** 32;
  }
  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.random() * (maxExclusive - min));
  }
  bool(p = 0.5): boolean {
    return this.random() < p;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#next() & 0xff;
    return out;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)]!;
  }
}

export class FakeConnection implements Connection {
  readonly localAddress: string;
  readonly remoteAddress: string;
  other!: FakeConnection;
  readonly #chunks: Uint8Array[] = [];
  #eof = false;
  #reset = false;
  #waiter: (() => void) | null = null;
  #writeClosed = false;
  readonly net: FakeNetwork;
  constructor(net: FakeNetwork, local: string, remote: string) {
    this.net = net;
    this.localAddress = local;
    this.remoteAddress = remote;
  }
  /** Bytes arriving from the other side. */
  deliver(data: Uint8Array): void {
    if (this.#eof || this.#reset) return;
    this.#chunks.push(data);
    this.#wake();
  }
  endOfStream(reset: boolean): void {
    if (reset) this.#reset = true;
    this.#eof = true;
    this.#wake();
  }
  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }
  async read(): Promise<Uint8Array | null> {
    while (true) {
      if (this.#reset && this.#chunks.length === 0)
        throw new NetworkError("ECONNRESET", "reset", this.remoteAddress);
      const c = this.#chunks.shift();
      if (c) return c;
      if (this.#eof) return null;
      await new Promise<void>((r) => {
        this.#waiter = r;
      });
    }
  }
  async write(data: Uint8Array): Promise<void> {
    if (this.#writeClosed || this.#reset) throw new NetworkError("EPIPE", "broken pipe", this.remoteAddress);
    if (this.net.blockWrites.has(this.remoteAddress))
      throw new NetworkError("EPIPE", "blocked", this.remoteAddress);
    const copy = data.slice();
    this.net.onWrite?.(this, copy);
    this.net.bytesWritten += copy.length;
    this.other.deliver(copy);
  }
  async close(): Promise<void> {
    if (this.#writeClosed) return;
    this.#writeClosed = true;
    this.other.endOfStream(false);
  }
  abort(): void {
    this.#writeClosed = true;
    this.#reset = true;
    this.#chunks.length = 0;
    this.#wake();
    this.other.endOfStream(true);
  }
  toDuplex(): never {
    throw new Error("not supported in FakeWorld");
  }
}

class FakeListener implements Listener {
  readonly address: string;
  readonly #pending: FakeConnection[] = [];
  #waiter: ((c: FakeConnection | null) => void) | null = null;
  closed = false;
  readonly #net: FakeNetwork;
  constructor(net: FakeNetwork, address: string) {
    this.#net = net;
    this.address = address;
  }
  push(c: FakeConnection): void {
    const w = this.#waiter;
    this.#waiter = null;
    if (w) w(c);
    else this.#pending.push(c);
  }
  accept(): Promise<Connection> {
    if (this.closed) return Promise.reject(new NetworkError("EINVAL", "listener closed", this.address));
    const c = this.#pending.shift();
    if (c) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      this.#waiter = (conn) =>
        conn ? resolve(conn) : reject(new NetworkError("EINVAL", "listener closed", this.address));
    });
  }
  async close(): Promise<void> {
    this.closed = true;
    this.#net.listeners.delete(this.address);
    const w = this.#waiter;
    this.#waiter = null;
    w?.(null);
  }
}

/** The in-memory network shared by every fake process. */
export class FakeNetwork {
  readonly listeners = new Map<string, FakeListener>();
  /** Connects to these addresses never complete. */
  readonly hang = new Set<string>();
  /** Writes towards these remote addresses fail. */
  readonly blockWrites = new Set<string>();
  readonly connectLog: { from: string; to: string; at: number }[] = [];
  readonly connections: FakeConnection[] = [];
  onWrite: ((from: FakeConnection, data: Uint8Array) => void) | undefined;
  bytesWritten = 0;
  #nextPort = 40000;
  readonly time: FakeTime;
  constructor(time: FakeTime) {
    this.time = time;
  }

  provider(ip: string): NetworkProvider {
    return {
      listen: async (address) => {
        let addr = address;
        if (addr.endsWith(":0")) addr = `${addr.slice(0, -2)}:${this.#nextPort++}`;
        if (this.listeners.has(addr)) throw new NetworkError("EADDRINUSE", "in use", addr);
        const l = new FakeListener(this, addr);
        this.listeners.set(addr, l);
        return l;
      },
      connect: (address) => {
        this.connectLog.push({ from: ip, to: address, at: this.time.now() });
        if (this.hang.has(address)) return new Promise<Connection>(() => {});
        const l = this.listeners.get(address);
        if (!l) return Promise.reject(new NetworkError("ECONNREFUSED", "refused", address));
        const ephemeral = `${ip}:${this.#nextPort++}`;
        const client = new FakeConnection(this, ephemeral, address);
        const server = new FakeConnection(this, address, ephemeral);
        client.other = server;
        server.other = client;
        this.connections.push(client, server);
        l.push(server);
        return Promise.resolve(client);
      },
    };
  }

  /** Resets every open connection touching `address` (a crash of that side's sockets). */
  breakConnections(address: string): number {
    let n = 0;
    for (const c of this.connections) {
      if (c.localAddress === address || c.remoteAddress === address) {
        c.abort();
        n++;
      }
    }
    return n;
  }
}

const noStorage: StorageProvider = {
  open: () => Promise.reject(new Error("no storage in FakeWorld")),
  exists: async () => false,
  delete: () => Promise.reject(new Error("no storage in FakeWorld")),
  rename: () => Promise.reject(new Error("no storage in FakeWorld")),
  list: async () => [],
  syncDir: () => Promise.reject(new Error("no storage in FakeWorld")),
};

export class FakeWorld {
  readonly time = new FakeTime();
  readonly net = new FakeNetwork(this.time);
  readonly tasks = new FakeTasks();
  #seed = 1;

  providers(ip: string): Providers {
    return {
      time: this.time,
      task: this.tasks,
      random: new FakeRandom(this.#seed++),
      network: this.net.provider(ip),
      storage: noStorage,
    };
  }

  advance(ms: number): Promise<void> {
    return this.time.advance(ms);
  }
}

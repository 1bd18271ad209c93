// A small deterministic stand-in for the executor, so the devices can be unit-tested before (and
// independently of) the real engine: a heap of timers ordered by (time, sequence), wakers that
// resolve in the order they were woken, and a seeded counted random stream.
import type { SimKernel, SimRandom, TimerHandle, TraceFields, Waker } from "../../src/engine/kernel.ts";

/** One recorded trace event. */
export interface FakeTraceEvent {
  timeMs: number;
  source: string;
  name: string;
  fields?: TraceFields;
}

interface Timer {
  atNs: number;
  seq: number;
  label: string;
  fn: () => void;
  cancelled: boolean;
}

/** sfc32 seeded through splitmix32: tiny, fast and good enough for tests. */
class FakeRandom implements SimRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  draws = 0;
  get drawsSinceReseed(): number {
    return this.draws;
  }
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.#raw();
  }
  #raw(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }
  random(): number {
    this.draws += 1;
    return this.#raw() / 4294967296;
  }
  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.random() * (maxExclusive - min));
  }
  bool(p = 0.5): boolean {
    return this.random() < p;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 256);
    return out;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)] as T;
  }
}

/**
 * A deterministic fake `SimKernel`. Drive it with `run(main)`: it lets microtasks and real
 * `setImmediate` hops settle, then pops the next timer, until `main` settles.
 */
export class FakeKernel implements SimKernel {
  readonly seed: number;
  readonly random: FakeRandom;
  readonly swarmRandom: FakeRandom;
  readonly traces: FakeTraceEvent[] = [];
  readonly failures: unknown[] = [];
  events = 0;
  #now = 0;
  #seq = 0;
  #heap: Timer[] = [];
  #cleanups: (() => void)[] = [];

  constructor(seed = 1) {
    this.seed = seed;
    this.random = new FakeRandom(seed);
    this.swarmRandom = new FakeRandom(seed ^ 0x5a5a5a5a);
  }

  nowNs(): number {
    return this.#now;
  }
  nowMs(): number {
    return this.#now / 1e6;
  }

  schedule(delayMs: number, label: string, fn: () => void): TimerHandle {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new Error(`bad delay ${delayMs} for ${label}`);
    const timer: Timer = {
      atNs: this.#now + Math.round(delayMs * 1e6),
      seq: this.#seq++,
      label,
      fn,
      cancelled: false,
    };
    this.#push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  waker<T>(_label: string): Waker<T> {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Unhandled rejections of abandoned wakers (e.g. after a crash) must not fail the test run.
    promise.catch(() => {});
    let settled = false;
    return {
      promise,
      get settled() {
        return settled;
      },
      wake(value: T) {
        if (settled) return;
        settled = true;
        resolve(value);
      },
      fail(error: unknown) {
        if (settled) return;
        settled = true;
        reject(error);
      },
    };
  }

  trace(source: string, name: string, fields?: TraceFields): void {
    const event: FakeTraceEvent = { timeMs: this.nowMs(), source, name };
    if (fields !== undefined) event.fields = fields;
    this.traces.push(event);
  }

  onSeedEnd(cleanup: () => void): void {
    this.#cleanups.push(cleanup);
  }

  fail(error: unknown): void {
    this.failures.push(error);
  }

  liveTasks(): { actor: string; task: string; awaiting: string }[] {
    return [];
  }

  /** Number of live (not cancelled) timers in the queue. */
  get pending(): number {
    return this.#heap.filter((t) => !t.cancelled).length;
  }

  /** Trace events named `sim_fault`, optionally of one kind. */
  faults(kind?: string): FakeTraceEvent[] {
    return this.traces.filter(
      (t) => t.name === "sim_fault" && (kind === undefined || t.fields?.kind === kind),
    );
  }

  /**
   * Runs `main` to completion, processing timers in (time, sequence) order. Throws if `main` is
   * still pending when no timer is left (a deadlock), or after `maxEvents`.
   */
  async run<T>(main: () => Promise<T>, maxEvents = 5_000_000): Promise<T> {
    let done = false;
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    main().then(
      (v) => {
        done = true;
        value = v;
      },
      (e) => {
        done = true;
        failed = true;
        error = e;
      },
    );
    try {
      for (;;) {
        await settle();
        if (done) break;
        const timer = this.#pop();
        if (timer === undefined) throw new Error(`fake kernel: deadlock at t=${this.nowMs()} ms`);
        if (++this.events > maxEvents) throw new Error("fake kernel: event budget exhausted");
        this.#now = timer.atNs;
        timer.fn();
      }
    } finally {
      for (const c of this.#cleanups.splice(0)) c();
    }
    if (failed) throw error;
    return value as T;
  }

  /** A simulated sleep (for test bodies running inside `run`). */
  sleep(ms: number): Promise<void> {
    const waker = this.waker<void>(`sleep ${ms}`);
    this.schedule(ms, "sleep", () => waker.wake());
    return waker.promise;
  }

  #less(a: Timer, b: Timer): boolean {
    return a.atNs < b.atNs || (a.atNs === b.atNs && a.seq < b.seq);
  }
  #push(t: Timer): void {
    const h = this.#heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i] as Timer, h[p] as Timer)) break;
      [h[i], h[p]] = [h[p] as Timer, h[i] as Timer];
      i = p;
    }
  }
  #peek(): Timer | undefined {
    while (this.#heap.length > 0 && (this.#heap[0] as Timer).cancelled) this.#popRaw();
    return this.#heap[0];
  }
  #pop(): Timer | undefined {
    return this.#peek() === undefined ? undefined : this.#popRaw();
  }
  #popRaw(): Timer {
    const h = this.#heap;
    const top = h[0] as Timer;
    const last = h.pop() as Timer;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l] as Timer, h[m] as Timer)) m = l;
        if (r < h.length && this.#less(h[r] as Timer, h[m] as Timer)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Timer, h[i] as Timer];
        i = m;
      }
    }
    return top;
  }
}

/** Lets every queued microtask and nextTick run (two real macrotask hops). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

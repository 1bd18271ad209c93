// A tiny stand-in executor for unit-testing the runner in isolation: an event queue ordered by
// (time, sequence), scheduler-resolved wakers picked at random from a seeded stream, and actor
// scopes whose timers and tasks die with them. It implements only what the runner uses.
import type { RandomProvider, TaskHandle } from "@moonpool/core";
import { TaskCancelledError, TimeoutError } from "@moonpool/core";
import { unownedDevices } from "../../src/engine/device-owner.ts";
import type { ActorScope, RunSeed, SimKernel, SimRandom, Waker } from "../../src/engine/kernel.ts";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class FakeRandom implements SimRandom {
  draws = 0;
  get drawsSinceReseed(): number {
    return this.draws;
  }
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  random(): number {
    this.draws++;
    return this.next();
  }
  int(min: number, max: number): number {
    if (!(min < max)) throw new Error(`int: min (${min}) must be < max (${max})`);
    return min + Math.floor(this.random() * (max - min));
  }
  bool(p = 0.5): boolean {
    return this.random() < p;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(0, 256));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick([])");
    return items[this.int(0, items.length)]!;
  }
}

export const fakeRunSeed: RunSeed = async (options, main) => {
  const started = performance.now();
  const random = new FakeRandom(options.seed);
  const pick = mulberry32(options.seed ^ 0x5bd1e995);
  let now = 0;
  let seq = 0;
  let events = 0;
  const queue: { t: number; seq: number; fn: () => void; cancelled: boolean }[] = [];
  const ready: (() => void)[] = [];
  const cleanups: (() => void)[] = [];
  let failure: Error | null = null;
  let mainDone = false;
  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
  };
  const makeWaker = <T>(alive: () => boolean): Waker<T> => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    let settled = false;
    return {
      promise,
      get settled() {
        return settled;
      },
      wake(v: T) {
        if (settled) return;
        settled = true;
        ready.push(() => alive() && resolve(v));
      },
      fail(e: unknown) {
        if (settled) return;
        settled = true;
        ready.push(() => alive() && reject(e));
      },
    };
  };
  const schedule = (delay: number, _label: string, fn: () => void) => {
    const e = { t: now + delay, seq: seq++, fn, cancelled: false };
    queue.push(e);
    return {
      cancel: () => {
        e.cancelled = true;
      },
    };
  };
  const kernel: SimKernel = {
    seed: options.seed,
    nowNs: () => now * 1e6,
    nowMs: () => now,
    schedule,
    waker: () => makeWaker(() => true),
    random,
    swarmRandom: random as RandomProvider,
    trace: (source, name, fields) =>
      options.onTrace(
        fields === undefined ? { timeMs: now, source, name } : { timeMs: now, source, name, fields },
      ),
    onSeedEnd: (fn) => void cleanups.push(fn),
    fail,
    liveTasks: () => [],
  };
  const createActor = (name: string, ip: string): ActorScope => {
    let alive = true;
    const isAlive = () => alive;
    const sleep = (ms: number, signal?: AbortSignal) => {
      const w = makeWaker<void>(isAlive);
      const timer = schedule(ms, "sleep", () => w.wake());
      signal?.addEventListener("abort", () => {
        timer.cancel();
        w.fail(Object.assign(new Error("aborted"), { name: "AbortError" }));
      });
      return w.promise;
    };
    const spawn = <T>(taskName: string, fn: (signal: AbortSignal) => Promise<T>): TaskHandle<T> => {
      const controller = new AbortController();
      let finished = false;
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
      const joiners: Waker<T>[] = [];
      const settle = (o: typeof outcome) => {
        finished = true;
        outcome = o;
        for (const j of joiners) o!.ok ? j.wake(o!.value) : j.fail(o!.error);
        if (!o!.ok && !(o!.error instanceof TaskCancelledError)) fail(o!.error);
      };
      ready.push(() => {
        if (!alive) return;
        fn(controller.signal).then(
          (value) => settle({ ok: true, value }),
          (error) => settle({ ok: false, error }),
        );
      });
      return {
        name: taskName,
        get finished() {
          return finished;
        },
        join() {
          const w = makeWaker<T>(() => true);
          if (outcome) outcome.ok ? w.wake(outcome.value) : w.fail(outcome.error);
          else joiners.push(w);
          return w.promise;
        },
        abort() {
          controller.abort();
        },
      };
    };
    return {
      name,
      ip,
      random,
      owner: unownedDevices(kernel),
      nodeNet: null,
      get killed() {
        return !alive;
      },
      time: {
        now: () => now,
        timer: () => now,
        sleep,
        async timeout(ms, work) {
          const c = new AbortController();
          const p = typeof work === "function" ? work(c.signal) : work;
          const t = sleep(ms).then(() => {
            c.abort();
            throw new TimeoutError(ms);
          });
          return Promise.race([p, t]);
        },
      },
      task: {
        spawn,
        yieldNow: () => {
          const w = makeWaker<void>(isAlive);
          w.wake();
          return w.promise;
        },
        async select(branches) {
          const c = new AbortController();
          const r = await Promise.race(
            branches.map((b, index) => b(c.signal).then((value) => ({ index, value }))),
          );
          c.abort();
          return r;
        },
      },
      kill: () => {
        alive = false;
      },
      liveTasks: () => [],
    };
  };
  main(kernel, { createActor }).then(
    () => {
      mainDone = true;
    },
    (e) => {
      fail(e);
      mainDone = true;
    },
  );
  while (true) {
    await new Promise((r) => setImmediate(r));
    if (failure || mainDone) break;
    if (ready.length > 0) {
      const [wake] = ready.splice(Math.floor(pick() * ready.length), 1);
      wake!();
      continue;
    }
    let best = -1;
    for (let i = 0; i < queue.length; i++) {
      const e = queue[i]!;
      if (e.cancelled) continue;
      if (best < 0 || e.t < queue[best]!.t || (e.t === queue[best]!.t && e.seq < queue[best]!.seq)) best = i;
    }
    if (best >= 0) {
      const [e] = queue.splice(best, 1);
      now = e!.t;
      if (now > options.budgets.virtualMs) {
        fail(
          Object.assign(new Error(`virtual-time budget exceeded (seed ${options.seed})`), {
            kind: "virtual-budget",
          }),
        );
        break;
      }
      e!.fn();
      events++;
      options.afterEvent?.();
      continue;
    }
    if (!options.onQuiescent())
      fail(Object.assign(new Error(`deadlock (seed ${options.seed})`), { kind: "deadlock" }));
  }
  for (const c of cleanups) c();
  const outcome = {
    ok: failure === null,
    events,
    simulatedMs: now,
    wallMs: performance.now() - started,
    draws: random.draws,
    engineHash: "",
  };
  return failure ? { ...outcome, error: failure } : outcome;
};

// Engine throughput and memory: simulated timer events per second on a timer-heavy workload
// (100 tasks x 2,000 random sleeps), side by side with a plain setImmediate loop and with
// @sinonjs/fake-timers firing the same number of timers, and with the minimal binary heap it
// cannot beat (internal/minimal-heap.ts); RSS growth over 100,000 tiny seeds.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Connection } from "@moonpool/core";
import {
  DEFAULT_BUDGETS,
  runSeed,
  type SeedRunOptions,
  type SimContext,
  SimulationBuilder,
} from "@moonpool/sim";
import FakeTimers from "@sinonjs/fake-timers";
import type { BenchSuite } from "../harness.ts";
import { minimalHeapEventsPerSecond } from "./internal/minimal-heap.ts";

setFlagsFromString("--expose-gc");
/** A full GC before each RSS reading, so the growth measures retained memory, not garbage. */
const gc = runInNewContext("gc") as () => void;

const TASKS = 100;
const SLEEPS = 2_000;
const TIMERS = TASKS * SLEEPS;

const options = (seed: number): SeedRunOptions => ({
  seed,
  hermetic: true,
  budgets: { ...DEFAULT_BUDGETS, virtualMs: 1e12 },
  onQuiescent: () => false,
  onTrace: () => {},
});

/** Simulated events per second for one run of the timer-heavy workload. */
async function engineEventsPerSecond(seed: number): Promise<number> {
  const start = performance.now();
  const outcome = await runSeed(options(seed), async (_kernel, actors) => {
    const a = actors.createActor("timers", "10.0.0.1");
    const handles = [];
    for (let i = 0; i < TASKS; i++) {
      handles.push(
        a.task.spawn(`t${i}`, async () => {
          for (let j = 0; j < SLEEPS; j++) await a.time.sleep(a.random.int(1, 1_000));
        }),
      );
    }
    for (const h of handles) await h.join();
  });
  const seconds = (performance.now() - start) / 1000;
  if (!outcome.ok || outcome.events !== TIMERS)
    throw outcome.error ?? new Error(`expected ${TIMERS} events, got ${outcome.events}`);
  return outcome.events / seconds;
}

/** `await new Promise(r => setImmediate(r))` hops per second (the naive drain). */
async function setImmediateHopsPerSecond(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < TIMERS; i++) await new Promise((resolve) => setImmediate(resolve));
  return TIMERS / ((performance.now() - start) / 1000);
}

/** fake-timers firing the same workload's timers, one `clock.next()` and one real hop per timer. */
async function fakeTimersPerSecond(): Promise<number> {
  const clock = FakeTimers.createClock(0, TIMERS * 2);
  let state = 12345;
  const nextDelay = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 1 + (state % 999);
  };
  const start = performance.now();
  let fired = 0;
  const tasks = [];
  for (let i = 0; i < TASKS; i++) {
    tasks.push(
      (async () => {
        for (let j = 0; j < SLEEPS; j++)
          await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), nextDelay()));
      })(),
    );
  }
  while (clock.countTimers() > 0) {
    clock.next();
    fired++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(tasks);
  if (fired !== TIMERS) throw new Error(`fake-timers fired ${fired} timers, expected ${TIMERS}`);
  return TIMERS / ((performance.now() - start) / 1000);
}

/** Seeds per second and RSS growth over `seeds` tiny seeds (one actor, one sleep). */
async function tinySeeds(seeds: number): Promise<{ perSecond: number; rssGrowthMb: number }> {
  const tiny = async (seed: number) => {
    const outcome = await runSeed(options(seed), async (_kernel, actors) => {
      const a = actors.createActor("a", "10.0.0.1");
      await a.time.sleep(a.random.int(1, 100));
    });
    if (!outcome.ok) throw outcome.error;
  };
  for (let s = 0; s < 2_000; s++) await tiny(s); // warm up before the first RSS reading
  gc();
  const rssBefore = process.memoryUsage.rss();
  const start = performance.now();
  for (let s = 0; s < seeds; s++) await tiny(s);
  const perSecond = seeds / ((performance.now() - start) / 1000);
  gc();
  return { perSecond, rssGrowthMb: (process.memoryUsage.rss() - rssBefore) / 1_048_576 };
}

/** The same tiny seed (one workload, one sleep) through SimulationBuilder: seeds per second. */
async function tinyBuilderSeeds(seeds: number): Promise<number> {
  const run = (n: number) =>
    new SimulationBuilder()
      .logSeeds(false)
      .workload({
        name: "a",
        async run(ctx) {
          await ctx.time.sleep(ctx.random.int(1, 100));
        },
      })
      .iterations(n)
      .run();
  await run(2_000); // warm-up
  const start = performance.now();
  const report = await run(seeds);
  if (!report.ok) throw new Error(report.format());
  return seeds / ((performance.now() - start) / 1000);
}

const PING_PORT = 7000;

/** Echoes every chunk on each accepted connection until shutdown. */
async function echo(ctx: SimContext): Promise<void> {
  const listener = await ctx.network.listen(`${ctx.ip}:${PING_PORT}`);
  ctx.shutdown.addEventListener("abort", () => void listener.close(), { once: true });
  for (;;) {
    const conn = await listener.accept().catch(() => null);
    if (conn === null) return;
    ctx.task.spawn("echo", async () => {
      try {
        for (let chunk = await conn.read(); chunk; chunk = await conn.read()) await conn.write(chunk);
      } catch {
        // the run is ending
      } finally {
        conn.abort();
      }
    });
  }
}

/** The 3-actor ping seed (2 echo servers, 1 client, 10 messages) through SimulationBuilder. */
async function pingBuilderSeeds(seeds: number): Promise<number> {
  const run = (n: number) =>
    new SimulationBuilder()
      .logSeeds(false)
      .processes(2, () => ({ name: "echo", run: echo }))
      .workload({
        name: "client",
        async run(ctx) {
          const servers = ctx.peers().map((p) => p.ip);
          let conn: Connection | null = null;
          try {
            for (let k = 0; k < 10; k++) {
              conn ??= await ctx.network.connect(`${servers[k % 2]}:${PING_PORT}`);
              await conn.write(new Uint8Array(16).fill(k));
              if ((await conn.read()) === null) throw new Error("echo closed");
              if (k === 4) {
                conn.abort();
                conn = null;
              }
            }
          } finally {
            conn?.abort();
          }
        },
      })
      .iterations(n)
      .run();
  await run(1_000); // warm-up
  const start = performance.now();
  const report = await run(seeds);
  if (!report.ok) throw new Error(report.format());
  return seeds / ((performance.now() - start) / 1000);
}

export default (async (r) => {
  let engine = 0;
  for (let k = 0; k < 3; k++) engine = Math.max(engine, await engineEventsPerSecond(k));
  let hops = 0;
  for (let k = 0; k < 2; k++) hops = Math.max(hops, await setImmediateHopsPerSecond());
  const fake = await fakeTimersPerSecond();
  let heapMicrotask = 0;
  let heapRearm = 0;
  for (let k = 0; k < 3; k++) {
    heapMicrotask = Math.max(heapMicrotask, await minimalHeapEventsPerSecond("microtask", TASKS, SLEEPS));
    heapRearm = Math.max(heapRearm, await minimalHeapEventsPerSecond("engine-rearm", TASKS, SLEEPS));
  }
  r.figure("engine: timer events/s (100 tasks x 2,000 sleeps)", engine, "events/s");
  r.figure("minimal heap, one microtask per event: events/s", heapMicrotask, "events/s");
  r.figure("minimal heap, the engine's microtask + nextTick re-arm: events/s", heapRearm, "events/s");
  r.ratio("engine / minimal heap with the same re-arm", engine / heapRearm, "goal >= 0.8");
  r.ratio("engine / minimal heap, one microtask per event", engine / heapMicrotask, "goal >= 0.6");
  r.figure("setImmediate loop: hops/s", hops, "hops/s");
  r.figure("@sinonjs/fake-timers: timers/s (same workload)", fake, "timers/s");
  r.ratio("engine events/s / setImmediate hops/s", engine / hops, "goal >= 1");
  r.ratio("engine events/s / fake-timers timers/s", engine / fake, "goal > 1");
  const { perSecond, rssGrowthMb } = await tinySeeds(100_000);
  r.figure("tiny seeds/s (1 actor, 1 sleep, hermetic)", perSecond, "seeds/s");
  const viaBuilder = await tinyBuilderSeeds(20_000);
  r.figure("tiny seeds/s through SimulationBuilder (1 workload, 1 sleep)", viaBuilder, "seeds/s");
  r.ratio(
    "tiny seed: SimulationBuilder / runSeed",
    viaBuilder / perSecond,
    "goal >= 0.7 (per-seed runner overhead)",
  );
  r.figure("RSS growth over 100,000 tiny seeds", rssGrowthMb, "MB");
  const ping = await pingBuilderSeeds(5_000);
  r.figure(
    "3-actor ping seeds/s through SimulationBuilder (2 echo servers, 1 client, 10 messages)",
    ping,
    "seeds/s",
  );
  r.ratio(
    "3-actor ping seed through the builder / tiny seed through runSeed",
    ping / perSecond,
    "goal >= 0.5",
  );
}) satisfies BenchSuite;

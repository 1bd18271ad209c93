// Every global ARCHITECTURE.md lists for hermetic mode, routed to the simulated world while a
// seed drains (deterministic per seed, on virtual time), and refused in strict mode.
import * as nodeCrypto from "node:crypto";
import * as nodeTimers from "node:timers";
import * as timersPromises from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { SimulationError } from "../../src/engine/errors.ts";
import { VIRTUAL_EPOCH_MS } from "../../src/host/hermetic.ts";
import { run, runOk } from "./helpers.ts";

describe("hermetic globals (every one ARCHITECTURE.md lists)", () => {
  it("time readers all read virtual time", async () => {
    await runOk(31, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      await a.time.sleep(2_500);
      expect(Date.now()).toBe(VIRTUAL_EPOCH_MS + 2_500);
      expect(new Date().toISOString()).toBe("2020-01-01T00:00:02.500Z");
      expect(typeof Date()).toBe("string");
      expect(performance.now()).toBe(2_500);
      expect(process.hrtime()).toEqual([2, 500_000_000]);
      expect(process.hrtime([1, 700_000_000])).toEqual([0, 800_000_000]);
      expect(process.hrtime.bigint()).toBe(2_500_000_000n);
      expect(process.uptime()).toBe(2.5);
    });
  });

  it("randomness sources are drawn from the counted stream (deterministic, counted)", async () => {
    const sample = async (seed: number) => {
      const out: unknown[] = [];
      const outcome = await runOk(seed, async () => {
        out.push(
          Math.random(),
          crypto.randomUUID(),
          [...crypto.getRandomValues(new Uint32Array(2))],
          nodeCrypto.randomUUID(),
          [...nodeCrypto.getRandomValues(new Uint8Array(3))],
          [...nodeCrypto.randomBytes(4)],
          nodeCrypto.randomInt(10, 1_000_000),
        );
      });
      return { out, draws: outcome.draws };
    };
    const first = await sample(32);
    expect((await sample(32)).out).toEqual(first.out);
    expect((await sample(33)).out).not.toEqual(first.out);
    expect(first.draws).toBeGreaterThan(0);
  });

  it("timer globals and node:timers twins fire on virtual time; handles support ref/unref/hasRef/refresh", async () => {
    await runOk(34, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const log: string[] = [];
      setImmediate(() => log.push(`setImmediate@${a.time.now()}`));
      nodeTimers.setImmediate(() => log.push(`timers.setImmediate@${a.time.now()}`));
      let n = 0;
      const iv = nodeTimers.setInterval(() => {
        log.push(`timers.setInterval@${a.time.now()}`);
        if (++n === 2) nodeTimers.clearInterval(iv);
      }, 40);
      const cancelled = nodeTimers.setTimeout(() => log.push("never"), 10);
      nodeTimers.clearTimeout(cancelled);
      const immediateCancelled = setImmediate(() => log.push("never"));
      clearImmediate(immediateCancelled);
      const handle = setTimeout(() => log.push(`refreshed@${a.time.now()}`), 30);
      expect(handle.unref()).toBe(handle);
      expect(handle.hasRef()).toBe(false);
      expect(handle.ref().hasRef()).toBe(true);
      await a.time.sleep(20);
      handle.refresh(); // restarts from t=20: fires at 50
      await a.time.sleep(100);
      expect(log.sort()).toEqual(
        [
          "setImmediate@0",
          "timers.setImmediate@0",
          "timers.setInterval@40",
          "timers.setInterval@80",
          "refreshed@50",
        ].sort(),
      );
    });
  });

  it("a fired timeout can be refreshed (Node re-arms it); a cleared one cannot", async () => {
    await runOk(35, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const fired: number[] = [];
      const t = setTimeout(() => fired.push(a.time.now()), 10);
      await a.time.sleep(15);
      t.refresh();
      await a.time.sleep(20);
      expect(fired).toEqual([10, 25]);
      clearTimeout(t);
      t.refresh();
      await a.time.sleep(20);
      expect(fired).toEqual([10, 25]);
    });
  });

  it("node:timers/promises setTimeout, setImmediate and setInterval run on virtual time", async () => {
    await runOk(36, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      expect(await timersPromises.setTimeout(300, "late")).toBe("late");
      expect(a.time.now()).toBe(300);
      expect(await timersPromises.setImmediate("now")).toBe("now");
      expect(a.time.now()).toBe(300);
      const ticks: number[] = [];
      for await (const _ of timersPromises.setInterval(25)) {
        ticks.push(a.time.now());
        if (ticks.length === 3) break;
      }
      expect(ticks).toEqual([325, 350, 375]);
      const controller = new AbortController();
      const aborted = timersPromises.setTimeout(1_000, undefined, { signal: controller.signal });
      await a.time.sleep(1);
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    });
  });

  it("AbortSignal.timeout aborts at the virtual deadline with a TimeoutError", async () => {
    await runOk(37, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const signal = AbortSignal.timeout(500);
      await a.time.sleep(499);
      expect(signal.aborted).toBe(false);
      await a.time.sleep(1);
      expect(signal.aborted).toBe(true);
      expect((signal.reason as DOMException).name).toBe("TimeoutError");
    });
  });
});

describe("hermetic strict mode", () => {
  const forbidden: [string, () => unknown][] = [
    ["Date.now()", () => Date.now()],
    ["new Date()", () => new Date()],
    ["Date()", () => Date()],
    ["performance.now()", () => performance.now()],
    ["process.hrtime()", () => process.hrtime()],
    ["process.hrtime.bigint()", () => process.hrtime.bigint()],
    ["process.uptime()", () => process.uptime()],
    ["Math.random()", () => Math.random()],
    ["crypto.randomUUID()", () => crypto.randomUUID()],
    ["crypto.getRandomValues()", () => crypto.getRandomValues(new Uint8Array(2))],
    ["crypto.randomUUID()", () => nodeCrypto.randomUUID()],
    ["crypto.getRandomValues()", () => nodeCrypto.getRandomValues(new Uint8Array(2))],
    ["crypto.randomBytes()", () => nodeCrypto.randomBytes(2)],
    ["setTimeout()", () => setTimeout(() => {}, 1)],
    ["setInterval()", () => setInterval(() => {}, 1)],
    ["setImmediate()", () => setImmediate(() => {})],
    ["setTimeout()", () => nodeTimers.setTimeout(() => {}, 1)],
    ["setImmediate()", () => nodeTimers.setImmediate(() => {})],
    ["timers/promises.setTimeout()", () => timersPromises.setTimeout(1)],
    ["timers/promises.setImmediate()", () => timersPromises.setImmediate()],
    ["AbortSignal.timeout()", () => AbortSignal.timeout(1)],
  ];

  it.each(forbidden.map(([name, call], i) => ({ name, call, seed: 40 + i })))(
    "$name throws, naming the global and the provider to use",
    async ({ name, call, seed }) => {
      const outcome = await run(
        seed,
        async () => {
          await call();
        },
        { hermetic: "strict" },
      );
      expect(outcome.ok).toBe(false);
      const error = outcome.error as SimulationError;
      expect(error.message).toContain(`seed ${seed}`);
      expect(error.message).toContain(`${name} is not allowed inside a simulation; use ctx.`);
    },
  );

  it("simulated providers keep working in strict mode", async () => {
    const outcome = await runOk(
      70,
      async (_k, actors) => {
        const a = actors.createActor("a", "x");
        await a.time.sleep(5);
        a.random.int(0, 10);
        await a.task.spawn("t", async () => a.task.yieldNow()).join();
      },
      { hermetic: "strict" },
    );
    expect(outcome.simulatedMs).toBe(5);
  });
});

describe("hermetic patches and real yields", () => {
  it("real callbacks that run while a seed yields see the real globals", async () => {
    const realDate = Date;
    const realRandom = Math.random;
    const realSetTimeout = setTimeout;
    const realLog = console.log;
    const realNow = performance.now;
    const seen: boolean[] = [];
    // Armed before the seed starts: it runs during the seed's first yield to the real loop.
    setImmediate(() => {
      seen.push(
        Date === realDate,
        Math.random === realRandom,
        setTimeout === realSetTimeout,
        console.log === realLog,
        performance.now === realNow,
        Date.now() > VIRTUAL_EPOCH_MS + 86_400_000 * 365,
      );
    });
    let insideBefore = false;
    let insideAfter = false;
    const randomsOfSeed: number[] = [];
    await runOk(90, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      // Inside, Date is the virtual one and Math.random draws from the seed (routed by its
      // trampoline, which stays in place between drains).
      insideBefore =
        Date !== realDate && Date.now() === VIRTUAL_EPOCH_MS && randomsOfSeed.push(Math.random()) > 0;
      for (let i = 0; i < 10_000; i++) await a.time.sleep(1); // more steps than one drain slice
      insideAfter = Date !== realDate && Date.now() === VIRTUAL_EPOCH_MS + 10_000;
    });
    await runOk(90, async () => {
      randomsOfSeed.push(Math.random());
    });
    expect(randomsOfSeed[0]).toBe(randomsOfSeed[1]);
    expect(seen).toEqual([true, true, true, true, true, true]);
    expect(insideBefore).toBe(true);
    expect(insideAfter).toBe(true);
  });
});

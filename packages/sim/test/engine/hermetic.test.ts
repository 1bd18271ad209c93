import * as nodeCrypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SimulationError } from "../../src/engine/errors.ts";
import { VIRTUAL_EPOCH_MS } from "../../src/host/hermetic.ts";
import { run, runOk } from "./helpers.ts";

async function sample(seed: number): Promise<unknown[]> {
  const out: unknown[] = [];
  await runOk(seed, async (_k, actors) => {
    const a = actors.createActor("a", "x");
    await a.time.sleep(1_234);
    out.push(
      Date.now(),
      // biome-ignore lint/complexity/useDateNow: the Date constructor is under test
      new Date().getTime(),
      Math.random(),
      Math.random(),
      crypto.randomUUID(),
      performance.now(),
    );
    out.push(
      nodeCrypto.randomUUID(),
      [...crypto.getRandomValues(new Uint8Array(4))],
      process.hrtime.bigint(),
    );
    out.push(
      nodeCrypto.randomInt(1_000_000),
      [...nodeCrypto.randomFillSync(new Uint8Array(6))],
      [...nodeCrypto.randomBytes(3)],
    );
  });
  return out;
}

describe("hermetic mode", () => {
  it("Date.now, Math.random, crypto and performance.now are deterministic per seed", async () => {
    const a = await sample(1);
    expect(await sample(1)).toEqual(a);
    expect(await sample(2)).not.toEqual(a);
    expect(a[0]).toBe(VIRTUAL_EPOCH_MS + 1_234);
    expect(a[1]).toBe(VIRTUAL_EPOCH_MS + 1_234);
    expect(a[5]).toBe(1_234);
    expect(a[8]).toBe(1_234_000_000n);
    expect(a[9]).toBeGreaterThanOrEqual(0);
    expect(a[9]).toBeLessThan(1_000_000);
    expect(a[4]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("restores the real globals around the seed", async () => {
    const realDate = Date;
    const realSetTimeout = setTimeout;
    const realRandom = Math.random;
    const realNextTick = process.nextTick;
    let inside: unknown;
    await runOk(3, async () => {
      inside = Date;
      expect(new Date()).toBeInstanceOf(Date);
      expect(new Date(0).getTime()).toBe(0);
      expect(Date.UTC(2020, 0, 1)).toBe(VIRTUAL_EPOCH_MS);
    });
    expect(inside).not.toBe(realDate);
    expect(Date).toBe(realDate);
    expect(setTimeout).toBe(realSetTimeout);
    expect(Math.random).toBe(realRandom);
    expect(process.nextTick).toBe(realNextTick);
    expect(Date.now()).toBeGreaterThan(VIRTUAL_EPOCH_MS + 86_400_000 * 365);
  });

  it("timer globals run on virtual time: setTimeout, clearTimeout, setInterval, timers/promises, AbortSignal.timeout", async () => {
    const { setTimeout: promiseTimeout } = await import("node:timers/promises");
    const timers = await import("node:timers");
    await runOk(4, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const log: string[] = [];
      const t = setTimeout(() => log.push(`timeout@${a.time.now()}`), 100);
      expect(t.hasRef()).toBe(true);
      expect(t.unref().hasRef()).toBe(false);
      expect(typeof +t).toBe("number");
      const cancelled = setTimeout(() => log.push("cancelled"), 50);
      clearTimeout(cancelled);
      let n = 0;
      const i = setInterval(() => {
        log.push(`interval@${a.time.now()}`);
        if (++n === 3) clearInterval(i);
      }, 30);
      timers.setTimeout(() => log.push(`node:timers@${a.time.now()}`), 70);
      await a.time.sleep(200);
      expect(log).toEqual(["interval@30", "interval@60", "node:timers@70", "interval@90", "timeout@100"]);
      // timers/promises as imported at module load: patched through the module object.
      const { setTimeout: lateTimeout } = await import("node:timers/promises");
      expect(await lateTimeout(500, "v")).toBe("v");
      expect(a.time.now()).toBe(700);
      const { scheduler } = await import("node:timers/promises");
      await scheduler.wait(50);
      expect(a.time.now()).toBe(750);
      const signal = AbortSignal.timeout(1_000);
      await a.time.sleep(999);
      expect(signal.aborted).toBe(false);
      await a.time.sleep(1);
      expect(signal.aborted).toBe(true);
      void promiseTimeout;
    });
  });

  it("strict mode throws, naming the global and the provider to use", async () => {
    const outcome = await run(
      5,
      async () => {
        Date.now();
      },
      { hermetic: "strict" },
    );
    expect(outcome.ok).toBe(false);
    expect((outcome.error as SimulationError).message).toContain(
      "Date.now() is not allowed inside a simulation; use ctx.time.now()",
    );
    const timer = await run(
      6,
      async () => {
        setTimeout(() => {}, 1);
      },
      { hermetic: "strict" },
    );
    expect(timer.error?.message).toContain("setTimeout() is not allowed");
  });

  it("hermetic: false leaves the real globals alone", async () => {
    const realDate = Date;
    await runOk(
      7,
      async () => {
        expect(Date).toBe(realDate);
      },
      { hermetic: false },
    );
  });
});

describe("hermetic timer callbacks", () => {
  it("a throwing setTimeout callback fails the seed naming the task that armed it", async () => {
    const outcome = await run(8, async (_k, actors) => {
      const a = actors.createActor("server", "10.0.1.1");
      await a.task
        .spawn("armer", async () => {
          setTimeout(() => {
            throw new Error("timer callback failed");
          }, 5);
        })
        .join();
      await a.time.sleep(10);
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.message).toContain('event "setTimeout" (scheduled by task "server/armer") threw');
    expect(outcome.error?.message).toContain("timer callback failed");
  });

  it("refresh() restarts a timer from now; a killed actor's timers never fire", async () => {
    await runOk(9, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const fired: number[] = [];
      const t = setTimeout(() => fired.push(a.time.now()), 10);
      await a.time.sleep(8);
      t.refresh();
      await a.time.sleep(20);
      expect(fired).toEqual([18]);
      const doomed = actors.createActor("doomed", "y");
      await doomed.task
        .spawn("arm", async () => {
          setInterval(() => fired.push(-1), 1);
        })
        .join();
      doomed.kill("crash");
      await a.time.sleep(10);
      expect(fired).toEqual([18]);
    });
  });
});

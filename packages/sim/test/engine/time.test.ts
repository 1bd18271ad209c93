import { InvalidArgumentError } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import type { SimulationError } from "../../src/engine/errors.ts";
import { run, runOk } from "./helpers.ts";

const DAY_MS = 86_400_000;

describe("virtual time", () => {
  it("wakes sleepers in deadline order, whatever the order they slept in", async () => {
    const log: string[] = [];
    await runOk(1, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const sleeper = (ms: number) =>
        a.task.spawn(`s${ms}`, async () => {
          await a.time.sleep(ms);
          log.push(`${ms}@${a.time.now()}`);
        });
      const hs = [30, 10, 20, 0, 5].map(sleeper);
      for (const h of hs) await h.join();
    });
    expect(log).toEqual(["0@0", "5@5", "10@10", "20@20", "30@30"]);
  });

  it("sleep(0) lets time stand still but still goes through the scheduler", async () => {
    await runOk(2, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      let other = false;
      a.task.spawn("other", async () => {
        other = true;
      });
      await a.time.sleep(0);
      expect(a.time.now()).toBe(0);
      expect(other).toBe(true);
    });
  });

  it("completes 100 simulated days of sleeps", async () => {
    const outcome = await runOk(
      3,
      async (_k, actors) => {
        const a = actors.createActor("a", "x");
        for (let day = 0; day < 100; day++) {
          for (let h = 0; h < 24; h++) await a.time.sleep(3_600_000);
        }
        expect(a.time.now()).toBe(100 * DAY_MS);
      },
      { budgets: { virtualMs: 101 * DAY_MS, wallMs: 60_000, wakesPerInstant: 1_000 } },
    );
    expect(outcome.simulatedMs).toBe(100 * DAY_MS);
    expect(outcome.events).toBe(2_400);
  });

  it("fails the seed with a clear error past 2^53 ns", async () => {
    const outcome = await run(
      4,
      async (_k, actors) => {
        const a = actors.createActor("a", "x");
        await a.time.sleep(105 * DAY_MS);
      },
      { budgets: { virtualMs: 1_000 * DAY_MS, wallMs: 60_000, wakesPerInstant: 1_000 } },
    );
    expect(outcome.ok).toBe(false);
    expect((outcome.error as SimulationError).kind).toBe("time-overflow");
    expect(outcome.error?.message).toMatch(/seed 4: virtual time would pass 2\^53 ns/);
  });

  it("a cancelled sleep leaves no event behind", async () => {
    const outcome = await runOk(5, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const controller = new AbortController();
      const long = a.time.sleep(3_600_000, controller.signal).catch((e) => e);
      await a.time.sleep(1);
      controller.abort(new Error("stop"));
      expect(((await long) as Error).message).toBe("stop");
    });
    expect(outcome.simulatedMs).toBe(1);
    expect(outcome.events).toBe(1);
  });

  it("timer() drifts monotonically within [now, now + drift]", async () => {
    await runOk(6, async (_k, actors) => {
      const a = actors.createActor("a", "x", { driftMs: 50 });
      let last = 0;
      let drifted = false;
      for (let i = 0; i < 200; i++) {
        await a.time.sleep(7);
        const t = a.time.timer();
        expect(t).toBeGreaterThanOrEqual(a.time.now());
        expect(t).toBeLessThanOrEqual(a.time.now() + 50);
        expect(t).toBeGreaterThanOrEqual(last);
        if (t > a.time.now()) drifted = true;
        last = t;
      }
      expect(drifted).toBe(true);
      const still = actors.createActor("b", "y");
      expect(still.time.timer()).toBe(still.time.now());
    });
  });

  it("rejects bad durations naming the argument", async () => {
    await runOk(7, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
        expect(() => a.time.sleep(bad)).toThrow(InvalidArgumentError);
      }
    });
  });
});

describe("a killed actor's task resumed through a plain promise", () => {
  it("never wakes from sleep or timeout again, even while a live task is current", async () => {
    const steps: string[] = [];
    await runOk(17, async (_k, actors) => {
      const server = actors.createActor("server", "10.0.1.1");
      const client = actors.createActor("client", "10.0.0.1");
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      server.task.spawn("zombie", async () => {
        await gate; // a plain promise: the scheduler does not own it
        steps.push("resumed after kill"); // JavaScript cannot cancel this continuation
        await server.time.sleep(1);
        steps.push("after sleep");
      });
      server.task.spawn("zombie-timeout", async () => {
        await gate;
        await server.time.timeout(1, Promise.resolve("x"));
        steps.push("after timeout");
      });
      await client.time.sleep(5);
      server.kill("crash");
      await client.task
        .spawn("releaser", async () => {
          release();
          await client.task.yieldNow();
        })
        .join();
      await client.time.sleep(100);
    });
    expect(steps).toEqual(["resumed after kill"]);
  });
});

import { TaskCancelledError, TimeoutError } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { SimulationError } from "../../src/engine/errors.ts";
import { run, runOk } from "./helpers.ts";

describe("tasks", () => {
  it("join returns the value; a joined task's error goes to the joiner, not the seed", async () => {
    await runOk(1, async (_k, actors) => {
      const a = actors.createActor("a", "10.0.0.1");
      const ok = a.task.spawn("ok", async () => {
        await a.time.sleep(5);
        return 42;
      });
      const bad = a.task.spawn("bad", async () => {
        await a.time.sleep(1);
        throw new Error("expected");
      });
      const failed = bad.join().then(
        () => "resolved",
        (e: Error) => e.message,
      );
      expect(await ok.join()).toBe(42);
      expect(await failed).toBe("expected");
      expect(ok.finished).toBe(true);
      expect(bad.finished).toBe(true);
    });
  });

  it("abort rejects join with TaskCancelledError", async () => {
    await runOk(2, async (_k, actors) => {
      const a = actors.createActor("a", "10.0.0.1");
      const h = a.task.spawn("sleeper", (signal) => a.time.sleep(60_000, signal));
      await a.time.sleep(10);
      h.abort();
      await expect(h.join()).rejects.toBeInstanceOf(TaskCancelledError);
    });
  });

  it("a task whose function takes no signal can still be aborted (before it starts, or while it runs)", async () => {
    await runOk(15, async (_k, actors) => {
      const a = actors.createActor("a", "10.0.0.1");
      let ran = false;
      const early = a.task.spawn("early", async () => {
        ran = true;
      });
      early.abort();
      await expect(early.join()).rejects.toBeInstanceOf(TaskCancelledError);
      expect(ran).toBe(false);
      const late = a.task.spawn("late", async () => {
        await a.time.sleep(5);
        throw new Error("gave up");
      });
      await a.time.sleep(1);
      late.abort();
      await expect(late.join()).rejects.toBeInstanceOf(TaskCancelledError);
    });
  });

  it("an unjoined throwing task fails the seed with the task's name and stack, not the test file", async () => {
    const outcome = await run(3, async (_k, actors) => {
      const a = actors.createActor("server", "10.0.1.1");
      a.task.spawn("crasher", async () => {
        await a.time.sleep(3);
        throw new Error("kaboom");
      });
      await a.time.sleep(1_000);
    });
    expect(outcome.ok).toBe(false);
    const error = outcome.error as SimulationError;
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.kind).toBe("task-failed");
    expect(error.message).toContain("seed 3");
    expect(error.message).toContain('"server/crasher"');
    expect(error.message).toContain("kaboom");
    expect(error.stack).toContain("kaboom");
    // The next seed is unaffected.
    await runOk(4, async (_k, actors) => {
      await actors.createActor("a", "x").time.sleep(1);
    });
  });

  it("a throw of a non-Error is reported readably", async () => {
    const outcome = await run(5, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      a.task.spawn("stringy", async () => {
        throw "a string";
      });
      await a.time.sleep(1);
    });
    expect(outcome.error?.message).toContain('thrown string "a string"');
  });

  it("a throwing abort listener fails the seed", async () => {
    const outcome = await run(6, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const h = a.task.spawn("listener", async (signal) => {
        signal.addEventListener("abort", () => {
          throw new Error("listener blew up");
        });
        await a.time.sleep(100, signal).catch(() => {});
      });
      await a.time.sleep(1);
      h.abort();
      await a.time.sleep(10);
    });
    expect(outcome.ok).toBe(false);
    expect((outcome.error as SimulationError).kind).toBe("task-failed");
    expect(outcome.error?.message).toMatch(
      /uncaught exception in task "main\/main": Error: listener blew up/,
    );
    expect(outcome.error?.stack).toContain("tasks.test.ts"); // the listener's own frame
  });

  it("an unhandled rejection fails the seed", async () => {
    const outcome = await run(7, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      void Promise.reject(new Error("nobody listens"));
      await a.time.sleep(1);
    });
    expect(outcome.ok).toBe(false);
    expect((outcome.error as SimulationError).kind).toBe("unhandled-rejection");
    expect(outcome.error?.message).toContain("nobody listens");
    expect(outcome.error?.stack).toContain("tasks.test.ts"); // where the promise was rejected
  });

  it("kill drops an actor's tasks: never resumed again, joiners get TaskCancelledError", async () => {
    let resumed = 0;
    await runOk(8, async (_k, actors) => {
      const server = actors.createActor("server", "10.0.1.1");
      const client = actors.createActor("client", "10.0.0.1");
      const handles = [0, 1, 2].map((i) =>
        server.task.spawn(`loop${i}`, async () => {
          for (;;) {
            await server.time.sleep(10);
            resumed++;
          }
        }),
      );
      await client.time.sleep(35);
      const before = resumed;
      expect(server.liveTasks().map((t) => t.name)).toEqual(["loop0", "loop1", "loop2"]);
      server.kill("crash");
      expect(server.liveTasks()).toEqual([]);
      for (const h of handles) await expect(h.join()).rejects.toBeInstanceOf(TaskCancelledError);
      await client.time.sleep(1_000);
      expect(resumed).toBe(before);
      expect(() => server.task.spawn("late", async () => {})).toThrow(/was killed/);
    });
  });

  it("tasks still alive at the end of a seed never run again, in any later seed", async () => {
    let resumedAfterEnd = 0;
    let ended = false;
    await runOk(9, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      a.task.spawn("forever", async () => {
        for (;;) {
          await a.time.sleep(1);
          if (ended) resumedAfterEnd++;
        }
      });
      await a.time.sleep(50);
    });
    ended = true;
    for (let seed = 10; seed < 13; seed++) {
      await runOk(seed, async (_k, actors) => {
        await actors.createActor("b", "y").time.sleep(100);
      });
    }
    expect(resumedAfterEnd).toBe(0);
  });

  it("select draws the winner among simultaneously ready branches and aborts the losers", async () => {
    const winners = new Set<number>();
    for (let seed = 0; seed < 30; seed++) {
      await runOk(seed, async (_k, actors) => {
        const a = actors.createActor("a", "x");
        const signals: AbortSignal[] = [];
        const result = await a.task.select(
          [0, 1, 2].map((i) => async (signal: AbortSignal) => {
            signals[i] = signal;
            await a.time.sleep(5, signal);
            return i;
          }),
        );
        winners.add(result.index);
        expect(result.value).toBe(result.index);
        expect(signals.filter((s) => s.aborted)).toHaveLength(2);
        expect(signals[result.index]?.aborted).toBe(false);
      });
    }
    expect([...winners].sort()).toEqual([0, 1, 2]);
  });

  it("timeout: the work wins a tie; a late work is aborted with TimeoutError", async () => {
    await runOk(14, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      expect(await a.time.timeout(10, (signal) => a.time.sleep(10, signal).then(() => "work"))).toBe("work");
      let aborted: unknown;
      const late = a.time.timeout(10, async (signal) => {
        signal.addEventListener("abort", () => {
          aborted = signal.reason;
        });
        await a.time.sleep(11, signal).catch(() => {});
        return "late";
      });
      await expect(late).rejects.toBeInstanceOf(TimeoutError);
      expect(aborted).toBeInstanceOf(TimeoutError);
      expect(a.time.now()).toBe(20);
    });
  });
});

describe("a killed actor's task resumed through a plain promise", () => {
  it("parks for good at its next task primitive instead of running under the live task's wakes", async () => {
    const steps: string[] = [];
    await runOk(16, async (_k, actors) => {
      const server = actors.createActor("server", "10.0.1.1");
      const client = actors.createActor("client", "10.0.0.1");
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      server.task.spawn("zombie", async () => {
        await gate; // a plain promise: the scheduler does not own it
        steps.push("resumed after kill"); // JavaScript cannot cancel this continuation
        await server.task.yieldNow();
        steps.push("after yieldNow");
        await server.task.select([() => Promise.resolve(1)]);
        steps.push("after select");
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

describe("select", () => {
  it("a branch that settles strictly earlier always wins (the draw is only among simultaneous ones)", async () => {
    for (let seed = 0; seed < 20; seed++) {
      await runOk(seed, async (_k, actors) => {
        const a = actors.createActor("a", "x");
        const reasons: unknown[] = [];
        const result = await a.task.select(
          [7, 3, 5].map((ms) => async (signal: AbortSignal) => {
            signal.addEventListener("abort", () => reasons.push(signal.reason));
            await a.time.sleep(ms, signal);
            return ms;
          }),
        );
        expect(result).toEqual({ index: 1, value: 3 });
        expect(reasons).toHaveLength(2);
        for (const r of reasons) expect(r).toBeInstanceOf(TaskCancelledError);
        expect(a.time.now()).toBe(3);
      });
    }
  });
});

import { describe, expect, it } from "vitest";
import { SimulationError } from "../../src/engine/errors.ts";
import { createRunSeed } from "../../src/engine/executor.ts";
import type { DrainHost } from "../../src/engine/host.ts";
import { nodeHost } from "../../src/host/node-host.ts";
import { options, run } from "./helpers.ts";

const expectKind = (error: Error | undefined, kind: string, seed: number): SimulationError => {
  expect(error).toBeInstanceOf(SimulationError);
  const e = error as SimulationError;
  expect(e.kind).toBe(kind);
  expect(e.seed).toBe(seed);
  expect(e.message).toContain(`seed ${seed}:`);
  return e;
};

describe("hang detection", () => {
  it("deadlock: quiescent with main unfinished, dumping every live task and what it awaits", async () => {
    const outcome = await run(11, async (kernel, actors) => {
      const a = actors.createActor("server", "10.0.1.1");
      a.task.spawn("reader", async () => {
        await kernel.waker<void>("read on conn#1").promise;
      });
      await kernel.waker<void>("the end of the world").promise;
    });
    const e = expectKind(outcome.error, "deadlock", 11);
    expect(e.dump).toEqual([
      { actor: "main", task: "main", awaiting: "the end of the world" },
      { actor: "server", task: "reader", awaiting: "read on conn#1" },
    ]);
    expect(e.message).toContain("server/reader: awaiting read on conn#1");
  });

  it("onQuiescent may unblock the run (stage one) before a deadlock is declared", async () => {
    let calls = 0;
    const outcome = await run(
      12,
      async (kernel) => {
        const shutdown = kernel.waker<void>("shutdown");
        kernel.onSeedEnd(() => {});
        (globalThis as { __shutdown?: () => void }).__shutdown = () => shutdown.wake();
        await shutdown.promise;
      },
      {
        onQuiescent: () => {
          calls++;
          (globalThis as { __shutdown?: () => void }).__shutdown?.();
          return true;
        },
      },
    );
    delete (globalThis as { __shutdown?: () => void }).__shutdown;
    expect(outcome.ok).toBe(true);
    expect(calls).toBe(1);
  });

  it("busy task: too many wakes without virtual time advancing", async () => {
    const outcome = await run(
      13,
      async (_k, actors) => {
        const a = actors.createActor("spinner", "x");
        for (;;) await a.task.yieldNow();
      },
      { budgets: { virtualMs: 3_600_000, wallMs: 60_000, wakesPerInstant: 10_000 } },
    );
    expectKind(outcome.error, "busy", 13);
    expect(outcome.error?.message).toContain("main/main");
  });

  it("self-re-arming timers: virtual-time budget", async () => {
    const outcome = await run(
      14,
      async (_k, actors) => {
        const a = actors.createActor("ticker", "x");
        for (;;) await a.time.sleep(1_000);
      },
      { budgets: { virtualMs: 60_000, wallMs: 60_000, wakesPerInstant: 1_000 } },
    );
    expectKind(outcome.error, "virtual-budget", 14);
    expect(outcome.simulatedMs).toBeLessThanOrEqual(61_000);
  });

  it("wall-clock budget, checked at every real yield", async () => {
    // A host whose wall clock advances one second per reading: deterministic, no real waiting.
    let wall = 0;
    const slowClock: DrainHost = { ...nodeHost, wallNowMs: () => (wall += 1_000) };
    slowClock.yieldToRealLoop = nodeHost.yieldToRealLoop.bind(slowClock);
    const outcome = await createRunSeed(slowClock)(
      options(15, { budgets: { virtualMs: 3_600_000_000, wallMs: 5_000, wakesPerInstant: 1_000 } }),
      async (_k, actors) => {
        const a = actors.createActor("worker", "x");
        for (;;) await a.time.sleep(1);
      },
    );
    expectKind(outcome.error, "wall-budget", 15);
  });
});

describe("hang dumps", () => {
  it("say when a task waits on a promise the simulation never resolves", async () => {
    const outcome = await run(16, async (_k, actors) => {
      const a = actors.createActor("client", "10.0.0.1");
      await a.time.sleep(5);
      await new Promise(() => {});
    });
    const e = outcome.error as SimulationError;
    expect(e.kind).toBe("deadlock");
    expect(e.dump).toEqual([
      { actor: "main", task: "main", awaiting: "a non-simulated promise (last resumed after sleep 5 ms)" },
    ]);
  });
});

describe("every hang kind dumps the live tasks", () => {
  it("busy and virtual-budget failures list each live task and what it awaits", async () => {
    const busy = await run(
      17,
      async (_k, actors) => {
        const a = actors.createActor("server", "10.0.1.1");
        a.task.spawn("idler", () => a.time.sleep(60_000));
        await a.task
          .spawn("spinner", async () => {
            for (;;) await a.task.yieldNow();
          })
          .join();
      },
      { budgets: { virtualMs: 3_600_000, wallMs: 60_000, wakesPerInstant: 5_000 } },
    );
    const b = expectKind(busy.error, "busy", 17);
    expect(b.dump).toEqual([
      { actor: "main", task: "main", awaiting: 'join "spinner"' },
      { actor: "server", task: "idler", awaiting: "sleep 60000 ms" },
      { actor: "server", task: "spinner", awaiting: "yieldNow" },
    ]);
    expect(b.message).toContain("server/idler: awaiting sleep 60000 ms");

    const rearming = await run(
      18,
      async (_k, actors) => {
        const a = actors.createActor("ticker", "x");
        setInterval(() => {}, 1_000); // a self-re-arming hermetic timer
        await a.task.spawn("waiter", () => new Promise(() => {})).join();
      },
      { budgets: { virtualMs: 10_000, wallMs: 60_000, wakesPerInstant: 1_000 } },
    );
    const r = expectKind(rearming.error, "virtual-budget", 18);
    expect(r.message).toContain('next event "setInterval"');
    expect(r.dump.map((t) => `${t.actor}/${t.task}`)).toEqual(["main/main", "ticker/waiter"]);
  });
});

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SimulationError } from "../../src/engine/errors.ts";
import { real } from "../../src/host/real-globals.ts";
import { run } from "./helpers.ts";

// References captured before @moonpool/sim loaded (a reference captured later is a trampoline
// that routes to the simulation while a seed drains): real timers.
const realSetTimeout = real.setTimeout;
const realSetImmediate = real.setImmediate as typeof setImmediate;

describe("leak detection", () => {
  it("a real timer escaping hermetic mode through a reference saved before @moonpool/sim loaded", async () => {
    let handle: ReturnType<typeof setTimeout> | undefined;
    const outcome = await run(21, async (_k, actors) => {
      handle = realSetTimeout(() => {}, 60_000);
      await actors.createActor("a", "x").time.sleep(1);
    });
    clearTimeout(handle);
    expect(outcome.ok).toBe(false);
    const e = outcome.error as SimulationError;
    expect(e.kind).toBe("leak");
    expect(e.message).toMatch(/seed 21: real resources leaked out of the simulation: 1 × Timeout/);
  });

  it("a real socket", async () => {
    let server: net.Server | undefined;
    const outcome = await run(22, async (_k, actors) => {
      // `new net.Server()` is not routed to the simulated network (net.createServer is): a real listener.
      server = new net.Server();
      server.listen(0, "127.0.0.1");
      await actors.createActor("a", "x").time.sleep(1);
    });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.message).toMatch(/leaked.*TCPServerWrap/);
  });

  it("a real file request", async () => {
    let done: Promise<void> | undefined;
    const outcome = await run(26, async (_k, actors) => {
      // Started without waiting: the request is still in flight when the seed ends.
      done = new Promise((resolve) => fs.stat(import.meta.filename, () => resolve()));
      await actors.createActor("a", "x").time.sleep(1);
    });
    await done;
    expect(outcome.ok).toBe(false);
    const e = outcome.error as SimulationError;
    expect(e.kind).toBe("leak");
    expect(e.message).toMatch(/seed 26: real resources leaked out of the simulation: 1 × FSReqCallback/);
  });

  it("a seed that only uses simulated providers leaks nothing", async () => {
    const outcome = await run(27, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      setTimeout(() => {}, 10_000); // hermetic: a simulated timer, dropped with the seed
      await a.time.sleep(1);
    });
    expect(outcome.ok).toBe(true);
  });

  it("a simulation API called from a real callback outside the drain", async () => {
    const outcome = await run(23, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      realSetImmediate(() => {
        void a.time.sleep(5).catch(() => {});
      });
      for (let i = 0; i < 20_000; i++) await a.time.sleep(1);
    });
    expect(outcome.ok).toBe(false);
    const e = outcome.error as SimulationError;
    expect(e.kind).toBe("leak");
    expect(e.message).toContain("time.sleep called outside the simulation's drain");
  });

  it("a waker woken from a real callback outside the drain", async () => {
    const outcome = await run(25, async (kernel, actors) => {
      const a = actors.createActor("a", "x");
      const w = kernel.waker<void>("device read");
      realSetImmediate(() => w.wake());
      for (let i = 0; i < 20_000; i++) await a.time.sleep(1);
      await w.promise;
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.message).toContain('waker "device read" woken outside the simulation\'s drain');
  });

  it("a leaked callback calling the simulation after the seed ended gets a clear error", async () => {
    let late: (() => Promise<void>) | undefined;
    await run(24, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      late = () => a.time.sleep(1);
    });
    expect(() => late?.()).toThrow(/seed 24: simulation API time.sleep called after the seed ended/);
  });

  it("a seed awaiting a real timer gets the same verdict whether it fires early or late", () => {
    // In a process of its own: the leak check counts real resources, and a test runner's own
    // timers would come and go during the seed.
    const script = fileURLToPath(new URL("./fixtures/real-timer-verdicts.ts", import.meta.url));
    for (let round = 0; round < 2; round++) {
      const out = execFileSync(
        process.execPath,
        ["--conditions=@moonpool/source", "--import", "tsx", script],
        {
          encoding: "utf8",
        },
      );
      expect(JSON.parse(out)).toEqual(["leak", "leak", "leak", "leak", "leak"]);
    }
  }, 60_000);
});

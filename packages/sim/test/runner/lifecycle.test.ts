// The end of a run and a process's boots: a factory runs only inside a seed (a throw is a failing
// seed), `check()` runs while the processes still run, and no process boots once their shutdown
// began (a restart due then would see an aborted signal and never return).
import { describe, expect, it } from "vitest";
import { type Process, SimulationBuilder } from "../../src/index.ts";

/** An echo server on :7000 that returns when its shutdown aborts (the transport README pattern). */
function echoServer(): Process {
  return {
    name: "srv",
    async run(ctx) {
      ctx.trace("srv_boot");
      const stopped = new Promise<void>((resolve) =>
        ctx.shutdown.addEventListener("abort", () => resolve(), { once: true }),
      );
      const listener = await ctx.network.listen(`${ctx.ip}:7000`);
      ctx.task.spawn("accept", async () => {
        for (;;) {
          const conn = await listener.accept().catch(() => null);
          if (conn === null) return;
          const bytes = await conn.read().catch(() => null);
          if (bytes !== null) await conn.write(bytes).catch(() => {});
        }
      });
      await stopped;
      await listener.close();
      ctx.trace("srv_exit");
    },
  };
}

describe("a process factory", () => {
  it("is called only inside a seed: a throw on first boot is a failing seed with its replay", async () => {
    let calls = 0;
    const builder = new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => {
        calls += 1;
        if (calls === 1) throw new Error("boom on first call");
        return echoServer();
      })
      .workload({ name: "w", async run() {} })
      .seeds([1, 2]);
    expect(calls).toBe(0);
    const report = await builder.run();
    expect(report.seeds.map((s) => s.ok)).toEqual([false, true]);
    expect(report.seeds[0]?.error).toContain("the process factory of group 1 threw on first boot");
    expect(report.seeds[0]?.error).toContain("boom on first call");
    expect(report.failingSeeds).toEqual([1]);
    expect(report.replayCommand(1)).toContain("--seed 1");
  });

  it("that returns something else fails the seed naming the argument", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => ({ run: async () => {} }) as unknown as Process)
      .workload({ name: "w", async run() {} })
      .seeds([1])
      .run();
    expect(report.seeds[0]?.ok).toBe(false);
    expect(report.seeds[0]?.error).toContain("processes(factory)");
  });
});

describe("the end of a run", () => {
  it("check() runs while the processes still run", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, echoServer)
      .workload({
        name: "w",
        async run() {},
        async check(ctx) {
          const conn = await ctx.network.connect(`${ctx.peer("srv")}:7000`);
          await conn.write(new Uint8Array([7]));
          const back = await conn.read();
          ctx.trace("check_echo", { byte: back?.[0] ?? -1 });
          if (back?.[0] !== 7) throw new Error("no echo in check()");
        },
      })
      .seeds([1, 2, 3])
      .recordTraces()
      .run();
    expect(report.seeds.map((s) => s.error ?? "ok")).toEqual(["ok", "ok", "ok"]);
    const names = (report.traces?.[1] ?? []).map((e) => (e as { name: string }).name);
    // the check saw the server, and the server exited only afterwards
    expect(names.indexOf("check_echo")).toBeGreaterThanOrEqual(0);
    expect(names.indexOf("srv_exit")).toBeGreaterThan(names.indexOf("check_echo"));
  });

  it("a process crashed just before the workloads finish restarts before the checks and exits at shutdown", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, echoServer)
      .workload({
        name: "w",
        async run(ctx) {
          await ctx.time.sleep(60);
        },
      })
      .fault("crash", async (f) => {
        await f.time.sleep(50);
        f.reboot(f.processes()[0]!.ip, "crash");
      })
      .seeds([1, 2, 3, 4])
      .recordTraces()
      .run();
    expect(report.seeds.map((s) => s.error ?? "ok")).toEqual(["ok", "ok", "ok", "ok"]);
    for (const events of Object.values(report.traces ?? {})) {
      const names = events.map((e) => (e as { name: string }).name);
      expect(names.filter((n) => n === "srv_boot")).toHaveLength(2);
      expect(names.filter((n) => n === "srv_exit")).toHaveLength(1);
    }
  });
});

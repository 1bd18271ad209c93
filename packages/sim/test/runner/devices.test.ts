import { beforeAll, describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";
import { chooseExecutor, realExecutorAvailable } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const echoServer: Process = {
  name: "echo",
  async run(ctx) {
    const listener = await ctx.network.listen(`${ctx.ip}:7000`);
    ctx.shutdown.addEventListener("abort", () => void listener.close());
    while (!ctx.shutdown.aborted) {
      const conn = await listener.accept().catch(() => null);
      if (!conn) break;
      ctx.task.spawn("serve", async () => {
        for (let data = await conn.read(); data; data = await conn.read()) await conn.write(data);
        await conn.close();
      });
    }
  },
};

const client = (rounds: number): Workload => ({
  name: "client",
  async run(ctx) {
    for (let i = 0; i < rounds && !ctx.shutdown.aborted; i++) {
      try {
        const conn = await ctx.time.timeout(2_000, () => ctx.network.connect(`${ctx.peer("echo")}:7000`));
        await conn.write(new Uint8Array([i]));
        const reply = await ctx.time.timeout(2_000, conn.read());
        ctx.trace("echoed", { ok: reply?.[0] === i });
        await conn.close();
      } catch (e) {
        ctx.trace("request_failed", { error: String(e).slice(0, 60) });
        await ctx.time.sleep(500);
      }
    }
  },
});

describe.runIf(realExecutorAvailable)("through the simulated devices", () => {
  it("a workload talks to a process over ctx.network", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => echoServer)
      .workload(client(3))
      .iterations(5)
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    for (const events of Object.values(report.traces ?? {})) {
      const echoed = (events as { name: string; fields: { ok?: boolean } }[]).filter(
        (e) => e.name === "echoed",
      );
      expect(echoed).toHaveLength(3);
      expect(echoed.every((e) => e.fields.ok)).toBe(true);
    }
  });

  it("attrition reboots processes during the chaos window only, and they come back", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(2, () => echoServer)
      .workload({
        name: "waiter",
        async run(ctx) {
          await ctx.time.sleep(60_000);
        },
      })
      .chaos({ attrition: { maxDead: 1, weights: { graceful: 1, crash: 1, wipe: 1 } }, buggify: false })
      .chaosDuration(30_000)
      .seeds([1, 2, 3])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    let reboots = 0;
    for (const events of Object.values(report.traces ?? {})) {
      const list = events as { name: string; timeMs: number }[];
      const rebootTimes = list.filter((e) => e.name === "process_reboot").map((e) => e.timeMs);
      reboots += rebootTimes.length;
      expect(rebootTimes.every((t) => t <= 30_000)).toBe(true);
      const chaosEnd = list.find((e) => e.name === "chaos_end")!;
      expect(chaosEnd.timeMs).toBe(30_000);
      expect(list.filter((e) => e.name === "process_boot").length).toBeGreaterThanOrEqual(
        2 + rebootTimes.length - 1,
      );
    }
    expect(reboots).toBeGreaterThan(0);
  });

  it("network, reboots and chaos replay identically (checkDeterminism)", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(2, () => echoServer)
      .workload(() => client(6))
      .chaos({ network: "random", attrition: { maxDead: 1 } })
      .chaosDuration(10_000)
      .seeds([4, 5, 6])
      .checkDeterminism()
      .run();
    expect(report.divergences).toEqual([]);
    expect(report.iterations).toBe(3);
  });
});

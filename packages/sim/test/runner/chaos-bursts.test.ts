import { beforeAll, describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";
import { stubbornProcess, tracesOf, waiter } from "./chaos-helpers.ts";
import { chooseExecutor, realExecutorAvailable } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const server: Process = {
  name: "server",
  async run(ctx) {
    const listener = await ctx.network.listen(`${ctx.ip}:7000`);
    ctx.shutdown.addEventListener("abort", () => void listener.close());
    while (!ctx.shutdown.aborted) {
      const conn = await listener.accept().catch(() => null);
      if (!conn) break;
      void conn.close().catch(() => {});
    }
  },
};

/** Connects 200 times (each attempt bounded by a timeout). */
const connector: Workload = {
  name: "connector",
  async run(ctx) {
    for (let i = 0; i < 200; i++) {
      try {
        const conn = await ctx.time.timeout(500, () => ctx.network.connect(`${ctx.peer("server")}:7000`));
        await conn.close();
      } catch {
        // a refused or hung connect: counted by the device's fault trace
      }
      await ctx.time.sleep(20);
    }
  },
};

const connectFaults = async (bursts: false | { quietMultiplier: number; burstMultiplier: number }) => {
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .processes(1, () => server)
    .workload(connector)
    .chaos({ network: { connectFailure: { probability: 0.2 } }, bursts, buggify: false })
    .chaosDuration(60_000)
    .seeds([1, 2])
    .recordTraces()
    .run();
  expect(report.failed).toBe(0);
  let faults = 0;
  for (const events of tracesOf(report).values())
    faults += events.filter((e) => e.source === "network" && e.name === "sim_fault").length;
  return faults;
};

describe.runIf(realExecutorAvailable)("correlated bursts scale the devices' fault probabilities", () => {
  it("a zero multiplier silences the faults; a large one multiplies them", async () => {
    const plain = await connectFaults(false);
    const silenced = await connectFaults({ quietMultiplier: 0, burstMultiplier: 0 });
    const amplified = await connectFaults({ quietMultiplier: 4, burstMultiplier: 4 });
    expect(plain).toBeGreaterThan(20);
    expect(silenced).toBe(0);
    expect(amplified).toBeGreaterThan(plain * 2);
  });
});

describe("correlated bursts steer attrition", () => {
  it("reboots land on bursting machines far more often than their share of time", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(6, () => stubbornProcess(), { locality: (i) => `dc1/z${i % 2}/m${i}` })
      .workload(waiter(200_000))
      .chaos({
        attrition: {
          maxDead: 1,
          scope: "machine",
          interval: { minMs: 200, maxMs: 800 },
          restartDelay: { minMs: 10, maxMs: 50 },
        },
        // each machine is bursting ~20% of the time; a quiet machine has weight 0
        bursts: {
          sourcesPerDomain: 1,
          meanOnMs: 2_000,
          meanOffMs: 8_000,
          quietMultiplier: 0,
          burstMultiplier: 1,
          globalCoupling: 0,
        },
        buggify: false,
      })
      .chaosDuration(150_000)
      .seeds([1, 2])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    const plans = [...tracesOf(report).values()].flatMap((ev) => ev.filter((e) => e.name === "attrition"));
    expect(plans.length).toBeGreaterThan(100);
    const onBursting = plans.filter((p) => (p.fields.burst as number) > 0).length / plans.length;
    // uniform choice would hit a bursting machine ~20% of the time; weighted, whenever one bursts (~74%)
    expect(onBursting).toBeGreaterThan(0.55);
  });
});

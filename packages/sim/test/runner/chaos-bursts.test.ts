import { beforeAll, describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";
import { tracesOf } from "./chaos-helpers.ts";
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

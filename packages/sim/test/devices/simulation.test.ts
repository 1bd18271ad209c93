// The devices as a SimulationBuilder sees them (runner/devices.ts wiring): storage survives
// crash reboots as far as it was synced, FaultContext partitions act on ctx.network, and
// `.chaos({ network, storage })` faults show up as sim_fault trace events.
import { describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";

interface Event {
  name: string;
  source: string;
  timeMs: number;
  fields: Record<string, unknown>;
}

/** A counter that persists every increment (write + sync) before acknowledging it. */
const counter = (syncBeforeAck: boolean): Process => ({
  name: "counter",
  async run(ctx) {
    const file = await ctx.storage.open("counter.bin", { read: true, write: true, create: true });
    await ctx.storage.syncDir(""); // the file's name is durable before any value is acknowledged
    const stored = await file.read(0, 4);
    let value = stored.length === 4 ? new DataView(stored.buffer, stored.byteOffset).getUint32(0) : 0;
    ctx.trace("boot", { value });
    const listener = await ctx.network.listen(`${ctx.ip}:4500`);
    ctx.shutdown.addEventListener("abort", () => void listener.close());
    for (;;) {
      const conn = await listener.accept().catch(() => null);
      if (conn === null) return;
      ctx.task.spawn("client", async () => {
        for (let req = await conn.read().catch(() => null); req; req = await conn.read().catch(() => null)) {
          value += 1;
          const bytes = new Uint8Array(4);
          new DataView(bytes.buffer).setUint32(0, value);
          await file.write(0, bytes);
          if (syncBeforeAck) await file.sync();
          await conn.write(bytes).catch(() => {});
        }
      });
    }
  },
});

const clients = (requests: number): Workload => ({
  name: "clients",
  async run(ctx) {
    let acked = 0;
    for (let i = 0; i < requests && !ctx.shutdown.aborted; i++) {
      try {
        const conn = await ctx.time.timeout(1_000, () => ctx.network.connect(`${ctx.peer("counter")}:4500`));
        await conn.write(new Uint8Array([1]));
        const reply = await ctx.time.timeout(1_000, conn.read());
        if (reply && reply.length === 4) {
          acked = new DataView(reply.buffer, reply.byteOffset).getUint32(0);
          ctx.trace("acked", { value: acked });
        }
        conn.abort();
      } catch {
        await ctx.time.sleep(200);
      }
      await ctx.time.sleep(20);
    }
  },
});

/** Reboots the counter (crash) once, 250 ms into the run. */
function crashOnce(builder: SimulationBuilder): SimulationBuilder {
  return builder.chaosDuration(5_000).fault("crash the counter", async (f) => {
    await f.time.sleep(250);
    f.reboot(f.processes()[0]?.ip as string, "crash");
  });
}

/** Acknowledged values that a later boot does not remember (the bug a missing fsync causes). */
function lostAcks(events: Event[]): number {
  let lost = 0;
  let lastAck = 0;
  for (const e of events) {
    if (e.name === "acked") lastAck = Number(e.fields.value);
    if (e.name === "boot" && Number(e.fields.value) < lastAck) lost += 1;
  }
  return lost;
}

describe("devices inside a simulation", () => {
  it("synced writes survive crash reboots: no acknowledged increment is ever forgotten", async () => {
    const report = await crashOnce(new SimulationBuilder())
      .logSeeds(false)
      .processes(1, () => counter(true))
      .workload(() => clients(30))
      .iterations(10)
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    for (const events of Object.values(report.traces ?? {}) as Event[][]) {
      expect(events.filter((e) => e.name === "boot").length).toBe(2);
      expect(events.some((e) => e.name === "sim_fault" && e.fields.kind === "storage_crash")).toBe(true);
      expect(lostAcks(events)).toBe(0);
    }
  });

  it("without the sync, a crash forgets acknowledged increments within a few seeds", async () => {
    const report = await crashOnce(new SimulationBuilder())
      .logSeeds(false)
      .processes(1, () => counter(false))
      .workload(() => clients(30))
      .iterations(20)
      .recordTraces()
      .run();
    const seedsWithLoss = (Object.values(report.traces ?? {}) as Event[][]).filter((ev) => lostAcks(ev) > 0);
    expect(seedsWithLoss.length).toBeGreaterThan(0);
  });

  it("FaultContext partitions stop the traffic of ctx.network until healed", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => counter(true))
      .workload(() => clients(40))
      .chaosDuration(10_000)
      .fault("partition", async (f) => {
        await f.time.sleep(100);
        f.partitionBoth("10.0.0.1", f.processes()[0]?.ip as string, 500);
      })
      .seeds([1])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    const events = report.traces?.["1"] as Event[];
    const acks = events.filter((e) => e.name === "acked").map((e) => e.timeMs);
    const cut = events.find((e) => e.name === "sim_fault" && e.fields.kind === "partition")?.timeMs as number;
    expect(cut).toBeGreaterThanOrEqual(100);
    // No acknowledgement while the partition lasts; traffic resumes after it heals.
    expect(acks.filter((t) => t > cut + 5 && t < cut + 500)).toHaveLength(0);
    expect(acks.some((t) => t > cut + 500)).toBe(true);
  });

  it(".chaos({ network: 'random', storage: 'random' }) injects traced faults, deterministically", async () => {
    const build = () =>
      new SimulationBuilder()
        .logSeeds(false)
        .processes(1, () => counter(true))
        .workload(() => clients(60))
        .chaos({ network: "random", storage: "random", buggify: false })
        .chaosDuration(3_000)
        .seeds([3, 4, 5])
        .recordTraces();
    const first = await build().run();
    const second = await build().run();
    expect(second.seeds.map((s) => s.traceHash)).toEqual(first.seeds.map((s) => s.traceHash));
    const faults = (Object.values(first.traces ?? {}) as Event[][]).flatMap((ev) =>
      ev.filter((e) => e.name === "sim_fault").map((e) => String(e.fields.kind)),
    );
    expect(faults.length).toBeGreaterThan(0);
  });
});

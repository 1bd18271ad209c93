// Simulations without `.chaos()` build their network and storage on first use (see
// runner/internal/lazy-devices.ts): their traces must be exactly those of devices built at the
// start of the seed. Pinned on the code that built them eagerly; the workloads use the devices
// first late, after a reboot or a partition, from several actors, or never.
import type { Connection } from "@moonpool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";
import { chooseExecutor, realExecutorAvailable } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const PORT = 7100;
const RW = { read: true, write: true, create: true } as const;

/** Sleeps first (devices untouched), then echoes and logs every chunk to a synced file. */
const lateEcho = (): Process => ({
  name: "echo",
  async run(ctx) {
    await ctx.time.sleep(ctx.random.int(1, 400));
    const listener = await ctx.network.listen(`${ctx.ip}:${PORT}`);
    const log = await ctx.storage.open("log", RW);
    let end = await log.size();
    ctx.shutdown.addEventListener("abort", () => void listener.close(), { once: true });
    for (;;) {
      const conn = await listener.accept().catch(() => null);
      if (conn === null) return;
      ctx.task.spawn("echo", async () => {
        try {
          for (let chunk = await conn.read(); chunk; chunk = await conn.read()) {
            await log.write(end, chunk);
            end += chunk.length;
            await log.sync().catch(() => {});
            await conn.write(chunk);
          }
        } catch {
          // reboots: the client reconnects
        } finally {
          conn.abort();
        }
      });
    }
  },
});

const clients: Workload = {
  name: "clients",
  async run(ctx) {
    const servers = ctx.peers().filter((p) => p.name.startsWith("echo"));
    const one = async (): Promise<void> => {
      while (ctx.time.now() < 3_000) {
        await ctx.time.sleep(ctx.random.int(5, 60));
        const ip = servers[ctx.random.int(0, servers.length - 1)]!.ip;
        let conn: Connection | null = null;
        try {
          conn = await ctx.time.timeout(300, ctx.network.connect(`${ip}:${PORT}`));
          await conn.write(new Uint8Array(16).fill(7));
          await ctx.time.timeout(300, conn.read());
        } catch {
          ctx.trace("request_failed", {});
        } finally {
          conn?.abort();
        }
      }
    };
    const tasks = [0, 1].map((i) => ctx.task.spawn(`client-${i}`, one));
    for (const t of tasks) await t.join();
  },
};

/** Reboots (every kind) and partitions before any device was used, then again later. */
const rebootsAndPartitions = () =>
  new SimulationBuilder()
    .logSeeds(false)
    .processes(3, lateEcho)
    .workload(clients)
    .fault("early reboot", async (f) => {
      const ips = f.processes().map((p) => p.ip);
      await f.time.sleep(f.random.int(0, 3));
      f.reboot(ips[0]!, f.random.pick(["crash", "wipe", "graceful"] as const));
      f.partitionBoth(ips[1]!, ips[2]!, f.random.int(100, 600));
      for (let k = 0; k < 4; k++) {
        await f.time.sleep(f.random.int(200, 700));
        f.reboot(f.random.pick(ips), f.random.pick(["crash", "wipe", "graceful"] as const));
      }
    })
    .chaosDuration(2_500);

/** Never touches a device. */
const noDevices = () =>
  new SimulationBuilder().logSeeds(false).workloads(3, (i) => ({
    name: `w${i}`,
    async run(ctx) {
      for (let k = 0; k < 3; k++) await ctx.time.sleep(ctx.random.int(1, 50));
    },
  }));

const PINNED_REBOOTS: Record<number, string> = {
  21: "dadafb604def97f5",
  22: "bde6bdc096efca23",
  23: "4cfe2268d3fc6975",
  24: "6b8493c4ed827048",
  25: "618a12cd9d9c975f",
};
const PINNED_NONE: Record<number, string> = {
  1: "c8630433150e3b84",
  2: "a6f10a26697a6d59",
  3: "3444ff4284441f0e",
};

describe.runIf(realExecutorAvailable)("devices built on first use", () => {
  it("keep the traceHash of devices built at the start (reboots, partitions, late first use)", async () => {
    const report = await rebootsAndPartitions().seeds([21, 22, 23, 24, 25]).run();
    expect(report.failed, report.format()).toBe(0);
    const hashes = Object.fromEntries(report.seeds.map((s) => [s.seed, s.traceHash]));
    expect(hashes).toEqual(PINNED_REBOOTS);
  });

  it("keep the traceHash of a simulation that never uses them", async () => {
    const report = await noDevices().seeds([1, 2, 3]).run();
    const hashes = Object.fromEntries(report.seeds.map((s) => [s.seed, s.traceHash]));
    expect(hashes).toEqual(PINNED_NONE);
  });
});

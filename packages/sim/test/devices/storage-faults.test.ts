// One behaviour test per storage fault: off vs on, the knob's effect, and the sim_fault trace.
import type { StorageChaosConfig } from "@moonpool/chaos";
import { beforeAll, describe, expect, it } from "vitest";
import { SimStorage, type SimStorageOptions } from "../../src/storage/index.ts";
import { TEST_KERNELS, type TestKernel } from "./engine-kernel.ts";

let makeKernel: (seed: number) => TestKernel = TEST_KERNELS[0]![1];

import { codeOf, diskConfig, equalBytes, payload } from "./helpers.ts";

const OWNER = "10.0.1.1";
const RW = { read: true, write: true, create: true } as const;

function setup(seed: number, config: StorageChaosConfig, options: Omit<SimStorageOptions, "config"> = {}) {
  const kernel = makeKernel(seed);
  const disks = new SimStorage(kernel, { config, ...options });
  return { kernel, disks, storage: disks.storageFor(OWNER) };
}

const CLEAN = diskConfig();

describe.each(TEST_KERNELS)("%s", (_name, factory) => {
  beforeAll(() => {
    makeKernel = factory;
  });

  describe("latency model", () => {
    it("bandwidth and IOPS set the time of an operation", async () => {
      const time = async (config: StorageChaosConfig) => {
        const { kernel, storage } = setup(1, config);
        await kernel.run(async () => {
          const f = await storage.open("big", RW);
          await f.write(0, new Uint8Array(1_000_000));
        });
        return kernel.nowMs();
      };
      expect(await time(CLEAN)).toBeLessThan(10); // 150 MB/s
      expect(await time(diskConfig({ bandwidthBytesPerSec: 1_000_000 }))).toBeGreaterThanOrEqual(1000);
      const slowIops = diskConfig({ iops: 10, latency: { write: { kind: "fixed", ms: 0 } } });
      expect(await time(slowIops)).toBeGreaterThanOrEqual(100);
    });

    it("a stall episode holds every op of the machine until it ends; off: none", async () => {
      const cfg = diskConfig({ stall: { probability: 1, duration: { minMs: 200, maxMs: 200 } } });
      const { kernel, disks } = setup(2, cfg, { machineOf: () => "machine-1" });
      await kernel.run(async () => {
        const a = await disks.storageFor("10.0.1.1").open("a", RW);
        const b = await disks.storageFor("10.0.1.2").open("b", RW);
        await Promise.all([a.write(0, new Uint8Array(10)), b.write(0, new Uint8Array(10))]);
        expect(kernel.nowMs()).toBeGreaterThanOrEqual(200);
        disks.endChaos();
      });
      // One episode for the machine, shared by both owners.
      expect(kernel.faults("disk_stall")).toHaveLength(1);
      const off = setup(2, CLEAN);
      await off.kernel.run(async () => {
        await (await off.storage.open("a", RW)).write(0, new Uint8Array(10));
      });
      expect(off.kernel.faults()).toHaveLength(0);
      expect(off.kernel.nowMs()).toBeLessThan(1);
    });

    it("a throttle episode divides IOPS and bandwidth by its slowdown", async () => {
      const base = diskConfig({
        bandwidthBytesPerSec: 10_000_000,
        latency: { write: { kind: "fixed", ms: 0 } },
      });
      const time = async (config: StorageChaosConfig) => {
        const { kernel, storage } = setup(3, config);
        await kernel.run(async () => {
          await (await storage.open("t", RW)).write(0, new Uint8Array(100_000));
        });
        return { ms: kernel.nowMs(), kernel };
      };
      const normal = await time(base);
      const throttled = await time({
        ...base,
        throttle: {
          probability: 1,
          duration: { minMs: 10_000, maxMs: 10_000 },
          slowdown: { min: 10, max: 10 },
        },
      });
      expect(throttled.kernel.faults("disk_throttle")).toHaveLength(1);
      expect(throttled.ms).toBeCloseTo(normal.ms * 10, 3);
    });
  });

  describe("corruption", () => {
    it("read corruption flips one bit per faulty sector, sticky until the sector is rewritten", async () => {
      const { kernel, disks, storage } = setup(4, diskConfig({ readCorruptionProbability: 1 }));
      const data = payload(1024);
      await kernel.run(async () => {
        const f = await storage.open("r", RW);
        await f.write(0, data);
        const first = await f.read(0, 1024);
        expect(equalBytes(first, data)).toBe(false);
        disks.setConfigFor(OWNER, CLEAN);
        const again = await f.read(0, 1024);
        expect(Array.from(again)).toEqual(Array.from(first)); // same wrong bytes
        let bits = 0;
        for (let i = 0; i < 1024; i++)
          for (let x = (again[i] as number) ^ (data[i] as number); x; x &= x - 1) bits++;
        expect(bits).toBe(2); // one per sector
        await f.write(0, data); // rewriting heals
        expect(equalBytes(await f.read(0, 1024), data)).toBe(true);
      });
      expect(kernel.faults("read_corruption")).toHaveLength(2);
    });

    it("write corruption lands corrupt sectors; off: bytes read back intact", async () => {
      const run = async (p: number) => {
        const { kernel, storage } = setup(5, diskConfig({ writeCorruptionProbability: p }));
        const data = payload(2048);
        let intact = false;
        await kernel.run(async () => {
          const f = await storage.open("w", RW);
          await f.write(0, data);
          intact = equalBytes(await f.read(0, 2048), data);
        });
        return { intact, faults: kernel.faults("write_corruption").length };
      };
      expect(await run(0)).toEqual({ intact: true, faults: 0 });
      expect(await run(1)).toEqual({ intact: false, faults: 4 });
    });

    it("a phantom write reports success but never reaches the media", async () => {
      const { kernel, storage } = setup(6, diskConfig({ phantomWriteProbability: 1 }));
      await kernel.run(async () => {
        const f = await storage.open("p", RW);
        await f.write(0, payload(100));
        expect(await f.size()).toBe(0);
        expect((await f.read(0, 100)).length).toBe(0);
      });
      expect(kernel.faults("phantom_write")).toHaveLength(1);
    });

    it("a misdirected write lands elsewhere; the target keeps its old content", async () => {
      const { kernel, disks, storage } = setup(7, CLEAN);
      const old = new Uint8Array(4096).fill(1);
      const fresh = new Uint8Array(512).fill(9);
      await kernel.run(async () => {
        const f = await storage.open("m", RW);
        await f.write(0, old);
        disks.setConfigFor(OWNER, diskConfig({ misdirectedWriteProbability: 1 }));
        await f.write(1024, fresh);
        disks.setConfigFor(OWNER, CLEAN);
        const all = await f.read(0, 4096);
        expect(all.subarray(1024, 1536).every((b) => b === 1)).toBe(true);
        const landed = kernel.faults("misdirected_write")[0]?.fields?.actual as number;
        expect(landed).not.toBe(1024);
        expect(landed % 512).toBe(0);
        expect(all.subarray(landed, landed + 512).every((b) => b === 9)).toBe(true);
      });
    });

    it("a misdirected read returns another offset's bytes once; the data itself is intact", async () => {
      const { kernel, disks, storage } = setup(8, CLEAN);
      const data = payload(4096);
      await kernel.run(async () => {
        const f = await storage.open("mr", RW);
        await f.write(0, data);
        disks.setConfigFor(OWNER, diskConfig({ misdirectedReadProbability: 1 }));
        const wrong = await f.read(1024, 512);
        disks.setConfigFor(OWNER, CLEAN);
        const right = await f.read(1024, 512);
        const actual = kernel.faults("misdirected_read")[0]?.fields?.actual as number;
        expect(actual).not.toBe(1024);
        expect(equalBytes(wrong, data.subarray(actual, actual + 512))).toBe(true);
        expect(equalBytes(right, data.subarray(1024, 1536))).toBe(true);
      });
    });

    it("sync failure rejects with EIO and leaves the writes unsynced", async () => {
      const cfg = diskConfig({
        syncFailureProbability: 1,
        unsyncedWriteOnCrash: { survive: 0, disappear: 1, torn: 0 },
      });
      const { kernel, disks, storage } = setup(9, cfg);
      await kernel.run(async () => {
        const f = await storage.open("s", RW);
        await f.write(0, payload(10));
        expect(await codeOf(f.sync())).toBe("EIO");
        disks.crash(OWNER);
        // The create was never made durable either: the file is gone.
        expect(await storage.exists("s")).toBe(false);
      });
      expect(kernel.faults("sync_failure")).toHaveLength(1);
    });

    it("never-written sectors read as zeros, or as a deterministic pattern per file and sector", async () => {
      const hole = async (seed: number, fill: "zeros" | "pattern") => {
        const { kernel, storage } = setup(seed, diskConfig({ unwrittenFill: fill }));
        let bytes: Uint8Array = new Uint8Array();
        await kernel.run(async () => {
          const f = await storage.open("h", RW);
          await f.truncate(2048);
          bytes = await f.read(0, 2048);
          expect(Array.from(await f.read(0, 2048))).toEqual(Array.from(bytes));
        });
        return Array.from(bytes);
      };
      expect((await hole(10, "zeros")).every((b) => b === 0)).toBe(true);
      const pattern = await hole(10, "pattern");
      expect(pattern.some((b) => b !== 0)).toBe(true);
      expect(await hole(10, "pattern")).toEqual(pattern);
    });
  });

  describe("determinism", () => {
    it("the same seed gives the same faults and timing", async () => {
      const cfg = diskConfig({
        readCorruptionProbability: 0.01,
        writeCorruptionProbability: 0.01,
        phantomWriteProbability: 0.05,
        misdirectedWriteProbability: 0.05,
        stall: { probability: 0.05 },
        throttle: { probability: 0.05 },
      });
      const run = async (seed: number) => {
        const { kernel, storage } = setup(seed, cfg);
        await kernel.run(async () => {
          const f = await storage.open("d", RW);
          for (let i = 0; i < 100; i++) {
            await f.write(i * 700, payload(700, i));
            await f.read(Math.max(0, i * 700 - 1000), 1500);
          }
        });
        return { traces: kernel.traces, ms: kernel.nowMs() };
      };
      const first = await run(31);
      expect(first.traces.length).toBeGreaterThan(3);
      expect(await run(31)).toEqual(first);
      expect((await run(32)).traces).not.toEqual(first.traces);
    });
  });
});

// Crash and recovery of the simulated disk: synced data survives, unsynced writes survive,
// disappear or tear independently, unsynced namespace changes are undone, wipe deletes.
import type { StorageChaosConfig } from "@moonpool/chaos";
import { beforeAll, describe, expect, it } from "vitest";
import { SimStorage } from "../../src/storage/index.ts";
import { TEST_KERNELS, type TestKernel } from "./engine-kernel.ts";

let makeKernel: (seed: number) => TestKernel = TEST_KERNELS[0]![1];

import { codeOf, diskConfig, equalBytes, payload } from "./helpers.ts";

const OWNER = "10.0.1.1";
const RW = { read: true, write: true, create: true } as const;

function setup(seed: number, config: StorageChaosConfig = diskConfig()) {
  const kernel = makeKernel(seed);
  const disks = new SimStorage(kernel, { config });
  return { kernel, disks, storage: disks.storageFor(OWNER) };
}

const fates = (survive: number, disappear: number, torn: number) =>
  diskConfig({ unsyncedWriteOnCrash: { survive, disappear, torn } });

/** Writes a synced record A and an unsynced record B, crashes, returns what is left. */
async function crashAfterMissingSync(seed: number, config?: StorageChaosConfig) {
  const { kernel, disks, storage } = setup(seed, config);
  const a = payload(1024, 1);
  const b = payload(1024, 2);
  let after: Uint8Array = new Uint8Array();
  await kernel.run(async () => {
    const f = await storage.open("log", RW);
    await f.write(0, a);
    await f.sync();
    await storage.syncDir(""); // the file's name is durable too
    await f.write(1024, b); // the bug: no sync before acknowledging B
    disks.crash(OWNER);
    const g = await storage.open("log", { read: true });
    after = await g.read(0, 4096);
  });
  return {
    syncedIntact: equalBytes(after.subarray(0, 1024), a),
    unsyncedIntact: after.length === 2048 && equalBytes(after.subarray(1024), b),
    length: after.length,
    kernel,
  };
}

describe.each(TEST_KERNELS)("%s", (_name, factory) => {
  beforeAll(() => {
    makeKernel = factory;
  });

  describe("crash", () => {
    it("synced data always survives, whatever the fate of unsynced writes", async () => {
      for (const cfg of [fates(1, 0, 0), fates(0, 1, 0), fates(0, 0, 1), diskConfig()]) {
        for (let seed = 1; seed <= 5; seed++)
          expect((await crashAfterMissingSync(seed, cfg)).syncedIntact).toBe(true);
      }
    });

    it("unsynced writes follow their fate: survive, disappear, or torn", async () => {
      const survived = await crashAfterMissingSync(1, fates(1, 0, 0));
      expect(survived.unsyncedIntact).toBe(true);
      const lost = await crashAfterMissingSync(1, fates(0, 1, 0));
      expect(lost.length).toBe(1024);
      expect(lost.unsyncedIntact).toBe(false);
      for (let seed = 1; seed <= 5; seed++) {
        const torn = await crashAfterMissingSync(seed, fates(0, 0, 1));
        expect(torn.unsyncedIntact).toBe(false); // at least one sector is old or garbage
        expect(torn.kernel.faults("storage_crash")[0]?.fields?.torn).toBe(1);
      }
    });

    it("with the default knobs a missing fsync is caught within a few dozen crashing seeds", async () => {
      const caught: number[] = [];
      let survived = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const r = await crashAfterMissingSync(seed);
        if (r.unsyncedIntact) survived += 1;
        else caught.push(seed);
      }
      expect(caught.length).toBeGreaterThan(0);
      expect(caught[0]).toBeLessThanOrEqual(10);
      expect(survived).toBeGreaterThan(0); // not deterministic loss either: both outcomes happen
    });

    it("unsynced writes that survive are replayed in order (a later write wins)", async () => {
      const { kernel, disks, storage } = setup(3, fates(1, 0, 0));
      await kernel.run(async () => {
        const f = await storage.open("o", RW);
        await f.sync();
        await storage.syncDir("");
        await f.write(0, new Uint8Array(512).fill(1));
        await f.write(0, new Uint8Array(512).fill(2));
        await f.truncate(100);
        disks.crash(OWNER);
        const g = await storage.open("o", { read: true });
        const bytes = await g.read(0, 1000);
        expect(bytes.length).toBe(100);
        expect(bytes.every((b) => b === 2)).toBe(true);
      });
    });

    it("in-flight operations never complete and old handles are dead; new handles work", async () => {
      const { kernel, disks, storage } = setup(4, fates(1, 0, 0));
      await kernel.run(async () => {
        const f = await storage.open("p", RW);
        await f.sync();
        let settled = false;
        void f.write(0, payload(100)).finally(() => {
          settled = true;
        });
        disks.crash(OWNER);
        await kernel.sleep(1000);
        expect(settled).toBe(false);
        expect(await codeOf(f.read(0, 10))).toBe("EBADF");
        const g = await storage.open("p", RW);
        expect(await g.size()).toBe(0); // the in-flight write never happened
        await g.write(0, payload(10));
        expect((await g.read(0, 10)).length).toBe(10);
      });
    });
  });

  describe("namespace changes and crashes", () => {
    it("by default, creates, renames and deletes not followed by a syncDir are undone", async () => {
      const { kernel, disks, storage } = setup(5);
      await kernel.run(async () => {
        const keep = await storage.open("keep", RW);
        await keep.write(0, payload(10));
        await keep.sync();
        await storage.syncDir("");
        await (await storage.open("fresh", RW)).close();
        await storage.rename("keep", "moved");
        disks.crash(OWNER);
        expect(await storage.list("")).toEqual(["keep"]);
        await storage.delete("keep");
        await keep.sync().catch(() => undefined); // a dead handle: the sync cannot help either
        disks.crash(OWNER);
        expect(await storage.exists("keep")).toBe(true);
        const back = await storage.open("keep", { read: true });
        expect(equalBytes(await back.read(0, 10), payload(10))).toBe(true);
      });
      expect(kernel.faults("storage_crash").map((f) => f.fields?.metadataLost)).toEqual([2, 1]);
    });

    it("a sync of another file does not commit namespace changes; a syncDir does", async () => {
      const { kernel, disks, storage } = setup(6);
      await kernel.run(async () => {
        await (await storage.open("a", RW)).close();
        await storage.rename("a", "b");
        const other = await storage.open("other", RW);
        await other.sync();
        disks.crash(OWNER);
        expect(await storage.list("")).toEqual([]);
        await (await storage.open("a", RW)).close();
        await storage.rename("a", "b");
        await storage.syncDir("");
        disks.crash(OWNER);
        expect(await storage.list("")).toEqual(["b"]);
      });
    });

    it("the knob lets unsynced namespace changes survive", async () => {
      const { kernel, disks, storage } = setup(7, diskConfig({ unsyncedMetadataSurvivesCrash: 1 }));
      await kernel.run(async () => {
        await (await storage.open("fresh", RW)).close();
        disks.crash(OWNER);
        expect(await storage.exists("fresh")).toBe(true);
      });
    });

    it("wipe deletes every file of the owner and nobody else's", async () => {
      const { kernel, disks, storage } = setup(8);
      await kernel.run(async () => {
        for (const p of ["x", "y/z"]) {
          const f = await storage.open(p, RW);
          await f.write(0, payload(10));
          await f.sync();
        }
        const neighbour = disks.storageFor("10.0.1.2");
        const n = await neighbour.open("n", RW);
        await n.sync();
        disks.crash(OWNER, "wipe");
        expect(await storage.list("")).toEqual([]);
        expect(await neighbour.list("")).toEqual(["n"]);
      });
      expect(kernel.faults("storage_wipe")[0]?.fields).toMatchObject({ owner: OWNER, files: 2 });
    });
  });
});

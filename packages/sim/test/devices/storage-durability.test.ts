// What a crash keeps: namespace changes durable only through `syncDir` (POSIX), and synced bytes
// never damaged by a later unsynced write in the same sector (powersafe overwrite, the default),
// unless the `powersafeOverwrite: false` knob asks for whole-sector tearing.
import type { StorageChaosConfig } from "@moonpool/chaos";
import { describe, expect, it } from "vitest";
import { SimStorage } from "../../src/storage/index.ts";
import { FakeKernel } from "./fake-kernel.ts";
import { codeOf, diskConfig, equalBytes, payload } from "./helpers.ts";

const OWNER = "10.0.1.1";
const RW = { read: true, write: true, create: true } as const;

function setup(seed: number, config: StorageChaosConfig = diskConfig()) {
  const kernel = new FakeKernel(seed);
  const disks = new SimStorage(kernel, { config });
  return { kernel, disks, storage: disks.storageFor(OWNER) };
}

/** "write tmp, sync tmp, rename tmp -> final", optionally syncing the directory, then a WAL sync and a crash. */
async function atomicReplace(seed: number, syncDir: boolean) {
  const { kernel, disks, storage } = setup(seed);
  let final: Uint8Array | null = null;
  await kernel.run(async () => {
    const wal = await storage.open("wal", RW);
    const old = await storage.open("state/current", RW);
    await old.write(0, payload(8, 1));
    await old.sync();
    await storage.syncDir("state");
    await storage.syncDir("");

    const tmp = await storage.open("state/current.tmp", RW);
    await tmp.write(0, payload(8, 2));
    await tmp.sync();
    await storage.rename("state/current.tmp", "state/current");
    if (syncDir) await storage.syncDir("state");
    await wal.write(0, payload(4, 3));
    await wal.sync(); // another file's sync must not commit the rename
    disks.crash(OWNER);
    const after = await storage.open("state/current", { read: true });
    final = await after.read(0, 8);
  });
  return final as Uint8Array | null;
}

describe("namespace durability (POSIX)", () => {
  it("a rename not followed by a syncDir of its directory is undone by a crash", async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const final = await atomicReplace(seed, false);
      expect(equalBytes(final!, payload(8, 1))).toBe(true); // the old content: the rename is lost
    }
  });

  it("with a syncDir after the rename, the new content survives the crash", async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const final = await atomicReplace(seed, true);
      expect(equalBytes(final!, payload(8, 2))).toBe(true);
    }
  });

  it("a file's own sync does not make its creation durable; a syncDir of its directory does", async () => {
    const { kernel, disks, storage } = setup(3);
    await kernel.run(async () => {
      const a = await storage.open("logs/a", RW);
      await a.write(0, payload(16));
      await a.sync();
      disks.crash(OWNER);
      expect(await storage.exists("logs/a")).toBe(false);

      const b = await storage.open("logs/b", RW);
      await b.write(0, payload(16));
      await b.sync();
      await storage.syncDir("logs");
      disks.crash(OWNER);
      const back = await storage.open("logs/b", { read: true });
      expect(equalBytes(await back.read(0, 16), payload(16))).toBe(true);
    });
  });

  it("a rename between directories needs both directories synced", async () => {
    const { kernel, disks, storage } = setup(4);
    await kernel.run(async () => {
      const f = await storage.open("in/x", RW);
      await f.sync();
      await storage.syncDir("in");
      await storage.rename("in/x", "out/x");
      await storage.syncDir("out");
      disks.crash(OWNER);
      expect(await storage.list("")).toEqual(["in/x"]);
      await storage.rename("in/x", "out/x");
      await storage.syncDir("out");
      await storage.syncDir("in");
      disks.crash(OWNER);
      expect(await storage.list("")).toEqual(["out/x"]);
    });
  });

  it("a syncDir of one directory leaves changes in other directories undurable", async () => {
    const { kernel, disks, storage } = setup(5);
    await kernel.run(async () => {
      await (await storage.open("a/one", RW)).close();
      await (await storage.open("b/two", RW)).close();
      await (await storage.open("a/sub/three", RW)).close();
      await storage.syncDir("a");
      disks.crash(OWNER);
      expect(await storage.list("")).toEqual(["a/one"]);
    });
  });

  it("syncDir names what it cannot sync and fails like a sync under sync-failure chaos", async () => {
    const { kernel, storage } = setup(6, diskConfig({ syncFailureProbability: 1 }));
    await kernel.run(async () => {
      await (await storage.open("d/f", RW)).close();
      expect(await codeOf(storage.syncDir("missing"))).toBe("ENOENT");
      expect(await codeOf(storage.syncDir("d/f"))).toBe("ENOTDIR");
      expect(await codeOf(storage.syncDir("d"))).toBe("EIO");
    });
    expect(kernel.faults("sync_failure").length).toBe(1);
  });
});

/**
 * A correct log: records of 100 bytes appended at the end (five per sector, so a new record
 * shares its sector with acknowledged ones), each synced before it is acknowledged; the owner
 * crashes at a random time. True when every acknowledged record reads back intact.
 */
async function loggerKeepsAcknowledged(seed: number, config: StorageChaosConfig): Promise<boolean> {
  const { kernel, disks, storage } = setup(seed, config);
  const RECORD = 100;
  const acked: number[] = [];
  let intact = true;
  await kernel.run(async () => {
    const setupFile = await storage.open("log", RW);
    await setupFile.sync();
    await storage.syncDir("");
    const crashAtMs = 10 + kernel.random.random() * 60;
    // The writer's operation in flight at the crash never completes: it is left pending.
    void (async () => {
      for (let i = 0; ; i++) {
        await setupFile.write(i * RECORD, payload(RECORD, i + 1));
        await setupFile.sync();
        acked.push(i);
      }
    })();
    await kernel.sleep(crashAtMs);
    disks.crash(OWNER);
    const log = await storage.open("log", { read: true });
    for (const i of acked) {
      if (!equalBytes(await log.read(i * RECORD, RECORD), payload(RECORD, i + 1))) intact = false;
    }
  });
  expect(acked.length).toBeGreaterThan(0);
  return intact;
}

describe("powersafe overwrite", () => {
  it("by default, a correct fsync-before-ack log keeps every acknowledged record over 300 crashing seeds", async () => {
    const failing: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      if (!(await loggerKeepsAcknowledged(seed, diskConfig()))) failing.push(seed);
    }
    expect(failing).toEqual([]);
  });

  it("with powersafeOverwrite: false, a torn sector destroys acknowledged bytes sharing it", async () => {
    const failing: number[] = [];
    const cfg = diskConfig({ powersafeOverwrite: false });
    for (let seed = 1; seed <= 300; seed++) {
      if (!(await loggerKeepsAcknowledged(seed, cfg))) failing.push(seed);
    }
    expect(failing.length).toBeGreaterThan(0);
  });

  it("a torn write's garbage stays inside its own range in the default model", async () => {
    const { kernel, disks, storage } = setup(
      9,
      diskConfig({ unsyncedWriteOnCrash: { survive: 0, disappear: 0, torn: 1 } }),
    );
    await kernel.run(async () => {
      const f = await storage.open("s", RW);
      await f.write(0, payload(200, 1));
      await f.sync();
      await storage.syncDir("");
      // Many unsynced writes in the same sector: some sector fates are garbage.
      for (let i = 0; i < 40; i++) await f.write(200 + i, payload(1, i));
      disks.crash(OWNER);
      const g = await storage.open("s", { read: true });
      expect(equalBytes(await g.read(0, 200), payload(200, 1))).toBe(true);
    });
  });
});

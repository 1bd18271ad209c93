import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StorageError, type StorageProvider } from "@moonpool/core";
import { nodeProviders } from "@moonpool/core/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableCounter } from "../src/durableCounter.ts";

/** `storage` with its `syncDir` replaced (the provider's methods need their own receiver). */
function withSyncDir(storage: StorageProvider, syncDir: (dir: string) => Promise<void>): StorageProvider {
  return new Proxy(storage, {
    get(target, key) {
      if (key === "syncDir") return syncDir;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("DurableCounter on a real disk", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "demo-counter-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("starts at 0 and recovers the last persisted value after reopening", async () => {
    const storage = nodeProviders({ dataDir: dir }).storage;
    const counter = await DurableCounter.open(storage, "c.bin");
    expect(counter.value).toBe(0);
    for (let v = 1; v <= 5; v++) await counter.persist(v, true);
    expect(counter.value).toBe(5);
    await counter.close();
    const again = await DurableCounter.open(storage, "c.bin");
    expect(again.value).toBe(5);
    await again.close();
  });

  it("falls back to the other slot when the newest one is torn", async () => {
    const storage = nodeProviders({ dataDir: dir }).storage;
    const counter = await DurableCounter.open(storage, "c.bin");
    await counter.persist(1, true); // slot 1 (offset 512)
    await counter.persist(2, true); // slot 0 (offset 0)
    await counter.close();
    // Tear value 2: half of its slot rewritten, so its checksum no longer matches.
    const file = await storage.open("c.bin", { read: true, write: true });
    await file.write(0, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await file.sync();
    await file.close();
    const again = await DurableCounter.open(storage, "c.bin");
    expect(again.value).toBe(1);
    await again.close();
  });

  it("retries a directory sync that failed with EIO when it creates the file", async () => {
    // Seeds 3439439700 and 304197110 of counter.sim.ts failed the correct node at boot this way.
    const real = nodeProviders({ dataDir: dir }).storage;
    let failures = 2;
    let calls = 0;
    const flaky = withSyncDir(real, async (d) => {
      calls++;
      if (failures-- > 0) throw new StorageError("EIO", "directory sync failed (test)", d);
      return real.syncDir(d);
    });
    const counter = await DurableCounter.open(flaky, "c.bin");
    expect(calls).toBe(3);
    await counter.persist(1, true);
    await counter.close();
  });

  it("gives up on a disk whose directory sync keeps failing", async () => {
    const real = nodeProviders({ dataDir: dir }).storage;
    const broken = withSyncDir(real, async (d) => {
      throw new StorageError("EIO", "directory sync failed (test)", d);
    });
    await expect(DurableCounter.open(broken, "c.bin")).rejects.toThrow(/EIO/);
  });
});

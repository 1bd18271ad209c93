import { defaultStorageChaos, type StorageChaosConfig } from "@moonpool/chaos";
import { InvalidArgumentError } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { SimStorage } from "../../src/storage/index.ts";
import { FakeKernel } from "./fake-kernel.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const RW = { read: true, write: true, create: true } as const;

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

function world(seed = 1, config: Partial<StorageChaosConfig> = {}) {
  const kernel = new FakeKernel(seed);
  const disks = new SimStorage(kernel, { config: { ...defaultStorageChaos(), ...config } });
  return { kernel, disks, storage: disks.storageFor("10.0.1.1") };
}

describe("SimStorage basics", () => {
  it("reads back writes, with latency from the disk model", async () => {
    const { kernel, storage } = world();
    await kernel.run(async () => {
      const f = await storage.open("a/b.bin", RW);
      await f.write(0, enc("hello"));
      await f.write(5, enc(" world"));
      expect(dec(await f.read(0, 100))).toBe("hello world");
      expect(await f.size()).toBe(11);
      await f.write(1000, enc("z"));
      const gap = await f.read(11, 989);
      expect(gap.every((b) => b === 0)).toBe(true);
      await f.truncate(3);
      expect(dec(await f.read(0, 100))).toBe("hel");
    });
    // 3 writes + 3 reads + 1 truncate at >= 0.05 ms each
    expect(kernel.nowMs()).toBeGreaterThan(0.3);
  });

  it("open flags: ENOENT, createNew EEXIST, truncate, access checks", async () => {
    const { kernel, storage } = world();
    await kernel.run(async () => {
      expect(await codeOf(storage.open("x", { read: true }))).toBe("ENOENT");
      const f = await storage.open("x", { read: true, write: true, createNew: true });
      await f.write(0, enc("abc"));
      expect(await codeOf(storage.open("x", { read: true, write: true, createNew: true }))).toBe("EEXIST");
      const ro = await storage.open("x", { read: true });
      expect(await codeOf(ro.write(0, enc("no")))).toBe("EBADF");
      const t = await storage.open("x", { read: true, write: true, truncate: true });
      expect(await t.size()).toBe(0);
      await t.close();
      expect(await codeOf(t.read(0, 1))).toBe("EBADF");
      await expect(storage.open("/abs", RW)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(f.read(-1, 1)).rejects.toBeInstanceOf(InvalidArgumentError);
    });
  });

  it("list, rename, delete, exists", async () => {
    const { kernel, storage } = world();
    await kernel.run(async () => {
      for (const p of ["wal/2", "wal/1", "walx", "other"]) await (await storage.open(p, RW)).close();
      expect(await storage.list("wal/")).toEqual(["wal/1", "wal/2"]);
      expect(await storage.list("")).toEqual(["other", "wal/1", "wal/2", "walx"]);
      await storage.rename("wal/1", "wal/3");
      expect(await storage.list("wal/")).toEqual(["wal/2", "wal/3"]);
      await storage.delete("wal/2");
      expect(await storage.exists("wal/2")).toBe(false);
      expect(await codeOf(storage.delete("wal/2"))).toBe("ENOENT");
      expect(await codeOf(storage.rename("nope", "x"))).toBe("ENOENT");
    });
  });

  it("owners are isolated", async () => {
    const { kernel, disks, storage } = world();
    await kernel.run(async () => {
      await (await storage.open("mine", RW)).close();
      expect(await disks.storageFor("10.0.1.2").exists("mine")).toBe(false);
    });
  });
});

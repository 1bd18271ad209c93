import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableCounter } from "../src/durableCounter.ts";

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
});

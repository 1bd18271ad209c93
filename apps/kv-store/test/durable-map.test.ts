import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableMap, decodeRecords, LOG_FILE, SNAPSHOT_FILE } from "../src/durable-map.ts";

let dir: string;
const storage = () => nodeProviders({ dataDir: dir }).storage;
const v = (n: number, value: string, w = "c0") => ({ ts: { n, w }, value });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kv-map-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("DurableMap", () => {
  it("recovers every synced version, keeping the newest per key", async () => {
    const map = await DurableMap.open(storage());
    await map.put("a", v(1, "a1"), true);
    await map.put("b", v(1, "b1"), true);
    await map.put("a", v(2, "a2"), true);
    await map.close();
    const again = await DurableMap.open(storage());
    expect(again.get("a")).toEqual(v(2, "a2"));
    expect(again.get("b")).toEqual(v(1, "b1"));
    expect(again.recovery).toMatchObject({ keys: 2, logRecords: 3, truncatedBytes: 0 });
    await again.close();
  });

  it("ignores a version older than the one it has, and reports a missing key as ZERO/null", async () => {
    const map = await DurableMap.open(storage());
    await map.put("a", v(3, "new"), true);
    await map.put("a", v(2, "old", "zz"), true);
    expect(map.get("a").value).toBe("new");
    expect(map.get("nope")).toEqual({ ts: { n: 0, w: "" }, value: null });
    await map.close();
  });

  it("cuts a torn tail at recovery and keeps appending after the valid prefix", async () => {
    const map = await DurableMap.open(storage());
    await map.put("a", v(1, "a1"), true);
    await map.close();
    const log = await storage().open(LOG_FILE, { read: true, write: true });
    const size = await log.size();
    await log.write(size, new Uint8Array([40, 0, 0, 0, 1, 2, 3, 4, 9, 9])); // a header promising 40 bytes
    await log.close();
    const again = await DurableMap.open(storage());
    expect(again.recovery.truncatedBytes).toBe(10);
    await again.put("a", v(2, "a2"), true);
    await again.close();
    const third = await DurableMap.open(storage());
    expect(third.get("a").value).toBe("a2");
    expect(third.recovery.truncatedBytes).toBe(0);
    await third.close();
  });

  it("compacts into a snapshot and an empty log, and recovers from both", async () => {
    const map = await DurableMap.open(storage(), { compactEvery: 4 });
    for (let i = 1; i <= 5; i++) await map.put(`k${i % 2}`, v(i, `x${i}`), true);
    await map.close();
    const s = storage();
    expect(await s.exists(SNAPSHOT_FILE)).toBe(true);
    const log = await s.open(LOG_FILE, { read: true });
    expect(decodeRecords(await log.read(0, await log.size())).entries).toHaveLength(1);
    await log.close();
    const again = await DurableMap.open(storage(), { compactEvery: 4 });
    expect(again.get("k0").value).toBe("x4");
    expect(again.get("k1").value).toBe("x5");
    expect(again.recovery).toMatchObject({ snapshotRecords: 2, logRecords: 1 });
    await again.close();
  });

  it("refuses a bad compactEvery, naming the option", async () => {
    await expect(DurableMap.open(storage(), { compactEvery: 0 })).rejects.toThrow(/options\.compactEvery/);
  });

  it("decodeRecords stops at a checksum mismatch", () => {
    const bytes = new Uint8Array([3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    expect(decodeRecords(bytes)).toEqual({ entries: [], validEnd: 0 });
  });
});

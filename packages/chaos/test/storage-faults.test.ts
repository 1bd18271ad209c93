import { describe, expect, it } from "vitest";
import { storageChaosConfig } from "../src/resolve.ts";
import { defaultStorageChaos } from "../src/storage-config.ts";
import {
  corruptedBitOfSector,
  crashFateOfUnsyncedMetadata,
  crashFateOfUnsyncedWrite,
  isMisdirectedRead,
  isMisdirectedWrite,
  isPhantomWrite,
  misdirectedOffset,
  rollDiskEpisode,
  sectorsCorruptedOnRead,
  sectorsCorruptedOnWrite,
  shouldFailSync,
  storageOpLatencyMs,
  tornWriteSectors,
  unwrittenSectorBytes,
} from "../src/storage-faults.ts";
import { seededRandom } from "./seeded-random.ts";

const N = 20_000;
const off = defaultStorageChaos();
const seededRandomShared = seededRandom(99);

function rate(n: number, f: () => boolean): number {
  let hits = 0;
  for (let i = 0; i < n; i++) if (f()) hits++;
  return hits / n;
}

describe("defaults", () => {
  it("inject no fault and draw nothing for fault decisions", () => {
    const rng = seededRandom(1);
    for (let i = 0; i < 100; i++) {
      expect(sectorsCorruptedOnRead(off, 8, rng)).toEqual([]);
      expect(sectorsCorruptedOnWrite(off, 8, rng)).toEqual([]);
      expect(isPhantomWrite(off, rng)).toBe(false);
      expect(isMisdirectedWrite(off, rng)).toBe(false);
      expect(isMisdirectedRead(off, rng)).toBe(false);
      expect(shouldFailSync(off, rng)).toBe(false);
      expect(rollDiskEpisode(off, rng)).toBeNull();
      expect(crashFateOfUnsyncedMetadata(off, rng)).toBe(false);
    }
    expect(rng.draws).toBe(0);
  });

  it("lose or tear a forgotten fsync within a few dozen crashes", () => {
    // One unsynced write per crashing seed: the chance that 30 crashes all keep it intact.
    const rng = seededRandom(2);
    const fates = [...Array(N)].map(() => crashFateOfUnsyncedWrite(off, rng));
    const notIntact = fates.filter((f) => f !== "survive").length / N;
    expect(notIntact).toBeCloseTo(0.6, 1);
    expect(fates.filter((f) => f === "torn").length / N).toBeCloseTo(0.2, 1);
    expect((1 - notIntact) ** 30).toBeLessThan(1e-6);
  });
});

describe("crash model", () => {
  it("follows the configured weights (normalized)", () => {
    const cfg = storageChaosConfig({ unsyncedWriteOnCrash: { survive: 2, disappear: 1, torn: 1 } });
    const rng = seededRandom(3);
    const fates = [...Array(N)].map(() => crashFateOfUnsyncedWrite(cfg, rng));
    expect(fates.filter((f) => f === "survive").length / N).toBeCloseTo(0.5, 1);
    expect(fates.filter((f) => f === "disappear").length / N).toBeCloseTo(0.25, 1);
    const allSurvive = storageChaosConfig({ unsyncedWriteOnCrash: { survive: 1, disappear: 0, torn: 0 } });
    expect(rate(1000, () => crashFateOfUnsyncedWrite(allSurvive, rng) === "survive")).toBe(1);
    const zero = storageChaosConfig({ unsyncedWriteOnCrash: { survive: 0, disappear: 0, torn: 0 } });
    expect(crashFateOfUnsyncedWrite(zero, rng)).toBe("disappear");
  });

  it("metadata survives with its probability", () => {
    const cfg = storageChaosConfig({ unsyncedMetadataSurvivesCrash: 0.3 });
    expect(rate(N, () => crashFateOfUnsyncedMetadata(cfg, seededRandomShared))).toBeCloseTo(0.3, 1);
  });

  it("torn writes always leave at least one sector not new", () => {
    const rng = seededRandom(4);
    const counts = { new: 0, old: 0, garbage: 0 };
    let wellFormed = true;
    for (let i = 0; i < 5000; i++) {
      const n = 1 + (i % 8);
      const fates = tornWriteSectors(n, rng);
      wellFormed &&= fates.length === n && fates.some((f) => f !== "new");
      for (const f of fates) counts[f]++;
    }
    expect(wellFormed).toBe(true);
    expect(counts.new).toBeGreaterThan(0);
    expect(counts.old).toBeGreaterThan(counts.garbage);
    expect(counts.garbage).toBeGreaterThan(0);
  });
});

describe("corruption, phantom, misdirection, sync failure", () => {
  it("corrupt sectors at the per-sector rate", () => {
    const cfg = storageChaosConfig({ readCorruptionProbability: 0.1, writeCorruptionProbability: 0.05 });
    const rng = seededRandom(5);
    let read = 0;
    let written = 0;
    for (let i = 0; i < 2000; i++) {
      const r = sectorsCorruptedOnRead(cfg, 10, rng);
      const w = sectorsCorruptedOnWrite(cfg, 10, rng);
      expect(r.every((s) => s >= 0 && s < 10)).toBe(true);
      read += r.length;
      written += w.length;
    }
    expect(read / 20_000).toBeCloseTo(0.1, 1);
    expect(written / 20_000).toBeCloseTo(0.05, 1);
  });

  it("a corrupt sector's flipped bit is a pure function of file and sector", () => {
    expect(corruptedBitOfSector(7, 3, 512)).toBe(corruptedBitOfSector(7, 3, 512));
    const bits = new Set([...Array(50)].map((_, s) => corruptedBitOfSector(7, s, 512)));
    expect(bits.size).toBeGreaterThan(40);
    for (const b of bits) expect(b).toBeLessThan(512 * 8);
  });

  it("phantom writes, misdirections and sync failures follow their probabilities", () => {
    const cfg = storageChaosConfig({
      phantomWriteProbability: 0.1,
      misdirectedWriteProbability: 0.2,
      misdirectedReadProbability: 0.3,
      syncFailureProbability: 0.4,
    });
    const rng = seededRandom(6);
    expect(rate(N, () => isPhantomWrite(cfg, rng))).toBeCloseTo(0.1, 1);
    expect(rate(N, () => isMisdirectedWrite(cfg, rng))).toBeCloseTo(0.2, 1);
    expect(rate(N, () => isMisdirectedRead(cfg, rng))).toBeCloseTo(0.3, 1);
    expect(rate(N, () => shouldFailSync(cfg, rng))).toBeCloseTo(0.4, 1);
  });

  it("a misdirected access lands elsewhere, sector-aligned, inside the file", () => {
    const rng = seededRandom(7);
    const seen = new Set<number>();
    let valid = true;
    for (let i = 0; i < 2000; i++) {
      const target = 512 * (i % 8);
      const o = misdirectedOffset(8 * 512, target, 512, rng);
      valid &&= o !== target && o % 512 === 0 && o + 512 <= 8 * 512;
      seen.add(o);
    }
    expect(valid).toBe(true);
    expect(seen.size).toBe(8);
    expect(misdirectedOffset(512, 0, 512, rng)).toBe(0); // no other place
  });
});

describe("latency and disk episodes", () => {
  it("adds IOPS and bandwidth terms; a throttle slowdown multiplies them", () => {
    const cfg = storageChaosConfig({
      iops: 1000,
      bandwidthBytesPerSec: 1_000_000,
      latency: {
        read: { kind: "fixed", ms: 0.5 },
        write: { kind: "fixed", ms: 1 },
        sync: { kind: "fixed", ms: 2 },
      },
    });
    const rng = seededRandom(8);
    expect(storageOpLatencyMs(cfg, "read", 0, rng)).toBeCloseTo(1.5);
    expect(storageOpLatencyMs(cfg, "write", 1000, rng)).toBeCloseTo(1 + 1 + 1);
    expect(storageOpLatencyMs(cfg, "sync", 1_000_000, rng)).toBeCloseTo(3);
    expect(storageOpLatencyMs(cfg, "write", 1000, rng, 10)).toBeCloseTo(1 + 10 + 10);
  });

  it("rolls stall and throttle episodes at their rates", () => {
    const cfg = storageChaosConfig({
      stall: { probability: 0.1, duration: { minMs: 10, maxMs: 20 } },
      throttle: { probability: 0.2, duration: { minMs: 100, maxMs: 200 }, slowdown: { min: 3, max: 4 } },
    });
    const rng = seededRandom(9);
    const eps = [...Array(N)].map(() => rollDiskEpisode(cfg, rng));
    const stalls = eps.filter((e) => e?.kind === "stall");
    const throttles = eps.filter((e) => e?.kind === "throttle");
    expect(stalls.length / N).toBeCloseTo(0.1, 1);
    expect(throttles.length / N).toBeCloseTo(0.2, 1);
    expect(stalls.every((e) => e!.durationMs >= 10 && e!.durationMs <= 20 && e!.slowdown === 1)).toBe(true);
    expect(throttles.every((e) => e!.slowdown >= 3 && e!.slowdown <= 4)).toBe(true);
  });
});

describe("never-written sectors", () => {
  it("read as zeros by default and as a deterministic pattern otherwise", () => {
    expect(unwrittenSectorBytes("zeros", 1, 2).every((b) => b === 0)).toBe(true);
    const a = unwrittenSectorBytes("pattern", 1, 2);
    expect(a).toEqual(unwrittenSectorBytes("pattern", 1, 2));
    expect(a).not.toEqual(unwrittenSectorBytes("pattern", 1, 3));
    expect(a).not.toEqual(unwrittenSectorBytes("pattern", 2, 2));
    expect(new Set(a).size).toBeGreaterThan(100);
    expect(unwrittenSectorBytes("pattern", 1, 2, 10)).toHaveLength(10);
  });
});

// Decisions the simulated storage asks for. Pure over the config and a random source; the
// simulator applies them and records the `sim_fault` events. `multiplier` (default 1) scales the
// fault's probability (e.g. a `CorrelatedBursts` multiplier), capped at 1.
import { hashInt, mix32 } from "./internal/hash.ts";
import { sampleLatency, sampleRange } from "./latency.ts";
import { scaleProbability } from "./network-faults.ts";
import { drawBetween, drawChance, drawInt, type RandomSource } from "./random-source.ts";
import type { StorageChaosConfig, UnwrittenFill } from "./storage-config.ts";

/** A data operation on a file. */
export type StorageOp = "read" | "write" | "sync";

/**
 * Latency of one operation in ms: a base latency sample, plus `1000 / iops`, plus
 * `bytes * 1000 / bandwidth` for reads and writes. `slowdown` (a throttle episode's divisor,
 * default 1) divides IOPS and bandwidth. One draw (two for a bimodal base latency).
 */
export function storageOpLatencyMs(
  cfg: StorageChaosConfig,
  op: StorageOp,
  bytes: number,
  rng: RandomSource,
  slowdown = 1,
): number {
  const base = sampleLatency(cfg.latency[op], rng);
  const iopsTerm = (1000 * slowdown) / cfg.iops;
  const bandwidthTerm = op === "sync" ? 0 : (bytes * 1000 * slowdown) / cfg.bandwidthBytesPerSec;
  return base + iopsTerm + bandwidthTerm;
}

function sectorsHit(p: number, sectorCount: number, rng: RandomSource): number[] {
  const hit: number[] = [];
  if (p <= 0) return hit;
  for (let s = 0; s < sectorCount; s++) if (drawChance(rng, p)) hit.push(s);
  return hit;
}

/**
 * Sectors (indices 0..sectorCount-1 within the read) that become corrupt on this read; the
 * simulator marks them faulty until they are rewritten. One draw per sector when enabled.
 */
export function sectorsCorruptedOnRead(
  cfg: StorageChaosConfig,
  sectorCount: number,
  rng: RandomSource,
  multiplier = 1,
): number[] {
  return sectorsHit(scaleProbability(cfg.readCorruptionProbability, multiplier), sectorCount, rng);
}

/** Sectors (indices within the write) that land corrupt; sticky until rewritten. */
export function sectorsCorruptedOnWrite(
  cfg: StorageChaosConfig,
  sectorCount: number,
  rng: RandomSource,
  multiplier = 1,
): number[] {
  return sectorsHit(scaleProbability(cfg.writeCorruptionProbability, multiplier), sectorCount, rng);
}

/**
 * The bit (0..sectorLength*8-1) flipped when a faulty sector is read: a pure function of the
 * file and sector, so reading a corrupt sector twice returns the same wrong bytes.
 */
export function corruptedBitOfSector(fileSeed: number, sector: number, sectorLength: number): number {
  return hashInt(sector, mix32(fileSeed ^ 0x5ec7_0b17)) % Math.max(1, sectorLength * 8);
}

/** Does this write report success without ever reaching the media? */
export function isPhantomWrite(cfg: StorageChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.phantomWriteProbability, multiplier));
}

/** Does this write land at the wrong offset (the target keeps its old content)? */
export function isMisdirectedWrite(cfg: StorageChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.misdirectedWriteProbability, multiplier));
}

/** Does this read return the bytes of another offset? */
export function isMisdirectedRead(cfg: StorageChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.misdirectedReadProbability, multiplier));
}

/**
 * Where a misdirected `length`-byte access at `offset` really goes: a sector-aligned offset
 * within the file (so within [0, max(fileSize - length, 0)]) that differs from `offset` whenever
 * the file has room for another position; `offset` itself only when there is no other place.
 */
export function misdirectedOffset(
  fileSize: number,
  offset: number,
  length: number,
  rng: RandomSource,
  sectorSize = 512,
): number {
  const slots = Math.floor(Math.max(fileSize - length, 0) / sectorSize) + 1;
  if (slots <= 1) return 0;
  const own = offset % sectorSize === 0 ? offset / sectorSize : -1;
  if (own >= 0 && own < slots) {
    const pick = drawInt(rng, 0, slots - 1);
    return (pick >= own ? pick + 1 : pick) * sectorSize;
  }
  return drawInt(rng, 0, slots) * sectorSize;
}

/** Does this sync fail with EIO? (Its writes stay unsynced.) */
export function shouldFailSync(cfg: StorageChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.syncFailureProbability, multiplier));
}

/** What a crash does to one write that was not synced. */
export type UnsyncedWriteFate = "survive" | "disappear" | "torn";

/**
 * The fate of one unsynced write when its owner crashes, drawn with the weights of
 * `unsyncedWriteOnCrash` (one draw; "disappear" when every weight is 0).
 */
export function crashFateOfUnsyncedWrite(cfg: StorageChaosConfig, rng: RandomSource): UnsyncedWriteFate {
  const { survive, disappear, torn } = cfg.unsyncedWriteOnCrash;
  const total = survive + disappear + torn;
  if (total <= 0) return "disappear";
  const u = rng.random() * total;
  if (u < survive) return "survive";
  if (u < survive + disappear) return "disappear";
  return "torn";
}

/** Does one unsynced create, rename or delete survive its owner's crash? */
export function crashFateOfUnsyncedMetadata(cfg: StorageChaosConfig, rng: RandomSource): boolean {
  return drawChance(rng, cfg.unsyncedMetadataSurvivesCrash);
}

/** What a torn write left in one of its sectors. */
export type TornSectorFate = "new" | "old" | "garbage";

/**
 * How a torn write of `sectorCount` sectors landed: each sector independently holds the new
 * data, the old data, or (1 in 8) garbage from a half-written sector. At least one sector is not
 * "new" (otherwise the write would simply have survived).
 */
export function tornWriteSectors(sectorCount: number, rng: RandomSource): TornSectorFate[] {
  const fates: TornSectorFate[] = [];
  for (let s = 0; s < sectorCount; s++) {
    const u = rng.random();
    fates.push(u < 0.125 ? "garbage" : u < 0.5625 ? "old" : "new");
  }
  if (sectorCount > 0 && !fates.some((f) => f !== "new")) {
    fates[drawInt(rng, 0, sectorCount)] = rng.random() < 0.5 ? "old" : "garbage";
  }
  return fates;
}

/** A stall or throttle episode of one machine's disk. */
export interface DiskEpisode {
  readonly kind: "stall" | "throttle";
  readonly durationMs: number;
  /** Throttle: divisor of IOPS and bandwidth (1 for a stall, which instead waits the episode out). */
  readonly slowdown: number;
}

/**
 * Before an operation on a machine with no episode running: start a stall, a throttle or
 * nothing. No draw when both probabilities are 0.
 */
export function rollDiskEpisode(
  cfg: StorageChaosConfig,
  rng: RandomSource,
  multiplier = 1,
): DiskEpisode | null {
  const stall = scaleProbability(cfg.stall.probability, multiplier);
  const throttle = scaleProbability(cfg.throttle.probability, multiplier);
  if (stall <= 0 && throttle <= 0) return null;
  const u = rng.random();
  if (u < stall) return { kind: "stall", durationMs: sampleRange(cfg.stall.duration, rng), slowdown: 1 };
  if (u < stall + throttle) {
    return {
      kind: "throttle",
      durationMs: sampleRange(cfg.throttle.duration, rng),
      slowdown: drawBetween(rng, cfg.throttle.slowdown.min, cfg.throttle.slowdown.max),
    };
  }
  return null;
}

/**
 * Content of a never-written sector: zeros, or a deterministic pattern derived from the file's
 * seed and the sector index. Draws nothing from the seed's stream, so reading a hole twice (or in
 * another run) returns the same bytes.
 */
export function unwrittenSectorBytes(
  fill: UnwrittenFill,
  fileSeed: number,
  sector: number,
  sectorSize = 512,
): Uint8Array {
  const out = new Uint8Array(sectorSize);
  if (fill === "zeros") return out;
  let state = hashInt(sector, mix32(fileSeed ^ 0x0e11_f111));
  for (let i = 0; i < sectorSize; i += 4) {
    state = mix32(state + 0x9e3779b9);
    out[i] = state & 0xff;
    if (i + 1 < sectorSize) out[i + 1] = (state >>> 8) & 0xff;
    if (i + 2 < sectorSize) out[i + 2] = (state >>> 16) & 0xff;
    if (i + 3 < sectorSize) out[i + 3] = state >>> 24;
  }
  return out;
}

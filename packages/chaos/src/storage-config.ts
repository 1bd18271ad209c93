import {
  type LatencyDistribution,
  type MsRange,
  randomLatencyDistribution,
  uniformLatency,
} from "./latency.ts";
import { drawBetween, type RandomSource } from "./random-source.ts";

/** Size of a storage sector; corruption, tearing and never-written content work per sector. */
export const SECTOR_SIZE = 512;

/** What a never-written sector (a hole, a `truncate` extension) reads back as. */
export type UnwrittenFill =
  /** Zeros, as POSIX guarantees for file holes. */
  | "zeros"
  /** Deterministic pseudo-random bytes per (file, sector): exposes code that trusts unwritten space. */
  | "pattern";

/**
 * Simulated storage for one seed. Probabilities in [0, 1], times in ms. Faults default to 0
 * (off); the crash model (what happens to writes not yet synced) always applies, because a crash
 * is itself asked for (attrition or `f.reboot(ip, "crash")`). See the README for the table.
 */
export interface StorageChaosConfig {
  /** Operations per second the device sustains; each op adds `1000 / iops` ms. Default 25,000. */
  readonly iops: number;
  /** Bytes per second; an op of n bytes adds `n * 1000 / bandwidth` ms. Default 150 MB/s. */
  readonly bandwidthBytesPerSec: number;
  /** Base latency per operation, before the IOPS and bandwidth terms. */
  readonly latency: {
    /** Default uniform 0.05-0.2 ms. */
    readonly read: LatencyDistribution;
    /** Default uniform 0.1-0.5 ms. */
    readonly write: LatencyDistribution;
    /** Default uniform 1-5 ms. */
    readonly sync: LatencyDistribution;
  };
  /** Per sector read: the sector becomes corrupt (one bit flipped) until rewritten. Default 0. */
  readonly readCorruptionProbability: number;
  /** Per sector written: the sector lands corrupt (sticky until rewritten). Default 0. */
  readonly writeCorruptionProbability: number;
  /** Per write: reports success but never reaches the media. Default 0. */
  readonly phantomWriteProbability: number;
  /** Per write: lands at another offset of the file; the target keeps its old content. Default 0. */
  readonly misdirectedWriteProbability: number;
  /** Per read: returns the bytes of another offset of the file. Default 0. */
  readonly misdirectedReadProbability: number;
  /** Per sync: fails with EIO; the writes it covered stay unsynced. Default 0. */
  readonly syncFailureProbability: number;
  /**
   * Fate of each write not yet synced when its owner crashes (relative weights, normalized).
   * Default survive 0.4, disappear 0.4, torn 0.2: a write whose sync was forgotten is lost or torn
   * in 60% of crashes, so a missing fsync shows up within a few crashing seeds.
   */
  readonly unsyncedWriteOnCrash: {
    readonly survive: number;
    readonly disappear: number;
    readonly torn: number;
  };
  /**
   * Probability that a create, rename or delete not yet made durable by a `syncDir` of its
   * directory survives a crash. Default 0: such namespace changes are lost (a file's `sync()`
   * makes its data durable, not its name, as in POSIX).
   */
  readonly unsyncedMetadataSurvivesCrash: number;
  /**
   * Powersafe overwrite (SQLite's name for what modern drives guarantee): a write torn by a crash
   * only damages bytes inside its own range, so synced bytes sharing a sector with a later,
   * unsynced write survive. Default true. `false` models older devices that tear whole 512-byte
   * sectors: a torn sector turns into garbage entirely, bytes outside the write included, so a
   * log must never rewrite a sector that holds acknowledged data. `"random"` keeps it true.
   */
  readonly powersafeOverwrite: boolean;
  /** What never-written sectors read as. Default "zeros". */
  readonly unwrittenFill: UnwrittenFill;
  /** Stall episodes per machine: every op of the machine waits until the episode ends. */
  readonly stall: {
    /** Per op, when no episode is running. Default 0. */
    readonly probability: number;
    /** Default 50-500 ms. */
    readonly duration: MsRange;
  };
  /** Throttle episodes per machine: IOPS and bandwidth divided by `slowdown` for a while. */
  readonly throttle: {
    /** Per op, when no episode is running. Default 0. */
    readonly probability: number;
    /** Default 500-5000 ms. */
    readonly duration: MsRange;
    /** Divisor drawn per episode. Default 2-20. */
    readonly slowdown: { readonly min: number; readonly max: number };
  };
}

/** A healthy SATA-SSD-like disk: realistic latencies, every fault off, the crash model on. */
export function defaultStorageChaos(): StorageChaosConfig {
  return {
    iops: 25_000,
    bandwidthBytesPerSec: 150_000_000,
    latency: {
      read: uniformLatency(0.05, 0.2),
      write: uniformLatency(0.1, 0.5),
      sync: uniformLatency(1, 5),
    },
    readCorruptionProbability: 0,
    writeCorruptionProbability: 0,
    phantomWriteProbability: 0,
    misdirectedWriteProbability: 0,
    misdirectedReadProbability: 0,
    syncFailureProbability: 0,
    unsyncedWriteOnCrash: { survive: 0.4, disappear: 0.4, torn: 0.2 },
    unsyncedMetadataSurvivesCrash: 0,
    powersafeOverwrite: true,
    unwrittenFill: "zeros",
    stall: { probability: 0, duration: { minMs: 50, maxMs: 500 } },
    throttle: { probability: 0, duration: { minMs: 500, maxMs: 5000 }, slowdown: { min: 2, max: 20 } },
  };
}

/**
 * The whole storage fault surface with magnitudes drawn for this seed (`.chaos({ storage:
 * "random" })`); fixed number and order of draws. Ranges are listed in the README.
 */
export function randomStorageChaos(rng: RandomSource): StorageChaosConfig {
  const survive = drawBetween(rng, 0, 0.6);
  const torn = drawBetween(rng, 0.1, 0.4);
  return {
    iops: Math.round(drawBetween(rng, 10_000, 100_000)),
    bandwidthBytesPerSec: Math.round(drawBetween(rng, 50e6, 500e6)),
    latency: {
      read: randomLatencyDistribution(0.05, 0.2, rng),
      write: randomLatencyDistribution(0.1, 0.5, rng),
      sync: randomLatencyDistribution(1, 5, rng),
    },
    readCorruptionProbability: drawBetween(rng, 0, 0.001),
    writeCorruptionProbability: drawBetween(rng, 0, 0.001),
    phantomWriteProbability: drawBetween(rng, 0, 0.0002),
    misdirectedWriteProbability: drawBetween(rng, 0, 0.0001),
    misdirectedReadProbability: drawBetween(rng, 0, 0.0001),
    syncFailureProbability: drawBetween(rng, 0, 0.0005),
    unsyncedWriteOnCrash: { survive, disappear: Math.max(1 - survive - torn, 0), torn },
    unsyncedMetadataSurvivesCrash: drawBetween(rng, 0, 0.5),
    // Not drawn: sector tearing is a device property to opt into, and a draw here would change
    // every later draw of existing seeds.
    powersafeOverwrite: true,
    unwrittenFill: rng.random() < 0.5 ? "zeros" : "pattern",
    stall: {
      probability: drawBetween(rng, 0, 0.001),
      duration: { minMs: 50, maxMs: drawBetween(rng, 50, 500) },
    },
    throttle: {
      probability: drawBetween(rng, 0, 0.001),
      duration: { minMs: 500, maxMs: drawBetween(rng, 500, 5000) },
      slowdown: { min: 2, max: drawBetween(rng, 2, 20) },
    },
  };
}

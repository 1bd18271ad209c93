import {
  type LatencyDistribution,
  type MsRange,
  randomLatencyDistribution,
  uniformLatency,
} from "./latency.ts";
import { drawBetween, type RandomSource } from "./random-source.ts";

/** How a random partition picks the group cut off from the rest. */
export type PartitionStrategy =
  /** Each IP joins the group with probability 0.5 (retried until the group is a proper subset). */
  | "random"
  /** A group of uniformly random size 1..n-1, members chosen by a shuffle. */
  | "uniform-size"
  /** One IP alone against everyone else. */
  | "isolate-one";

/** Whether a partition blocks traffic both ways or only from the group to the rest. */
export type PartitionDirection = "both" | "one-way";

/**
 * Simulated network chaos for one seed. All probabilities are in [0, 1] and all times in ms.
 * Every fault defaults to probability 0 (off); the other knobs of a fault carry the value used
 * once its probability is raised. See the README for the table of knobs and defaults.
 */
export interface NetworkChaosConfig {
  /** Operation latencies. Not faults: they apply even when network chaos is off. */
  readonly latency: {
    /** From `connect()` to the connection being usable. Default uniform 1-5 ms. */
    readonly connect: LatencyDistribution;
    /** From a connection arriving at a listener to `accept()` returning it. Default uniform 0.05-0.5 ms. */
    readonly accept: LatencyDistribution;
    /** Time a chunk spends leaving the sender's buffer. Default uniform 0.01-0.05 ms. */
    readonly write: LatencyDistribution;
    /** One-way transit of a chunk to the peer. Default uniform 0.1-0.6 ms. */
    readonly delivery: LatencyDistribution;
  };
  /**
   * Per ordered IP pair, a fixed extra delivery latency drawn once (uniform in [0, maxMs]) at the
   * pair's first contact and kept for the seed (FDB's SimClogging). Default 0 (off).
   */
  readonly pairLatency: { readonly maxMs: number };
  /** Clogs: a read or write stalls (stays pending) for `duration`, then resumes. */
  readonly clog: {
    /** Per write call. Default 0. */
    readonly writeProbability: number;
    /** Per read call. Default 0. */
    readonly readProbability: number;
    /** Default 100-300 ms. */
    readonly duration: MsRange;
  };
  /** Random partitions between groups of IPs; healed at the end of the chaos window. */
  readonly partition: {
    /** Per check (one check every `checkEveryMs` while chaos is active). Default 0. */
    readonly probability: number;
    /** Default 1000 ms. */
    readonly checkEveryMs: number;
    /** How long a partition lasts. Default 200-2000 ms. */
    readonly duration: MsRange;
    /** Default "random". */
    readonly strategy: PartitionStrategy;
    /** Default "both". */
    readonly direction: PartitionDirection;
  };
  /** Bit flips in delivered chunks (corruption that a checksum must catch). */
  readonly bitFlip: {
    /** Per delivered chunk. Default 0. */
    readonly probability: number;
    /** Bits flipped per corrupted chunk, power-law between these (few bits most often). Default 1-32. */
    readonly minBits: number;
    readonly maxBits: number;
    /** Minimum time between two corrupted chunks, network-wide. Default 0. */
    readonly cooldownMs: number;
  };
  /** A write is split: only a prefix leaves now, the rest follows as a later chunk. */
  readonly partialWrite: {
    /** Per chunk sent. Default 0. */
    readonly probability: number;
    /** Largest prefix sent (0..min(len, maxBytes) bytes). Default 1000. */
    readonly maxBytes: number;
  };
  /** A read returns fewer bytes than are available (never 0). */
  readonly partialRead: {
    /** Per read. Default 0. */
    readonly probability: number;
    /** Largest read (1..min(available, maxBytes) bytes). Default 1000. */
    readonly maxBytes: number;
  };
  /** A connection is closed under the application's feet (FDB's rollRandomClose). */
  readonly randomClose: {
    /** Per read or write call. Default 0. */
    readonly probability: number;
    /** Minimum time between two random closes, network-wide. Default 5000 ms. */
    readonly cooldownMs: number;
    /** Fraction of closes that are resets (RST, ECONNRESET now) rather than silent FIN/EPIPE later. Default 0.3. */
    readonly rstRatio: number;
    /** Fraction of closes that affect one direction only (send or receive side). Default 0.66. */
    readonly oneSidedRatio: number;
  };
  /** `connect()` fails: refused at once (ECONNREFUSED) or hangs until the caller's timeout. */
  readonly connectFailure: {
    /** Per connect. Default 0. */
    readonly probability: number;
    /** Fraction of failures that hang instead of being refused. Default 0.5. */
    readonly hangRatio: number;
  };
  /**
   * Reordering across connections: a chunk is held back an extra delay, so messages sent later on
   * another connection overtake it. Order within one connection is always kept (TCP is FIFO).
   */
  readonly reorder: {
    /** Per chunk. Default 0. */
    readonly probability: number;
    /** Extra delay, uniform in [0, maxDelayMs]. Default 10 ms. */
    readonly maxDelayMs: number;
  };
  /**
   * Half-open connections: a crashed peer never sends an RST (its survivors learn of the crash
   * through their own traffic, answered once the host is back, or their timeouts); under this
   * fault an error also surfaces on the surviving side after `errorAfter` (like a TCP keep-alive
   * timeout).
   */
  readonly halfOpen: {
    /** Per connection of a crashed process. Default 0 (only the survivor's own traffic tells it). */
    readonly probability: number;
    /** Default 1000-10000 ms. */
    readonly errorAfter: MsRange;
  };
  /** Link cuts: one connection stalls in both directions (nothing lost) until restored. */
  readonly linkCut: {
    /** Per connection per check (one check every `checkEveryMs` while chaos is active). Default 0. */
    readonly probability: number;
    /** Default 1000 ms. */
    readonly checkEveryMs: number;
    /** Default 100-1000 ms. */
    readonly duration: MsRange;
  };
  /** Per-process clock drift of `timer()` (see `createDriftClock`). */
  readonly clockDrift: {
    /** Upper bound of `timer() - now()`. Default 0 (off). */
    readonly maxDriftMs: number;
  };
  /** Buggified sleeps: a sleep is stretched by `maxMs * u^1000` (almost always ~0, rarely ~max). */
  readonly sleepDelay: {
    /** Per sleep. Default 0. */
    readonly probability: number;
    /** Default 100 ms. */
    readonly maxMs: number;
  };
}

/** The network with realistic latencies and every fault off. */
export function defaultNetworkChaos(): NetworkChaosConfig {
  return {
    latency: {
      connect: uniformLatency(1, 5),
      accept: uniformLatency(0.05, 0.5),
      write: uniformLatency(0.01, 0.05),
      delivery: uniformLatency(0.1, 0.6),
    },
    pairLatency: { maxMs: 0 },
    clog: { writeProbability: 0, readProbability: 0, duration: { minMs: 100, maxMs: 300 } },
    partition: {
      probability: 0,
      checkEveryMs: 1000,
      duration: { minMs: 200, maxMs: 2000 },
      strategy: "random",
      direction: "both",
    },
    bitFlip: { probability: 0, minBits: 1, maxBits: 32, cooldownMs: 0 },
    partialWrite: { probability: 0, maxBytes: 1000 },
    partialRead: { probability: 0, maxBytes: 1000 },
    randomClose: { probability: 0, cooldownMs: 5000, rstRatio: 0.3, oneSidedRatio: 0.66 },
    connectFailure: { probability: 0, hangRatio: 0.5 },
    reorder: { probability: 0, maxDelayMs: 10 },
    halfOpen: { probability: 0, errorAfter: { minMs: 1000, maxMs: 10_000 } },
    linkCut: { probability: 0, checkEveryMs: 1000, duration: { minMs: 100, maxMs: 1000 } },
    clockDrift: { maxDriftMs: 0 },
    sleepDelay: { probability: 0, maxMs: 100 },
  };
}

/** A range whose bounds are both drawn: min in [loMin, loMax], max in [min + hiMin - loMin, ...]. */
function drawRange(rng: RandomSource, loMin: number, loMax: number, hiMin: number, hiMax: number): MsRange {
  const minMs = drawBetween(rng, loMin, loMax);
  return { minMs, maxMs: Math.max(minMs, drawBetween(rng, hiMin, hiMax)) };
}

/**
 * The whole network fault surface with magnitudes drawn for this seed (`.chaos({ network:
 * "random" })`). The number and order of draws is fixed, so a seed always gets the same config.
 * Ranges are listed in the README.
 */
export function randomNetworkChaos(rng: RandomSource): NetworkChaosConfig {
  const strategies = ["random", "uniform-size", "isolate-one"] as const;
  return {
    latency: {
      connect: randomLatencyDistribution(1, 5, rng),
      accept: randomLatencyDistribution(0.05, 0.5, rng),
      write: randomLatencyDistribution(0.01, 0.05, rng),
      delivery: randomLatencyDistribution(0.1, 0.6, rng),
    },
    pairLatency: { maxMs: drawBetween(rng, 0, 50) },
    clog: {
      writeProbability: drawBetween(rng, 0, 0.05),
      readProbability: drawBetween(rng, 0, 0.05),
      duration: drawRange(rng, 20, 200, 100, 500),
    },
    partition: {
      probability: drawBetween(rng, 0, 0.15),
      checkEveryMs: 1000,
      duration: drawRange(rng, 100, 1000, 500, 3000),
      strategy: strategies[Math.floor(rng.random() * 3)]!,
      direction: rng.random() < 0.75 ? "both" : "one-way",
    },
    bitFlip: {
      probability: drawBetween(rng, 0, 0.001),
      minBits: 1,
      maxBits: 32,
      cooldownMs: drawBetween(rng, 0, 100),
    },
    partialWrite: {
      probability: drawBetween(rng, 0, 0.3),
      maxBytes: Math.floor(drawBetween(rng, 100, 2000)),
    },
    partialRead: { probability: drawBetween(rng, 0, 0.3), maxBytes: Math.floor(drawBetween(rng, 100, 2000)) },
    randomClose: {
      probability: drawBetween(rng, 0, 0.001),
      cooldownMs: drawBetween(rng, 1000, 10_000),
      rstRatio: drawBetween(rng, 0.2, 0.4),
      oneSidedRatio: 0.66,
    },
    connectFailure: { probability: drawBetween(rng, 0, 0.05), hangRatio: drawBetween(rng, 0.4, 0.6) },
    reorder: { probability: drawBetween(rng, 0, 0.1), maxDelayMs: drawBetween(rng, 1, 50) },
    halfOpen: { probability: drawBetween(rng, 0, 0.5), errorAfter: drawRange(rng, 500, 2000, 2000, 10_000) },
    linkCut: {
      probability: drawBetween(rng, 0, 0.01),
      checkEveryMs: 1000,
      duration: drawRange(rng, 50, 500, 200, 2000),
    },
    clockDrift: { maxDriftMs: drawBetween(rng, 0, 200) },
    sleepDelay: { probability: drawBetween(rng, 0, 0.25), maxMs: drawBetween(rng, 10, 200) },
  };
}

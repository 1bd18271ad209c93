// Decisions the simulated network asks for. Each helper is pure over its config and random
// source: it draws, decides and returns; the simulator applies the outcome and records the
// `sim_fault` trace event. `multiplier` (default 1) scales the fault's probability, e.g. with a
// `CorrelatedBursts` multiplier; the result is capped at 1. A probability of 0 draws nothing.
import { sampleRange } from "./latency.ts";
import type { NetworkChaosConfig, PartitionStrategy } from "./network-config.ts";
import { drawBetween, drawChance, drawInt, type RandomSource } from "./random-source.ts";

/** `p * multiplier`, capped to [0, 1]. */
export function scaleProbability(p: number, multiplier = 1): number {
  const scaled = p * multiplier;
  return scaled <= 0 ? 0 : Math.min(scaled, 1);
}

/** Should this write call stall (clog)? Then it stays pending for `clogDurationMs`. */
export function shouldClogWrite(cfg: NetworkChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.clog.writeProbability, multiplier));
}

/** Should this read call stall (clog)? Then it stays pending for `clogDurationMs`. */
export function shouldClogRead(cfg: NetworkChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.clog.readProbability, multiplier));
}

/** How long a clog lasts, in ms. */
export function clogDurationMs(cfg: NetworkChaosConfig, rng: RandomSource): number {
  return sampleRange(cfg.clog.duration, rng);
}

/** At a partition check (every `partition.checkEveryMs`): should a random partition start? */
export function shouldStartPartition(cfg: NetworkChaosConfig, rng: RandomSource, multiplier = 1): boolean {
  return drawChance(rng, scaleProbability(cfg.partition.probability, multiplier));
}

/** How long a random partition lasts, in ms. */
export function partitionDurationMs(cfg: NetworkChaosConfig, rng: RandomSource): number {
  return sampleRange(cfg.partition.duration, rng);
}

/**
 * The group cut off from the rest by a partition: a non-empty proper subset of `ips`, in the
 * order of `ips` (empty when fewer than two IPs). With direction "both" the simulator blocks
 * group <-> rest; with "one-way" only group -> rest.
 */
export function choosePartition(
  strategy: PartitionStrategy,
  ips: readonly string[],
  rng: RandomSource,
): string[] {
  const n = ips.length;
  if (n < 2) return [];
  if (strategy === "isolate-one") return [ips[drawInt(rng, 0, n)]!];
  if (strategy === "uniform-size") {
    const size = drawInt(rng, 1, n);
    // Partial Fisher-Yates over indices; the result keeps the input order.
    const idx = ips.map((_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = drawInt(rng, i, n);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const chosen = new Set(idx.slice(0, size));
    return ips.filter((_, i) => chosen.has(i));
  }
  // "random": each IP joins with probability 0.5; redraw the (rare) empty or full group.
  for (let attempt = 0; attempt < 8; attempt++) {
    const group = ips.filter(() => rng.random() < 0.5);
    if (group.length > 0 && group.length < n) return group;
  }
  return [ips[drawInt(rng, 0, n)]!];
}

/**
 * Should this delivered chunk be corrupted? Honors the network-wide cooldown: pass the time of
 * the last corruption (or `-Infinity`).
 */
export function shouldFlipBits(
  cfg: NetworkChaosConfig,
  rng: RandomSource,
  nowMs: number,
  lastFlipMs: number,
  multiplier = 1,
): boolean {
  if (nowMs - lastFlipMs < cfg.bitFlip.cooldownMs) return false;
  return drawChance(rng, scaleProbability(cfg.bitFlip.probability, multiplier));
}

/**
 * How many bits to flip in a corrupted chunk: a power law clamped to [minBits, maxBits] (one
 * bit half the time, two a quarter of the time, ...), so most corruptions are small.
 */
export function bitFlipCount(cfg: NetworkChaosConfig, rng: RandomSource): number {
  const { minBits, maxBits } = cfg.bitFlip;
  // Geometric(1/2) from one draw: 1 + number of leading halvings.
  const u = rng.random();
  const count = u <= 0 ? maxBits : 1 + Math.floor(-Math.log2(1 - u));
  return Math.min(maxBits, Math.max(minBits, count));
}

/**
 * A copy of `bytes` with `bits` distinct bit positions flipped (capped at the number of bits),
 * chosen at random. The input is not modified.
 */
export function flipBits(bytes: Uint8Array, rng: RandomSource, bits = 1): Uint8Array {
  const out = bytes.slice();
  const total = bytes.length * 8;
  const count = Math.min(bits, total);
  const flipped = new Set<number>();
  while (flipped.size < count) {
    const pos = drawInt(rng, 0, total);
    if (flipped.has(pos)) continue;
    flipped.add(pos);
    out[pos >>> 3]! ^= 1 << (pos & 7);
  }
  return out;
}

/**
 * Partial write: the number of bytes of a `length`-byte chunk sent now (0..min(length, maxBytes);
 * the rest is sent later as its own chunk), or null to send it whole.
 */
export function partialWriteLength(
  cfg: NetworkChaosConfig,
  length: number,
  rng: RandomSource,
  multiplier = 1,
): number | null {
  if (length <= 0 || !drawChance(rng, scaleProbability(cfg.partialWrite.probability, multiplier)))
    return null;
  return drawInt(rng, 0, Math.min(length, cfg.partialWrite.maxBytes) + 1);
}

/**
 * Partial read: how many of `available` bytes this read returns (1..min(available, maxBytes),
 * never 0), or null to return everything.
 */
export function partialReadLength(
  cfg: NetworkChaosConfig,
  available: number,
  rng: RandomSource,
  multiplier = 1,
): number | null {
  if (available <= 1 || !drawChance(rng, scaleProbability(cfg.partialRead.probability, multiplier)))
    return null;
  return drawInt(rng, 1, Math.min(available, Math.max(1, cfg.partialRead.maxBytes)) + 1);
}

/** A random close: which side of the local connection closes, and how it surfaces. */
export interface RandomClose {
  /**
   * "send": our writes fail (the peer sees EOF); "receive": our reads end (the peer's writes
   * fail); "both": the connection is gone both ways.
   */
  readonly side: "send" | "receive" | "both";
  /** True: a reset (ECONNRESET on the current call); false: silent (FIN, EOF/EPIPE later). */
  readonly reset: boolean;
}

/**
 * Should the connection be closed under this read/write call? Honors the network-wide cooldown
 * (pass the time of the last random close, or `-Infinity`). Returns what to close, or null.
 */
export function decideRandomClose(
  cfg: NetworkChaosConfig,
  rng: RandomSource,
  nowMs: number,
  lastCloseMs: number,
  multiplier = 1,
): RandomClose | null {
  const rc = cfg.randomClose;
  if (nowMs - lastCloseMs < rc.cooldownMs) return null;
  if (!drawChance(rng, scaleProbability(rc.probability, multiplier))) return null;
  const side = rng.random() < rc.oneSidedRatio ? (rng.random() < 0.5 ? "send" : "receive") : "both";
  return { side, reset: rng.random() < rc.rstRatio };
}

/** The fate of one `connect()`: go ahead, be refused (ECONNREFUSED), or hang until the caller gives up. */
export function decideConnectOutcome(
  cfg: NetworkChaosConfig,
  rng: RandomSource,
  multiplier = 1,
): "connect" | "refuse" | "hang" {
  if (!drawChance(rng, scaleProbability(cfg.connectFailure.probability, multiplier))) return "connect";
  return drawChance(rng, cfg.connectFailure.hangRatio) ? "hang" : "refuse";
}

/**
 * Extra delay (ms) to hold this chunk back so traffic on other connections overtakes it; 0 when
 * not reordered. The simulator adds it to the connection's next send time, so the chunks of one
 * connection stay in order.
 */
export function reorderDelayMs(cfg: NetworkChaosConfig, rng: RandomSource, multiplier = 1): number {
  if (!drawChance(rng, scaleProbability(cfg.reorder.probability, multiplier))) return 0;
  return drawBetween(rng, 0, cfg.reorder.maxDelayMs);
}

/**
 * When a process crashes, for each of its connections: null to reset the surviving side at once
 * (RST), or the delay in ms after which the silently half-open surviving side gets ECONNRESET.
 */
export function halfOpenErrorAfterMs(
  cfg: NetworkChaosConfig,
  rng: RandomSource,
  multiplier = 1,
): number | null {
  if (!drawChance(rng, scaleProbability(cfg.halfOpen.probability, multiplier))) return null;
  return sampleRange(cfg.halfOpen.errorAfter, rng);
}

/** At a link-cut check, for one connection: how long (ms) it is cut, or null when it is not. */
export function linkCutDurationMs(cfg: NetworkChaosConfig, rng: RandomSource, multiplier = 1): number | null {
  if (!drawChance(rng, scaleProbability(cfg.linkCut.probability, multiplier))) return null;
  return sampleRange(cfg.linkCut.duration, rng);
}

/** The fixed extra latency of an ordered IP pair, drawn at its first contact (memoize it). */
export function pairLatencyMs(cfg: NetworkChaosConfig, rng: RandomSource): number {
  return cfg.pairLatency.maxMs > 0 ? drawBetween(rng, 0, cfg.pairLatency.maxMs) : 0;
}

/**
 * Buggified sleep: extra ms to add to a sleep. With probability `sleepDelay.probability` the
 * extra is `maxMs * u^1000` (usually ~0, occasionally close to max: a power law), otherwise 0.
 */
export function sleepDelayMs(cfg: NetworkChaosConfig, rng: RandomSource, multiplier = 1): number {
  if (cfg.sleepDelay.maxMs <= 0) return 0;
  if (!drawChance(rng, scaleProbability(cfg.sleepDelay.probability, multiplier))) return 0;
  return cfg.sleepDelay.maxMs * rng.random() ** 1000;
}

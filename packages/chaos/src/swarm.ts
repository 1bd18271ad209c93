// Swarm testing (Groce et al., 2012): each seed switches whole fault families off at random, so
// some seeds see only partitions, others only disk faults, others nothing; and workloads draw
// their operations from a per-seed subset of their alphabet. Bugs that one fault (or operation)
// masks by "swamping" the run become reachable.
import type { AttritionConfig } from "./attrition-config.ts";
import { hashInt, hashString, mix32 } from "./internal/hash.ts";
import type { NetworkChaosConfig } from "./network-config.ts";
import type { RandomSource } from "./random-source.ts";
import { currentChaosRuntime } from "./runtime.ts";
import type { StorageChaosConfig } from "./storage-config.ts";
import { FAULT_FAMILIES, type FaultFamily } from "./swarm-families.ts";

/** Which fault families are on. */
export type FaultMask = Readonly<Record<FaultFamily, boolean>>;

/** Every family on (no swarm). */
export function fullFaultMask(): FaultMask {
  return Object.fromEntries(FAULT_FAMILIES.map((f) => [f, true])) as Record<FaultFamily, boolean>;
}

/**
 * A per-seed subset of fault families: each family (in `FAULT_FAMILIES` order, one draw each) is
 * on with probability `pOn` (default 0.5). The all-off subset is allowed on purpose: it checks
 * that the system works when nothing goes wrong.
 */
export function swarmFaultMask(rng: RandomSource, pOn = 0.5): FaultMask {
  return Object.fromEntries(FAULT_FAMILIES.map((f) => [f, rng.random() < pOn])) as Record<
    FaultFamily,
    boolean
  >;
}

/** `cfg` with the faults of the families off in `mask` set to probability 0 (latencies kept). */
export function applyNetworkMask(cfg: NetworkChaosConfig, mask: FaultMask): NetworkChaosConfig {
  return {
    ...cfg,
    pairLatency: mask.pairLatency ? cfg.pairLatency : { maxMs: 0 },
    clog: mask.clog ? cfg.clog : { ...cfg.clog, writeProbability: 0, readProbability: 0 },
    partition: mask.partition ? cfg.partition : { ...cfg.partition, probability: 0 },
    bitFlip: mask.bitFlip ? cfg.bitFlip : { ...cfg.bitFlip, probability: 0 },
    partialWrite: mask.partialIo ? cfg.partialWrite : { ...cfg.partialWrite, probability: 0 },
    partialRead: mask.partialIo ? cfg.partialRead : { ...cfg.partialRead, probability: 0 },
    randomClose: mask.randomClose ? cfg.randomClose : { ...cfg.randomClose, probability: 0 },
    connectFailure: mask.connectFailure ? cfg.connectFailure : { ...cfg.connectFailure, probability: 0 },
    reorder: mask.reorder ? cfg.reorder : { ...cfg.reorder, probability: 0 },
    halfOpen: mask.halfOpen ? cfg.halfOpen : { ...cfg.halfOpen, probability: 0 },
    linkCut: mask.linkCut ? cfg.linkCut : { ...cfg.linkCut, probability: 0 },
    clockDrift: mask.clockDrift ? cfg.clockDrift : { maxDriftMs: 0 },
    sleepDelay: mask.sleepDelay ? cfg.sleepDelay : { ...cfg.sleepDelay, probability: 0 },
  };
}

/** `cfg` with the faults of the families off in `mask` set to 0 (the crash model is kept). */
export function applyStorageMask(cfg: StorageChaosConfig, mask: FaultMask): StorageChaosConfig {
  return {
    ...cfg,
    readCorruptionProbability: mask.readCorruption ? cfg.readCorruptionProbability : 0,
    writeCorruptionProbability: mask.writeCorruption ? cfg.writeCorruptionProbability : 0,
    phantomWriteProbability: mask.phantomWrite ? cfg.phantomWriteProbability : 0,
    misdirectedWriteProbability: mask.misdirectedWrite ? cfg.misdirectedWriteProbability : 0,
    misdirectedReadProbability: mask.misdirectedRead ? cfg.misdirectedReadProbability : 0,
    syncFailureProbability: mask.syncFailure ? cfg.syncFailureProbability : 0,
    stall: mask.stall ? cfg.stall : { ...cfg.stall, probability: 0 },
    throttle: mask.throttle ? cfg.throttle : { ...cfg.throttle, probability: 0 },
  };
}

/**
 * `cfg` with the reboot kinds off in `mask` weighted 0; null (no attrition) when every kind is
 * off, rather than falling back to crashes.
 */
export function applyAttritionMask(cfg: AttritionConfig, mask: FaultMask): AttritionConfig | null {
  const weights = {
    graceful: mask.graceful ? cfg.weights.graceful : 0,
    crash: mask.crash ? cfg.weights.crash : 0,
    wipe: mask.wipe ? cfg.weights.wipe : 0,
  };
  if (weights.graceful + weights.crash + weights.wipe <= 0) return null;
  return { ...cfg, weights };
}

/**
 * Pure per-seed operation mask: whether `opId` is in the seed's operation subset (about half of
 * the ids are). A hash of (seed, opId): no draw, the same answer in any order, any process. The
 * simulator uses it to implement the runtime's `swarmOpEnabled`.
 */
export function swarmOpMask(seed: number, opId: string | number): boolean {
  const salt = mix32(0x6f706d61 ^ hashInt(seed, 0x73776f70));
  const h = typeof opId === "number" ? hashInt(opId, salt) : hashString(opId, salt);
  return (h & 0x8000_0000) !== 0;
}

/**
 * Operation-alphabet swarm for workloads: is `opId` in this seed's subset? Always true outside a
 * simulation and when the simulation does not use operation swarm.
 *
 * ```ts
 * const ops = ["put", "get", "delete", "scan"].filter(swarmOpEnabled);
 * ```
 */
export function swarmOpEnabled(opId: string | number): boolean {
  const runtime = currentChaosRuntime();
  if (runtime?.swarmOpEnabled === undefined) return true;
  return runtime.swarmOpEnabled(String(opId));
}

/**
 * One operation drawn (one draw) from the seed's enabled subset of `ops`, or from the whole
 * alphabet when the subset is empty; the number of draws per step does not depend on the mask.
 */
export function swarmPick<T extends string | number>(ops: readonly T[], rng: RandomSource): T {
  if (ops.length === 0) throw new RangeError("swarmPick: ops must not be empty");
  const enabled = ops.filter(swarmOpEnabled);
  const from = enabled.length > 0 ? enabled : ops;
  return from[Math.floor(rng.random() * from.length)]!;
}

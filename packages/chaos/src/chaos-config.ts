import type { AttritionConfig } from "./attrition-config.ts";
import type { BuggifyConfig } from "./buggify-config.ts";
import type { CorrelatedBurstsConfig } from "./correlated-bursts-config.ts";
import type { NetworkChaosConfig } from "./network-config.ts";
import type { StorageChaosConfig } from "./storage-config.ts";
import type { FaultFamily } from "./swarm-families.ts";

/** A deep partial of a config object: what `.chaos()` accepts, merged onto the defaults. */
export type PartialConfig<T> = {
  readonly [K in keyof T]?: T[K] extends string | number | boolean
    ? T[K]
    : T[K] extends { readonly kind: string }
      ? T[K]
      : PartialConfig<T[K]>;
};

/**
 * One surface of `.chaos()`:
 * - `"random"`: the whole fault surface with magnitudes drawn per seed;
 * - `"swarm"`: like random, then each fault family is switched off with probability 0.5 per seed;
 * - a config object: those exact knobs, every omitted field at its default;
 * - `false` (or omitted): off.
 */
export type ChaosSurfaceInput<T> = "random" | "swarm" | PartialConfig<T> | false;

/** What the simulation builder's `.chaos()` accepts. */
export interface ChaosInput {
  readonly network?: ChaosSurfaceInput<NetworkChaosConfig>;
  readonly storage?: ChaosSurfaceInput<StorageChaosConfig>;
  readonly attrition?: ChaosSurfaceInput<AttritionConfig>;
  /** Default: on with activation 0.5 and fire probability 0.25 once `.chaos()` is used. */
  readonly buggify?: ChaosSurfaceInput<BuggifyConfig>;
  /** Correlated failure bursts scaling the fault probabilities. Default off. */
  readonly bursts?: ChaosSurfaceInput<CorrelatedBurstsConfig>;
}

/** Concrete per-seed chaos, as `resolveChaosConfig` returns it to the runner. */
export interface ResolvedChaosConfig {
  /** Always present; every fault at probability 0 when network chaos is off. */
  readonly network: NetworkChaosConfig;
  /** Always present; every fault at 0 when storage chaos is off (the crash model still applies). */
  readonly storage: StorageChaosConfig;
  /** Null when attrition is off. */
  readonly attrition: AttritionConfig | null;
  readonly buggify: BuggifyConfig;
  /** Null when bursts are off. */
  readonly bursts: CorrelatedBurstsConfig | null;
  /** Which fault families are on for this seed (all false for surfaces that are off). */
  readonly families: Readonly<Record<FaultFamily, boolean>>;
  /**
   * True when some fault needs a chaos window (`chaosDuration`): network or storage faults,
   * attrition or bursts. The builder must refuse such a config without a window.
   */
  readonly needsChaosWindow: boolean;
}

/** What happens to an ongoing fault when the chaos window closes (the quiet tail begins). */
export type QuietTailAction =
  /** No new occurrences; ongoing ones end now (partitions heal, clogs clear, cuts restore). */
  | "stop-and-heal"
  /** No new occurrences; what already happened stays (a flipped bit, a torn write). */
  | "stop"
  /** Dead processes are restarted as scheduled; no new reboots. */
  | "stop-and-restart"
  /** Keeps going: part of the world, not a fault (latencies, bounded clock drift). */
  | "continue";

/**
 * What the simulator must do with each fault family when `chaosActive()` turns false, so liveness
 * checks run on a healed system.
 */
export const QUIET_TAIL: Readonly<Record<FaultFamily | "latency", QuietTailAction>> = {
  latency: "continue",
  pairLatency: "continue",
  clog: "stop-and-heal",
  partition: "stop-and-heal",
  bitFlip: "stop",
  partialIo: "stop",
  randomClose: "stop",
  connectFailure: "stop",
  reorder: "stop",
  halfOpen: "stop-and-heal",
  linkCut: "stop-and-heal",
  clockDrift: "continue",
  sleepDelay: "stop",
  readCorruption: "stop",
  writeCorruption: "stop",
  phantomWrite: "stop",
  misdirectedWrite: "stop",
  misdirectedRead: "stop",
  syncFailure: "stop",
  stall: "stop-and-heal",
  throttle: "stop-and-heal",
  graceful: "stop-and-restart",
  crash: "stop-and-restart",
  wipe: "stop-and-restart",
  buggify: "stop",
  bursts: "stop",
};

import { InvalidArgumentError } from "@moonpool/core";
import { type AttritionConfig, defaultAttrition, randomAttrition } from "./attrition-config.ts";
import { type BuggifyConfig, defaultBuggify, randomBuggify } from "./buggify-config.ts";
import type { ChaosInput, PartialConfig, ResolvedChaosConfig } from "./chaos-config.ts";
import {
  type CorrelatedBurstsConfig,
  defaultCorrelatedBursts,
  randomCorrelatedBursts,
} from "./correlated-bursts-config.ts";
import { isPlainObject, mergeChecked, type Schema } from "./internal/schema.ts";
import { defaultNetworkChaos, type NetworkChaosConfig, randomNetworkChaos } from "./network-config.ts";
import type { RandomSource } from "./random-source.ts";
import { defaultStorageChaos, randomStorageChaos, type StorageChaosConfig } from "./storage-config.ts";
import {
  applyAttritionMask,
  applyNetworkMask,
  applyStorageMask,
  type FaultMask,
  swarmFaultMask,
} from "./swarm.ts";
import type { FaultFamily } from "./swarm-families.ts";

const NETWORK_SCHEMA: Schema = {
  latency: { connect: "latency", accept: "latency", write: "latency", delivery: "latency" },
  pairLatency: { maxMs: "ms" },
  clog: { writeProbability: "probability", readProbability: "probability", duration: "msRange" },
  partition: {
    probability: "probability",
    checkEveryMs: "positive",
    duration: "msRange",
    strategy: { oneOf: ["random", "uniform-size", "isolate-one"] },
    direction: { oneOf: ["both", "one-way"] },
  },
  bitFlip: {
    probability: "probability",
    minBits: "positiveCount",
    maxBits: "positiveCount",
    cooldownMs: "ms",
  },
  partialWrite: { probability: "probability", maxBytes: "count" },
  partialRead: { probability: "probability", maxBytes: "positiveCount" },
  randomClose: {
    probability: "probability",
    cooldownMs: "ms",
    rstRatio: "probability",
    oneSidedRatio: "probability",
  },
  connectFailure: { probability: "probability", hangRatio: "probability" },
  reorder: { probability: "probability", maxDelayMs: "ms" },
  halfOpen: { probability: "probability", errorAfter: "msRange" },
  linkCut: { probability: "probability", checkEveryMs: "positive", duration: "msRange" },
  clockDrift: { maxDriftMs: "ms" },
  sleepDelay: { probability: "probability", maxMs: "ms" },
};

const STORAGE_SCHEMA: Schema = {
  iops: "positive",
  bandwidthBytesPerSec: "positive",
  latency: { read: "latency", write: "latency", sync: "latency" },
  readCorruptionProbability: "probability",
  writeCorruptionProbability: "probability",
  phantomWriteProbability: "probability",
  misdirectedWriteProbability: "probability",
  misdirectedReadProbability: "probability",
  syncFailureProbability: "probability",
  unsyncedWriteOnCrash: { survive: "nonNegative", disappear: "nonNegative", torn: "nonNegative" },
  unsyncedMetadataSurvivesCrash: "probability",
  powersafeOverwrite: "boolean",
  unwrittenFill: { oneOf: ["zeros", "pattern"] },
  stall: { probability: "probability", duration: "msRange" },
  throttle: { probability: "probability", duration: "msRange", slowdown: "minMaxRange" },
};

const ATTRITION_SCHEMA: Schema = {
  maxDead: "count",
  weights: { graceful: "nonNegative", crash: "nonNegative", wipe: "nonNegative" },
  interval: "msRange",
  gracePeriod: "msRange",
  restartDelay: "msRange",
  scope: { oneOf: ["process", "machine", "zone"] },
  tags: "tags",
};

const BUGGIFY_SCHEMA: Schema = { enabled: "boolean", activation: "probability", probability: "probability" };

const BURSTS_SCHEMA: Schema = {
  hurst: "openHalfToOne",
  sourcesPerDomain: "positiveCount",
  meanOnMs: "positive",
  meanOffMs: "positive",
  quietMultiplier: "nonNegative",
  burstMultiplier: "nonNegative",
  globalCoupling: "probability",
};

/** A complete network config from a partial one (omitted fields at their defaults), checked. */
export function networkChaosConfig(
  input: PartialConfig<NetworkChaosConfig> = {},
  path = "chaos.network",
): NetworkChaosConfig {
  const cfg = mergeChecked(path, NETWORK_SCHEMA, defaultNetworkChaos(), input);
  if (cfg.bitFlip.minBits > cfg.bitFlip.maxBits) {
    throw new InvalidArgumentError(
      `${path}.bitFlip`,
      `minBits (${cfg.bitFlip.minBits}) must be <= maxBits (${cfg.bitFlip.maxBits})`,
    );
  }
  return cfg;
}

/** A complete storage config from a partial one (omitted fields at their defaults), checked. */
export function storageChaosConfig(
  input: PartialConfig<StorageChaosConfig> = {},
  path = "chaos.storage",
): StorageChaosConfig {
  return mergeChecked(path, STORAGE_SCHEMA, defaultStorageChaos(), input);
}

/** A complete attrition config from a partial one (omitted fields at their defaults), checked. */
export function attritionConfig(
  input: PartialConfig<AttritionConfig> = {},
  path = "chaos.attrition",
): AttritionConfig {
  return mergeChecked(path, ATTRITION_SCHEMA, defaultAttrition(), input);
}

/** A complete buggify config from a partial one (omitted fields at their defaults), checked. */
export function buggifyConfig(
  input: PartialConfig<BuggifyConfig> = {},
  path = "chaos.buggify",
): BuggifyConfig {
  return mergeChecked(path, BUGGIFY_SCHEMA, defaultBuggify(), input);
}

/** A complete correlated-bursts config from a partial one, checked. */
export function correlatedBurstsConfig(
  input: PartialConfig<CorrelatedBurstsConfig> = {},
  path = "chaos.bursts",
): CorrelatedBurstsConfig {
  return mergeChecked(path, BURSTS_SCHEMA, defaultCorrelatedBursts(), input);
}

const SURFACES = ["network", "storage", "attrition", "buggify", "bursts"] as const;

function checkSurface(name: string, value: unknown): void {
  if (value === undefined || value === false || value === "random" || value === "swarm") return;
  if (isPlainObject(value)) return;
  throw new InvalidArgumentError(
    `chaos.${name}`,
    `expected "random", "swarm", a config object or false, got ${typeof value === "string" ? `"${value}"` : String(value)}`,
  );
}

/** Which families are on in concrete configs (a family is on when it can inject something). */
export function activeFamilies(
  network: NetworkChaosConfig,
  storage: StorageChaosConfig,
  attrition: AttritionConfig | null,
  buggify: BuggifyConfig,
  bursts: CorrelatedBurstsConfig | null,
): Record<FaultFamily, boolean> {
  const n = network;
  const s = storage;
  const a = attrition !== null && attrition.maxDead > 0 ? attrition.weights : null;
  const total = a ? a.graceful + a.crash + a.wipe : 0;
  return {
    pairLatency: n.pairLatency.maxMs > 0,
    clog: n.clog.writeProbability > 0 || n.clog.readProbability > 0,
    partition: n.partition.probability > 0,
    bitFlip: n.bitFlip.probability > 0,
    partialIo: n.partialWrite.probability > 0 || n.partialRead.probability > 0,
    randomClose: n.randomClose.probability > 0,
    connectFailure: n.connectFailure.probability > 0,
    reorder: n.reorder.probability > 0,
    halfOpen: n.halfOpen.probability > 0,
    linkCut: n.linkCut.probability > 0,
    clockDrift: n.clockDrift.maxDriftMs > 0,
    sleepDelay: n.sleepDelay.probability > 0 && n.sleepDelay.maxMs > 0,
    readCorruption: s.readCorruptionProbability > 0,
    writeCorruption: s.writeCorruptionProbability > 0,
    phantomWrite: s.phantomWriteProbability > 0,
    misdirectedWrite: s.misdirectedWriteProbability > 0,
    misdirectedRead: s.misdirectedReadProbability > 0,
    syncFailure: s.syncFailureProbability > 0,
    stall: s.stall.probability > 0,
    throttle: s.throttle.probability > 0,
    graceful: a !== null && (a.graceful > 0 || total === 0),
    crash: a !== null && (a.crash > 0 || total === 0),
    wipe: a !== null && a.wipe > 0,
    buggify: buggify.enabled,
    bursts: bursts !== null,
  };
}

/**
 * Turns what `.chaos()` was given into concrete configs for one seed; the runner calls it once
 * per seed with the seed's configuration stream. The draw order is fixed (the swarm mask when any
 * surface is "swarm", then network, storage, attrition, buggify, bursts), so a seed always
 * resolves to the same configs.
 *
 * - `undefined` input (no `.chaos()` call): realistic latencies, no fault of any kind, buggify off.
 * - Otherwise each surface is off when omitted or `false`, except buggify, which is on (0.5/0.25)
 *   unless given `false`.
 *
 * Throws `InvalidArgumentError` naming the field (e.g. `chaos.network.clog.writeProbability`) for
 * unknown keys, probabilities outside [0, 1], negative durations or inverted ranges.
 *
 * ```ts
 * const cfg = resolveChaosConfig({ network: "swarm", attrition: { maxDead: 1 } }, configRandom);
 * ```
 */
export function resolveChaosConfig(input: ChaosInput | undefined, rng: RandomSource): ResolvedChaosConfig {
  if (input === undefined) {
    const network = defaultNetworkChaos();
    const storage = defaultStorageChaos();
    const buggify = { ...defaultBuggify(), enabled: false };
    return {
      network,
      storage,
      attrition: null,
      buggify,
      bursts: null,
      families: activeFamilies(network, storage, null, buggify, null),
      needsChaosWindow: false,
    };
  }
  const raw: unknown = input;
  if (!isPlainObject(raw)) {
    throw new InvalidArgumentError(
      "chaos",
      `expected an object { network?, storage?, attrition?, buggify?, bursts? }`,
    );
  }
  for (const key of Object.keys(input)) {
    if (!(SURFACES as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`chaos.${key}`, `unknown key; expected one of ${SURFACES.join(", ")}`);
    }
  }
  for (const name of SURFACES) checkSurface(name, input[name]);

  const anySwarm = SURFACES.some((name) => input[name] === "swarm");
  const mask: FaultMask | null = anySwarm ? swarmFaultMask(rng) : null;

  const n = input.network;
  let network: NetworkChaosConfig;
  if (n === undefined || n === false) network = defaultNetworkChaos();
  else if (n === "random") network = randomNetworkChaos(rng);
  else if (n === "swarm") network = applyNetworkMask(randomNetworkChaos(rng), mask!);
  else network = networkChaosConfig(n);

  const s = input.storage;
  let storage: StorageChaosConfig;
  if (s === undefined || s === false) storage = defaultStorageChaos();
  else if (s === "random") storage = randomStorageChaos(rng);
  else if (s === "swarm") storage = applyStorageMask(randomStorageChaos(rng), mask!);
  else storage = storageChaosConfig(s);

  const a = input.attrition;
  let attrition: AttritionConfig | null;
  if (a === undefined || a === false) attrition = null;
  else if (a === "random") attrition = randomAttrition(rng);
  else if (a === "swarm") attrition = applyAttritionMask(randomAttrition(rng), mask!);
  else attrition = attritionConfig(a);
  if (attrition !== null && attrition.maxDead === 0) attrition = null;

  const b = input.buggify;
  let buggify: BuggifyConfig;
  if (b === undefined) buggify = defaultBuggify();
  else if (b === false) buggify = { ...defaultBuggify(), enabled: false };
  else if (b === "random") buggify = randomBuggify(rng);
  else if (b === "swarm") buggify = { ...randomBuggify(rng), enabled: mask!.buggify };
  else buggify = buggifyConfig(b);

  const u = input.bursts;
  let bursts: CorrelatedBurstsConfig | null;
  if (u === undefined || u === false) bursts = null;
  else if (u === "random") bursts = randomCorrelatedBursts(rng);
  else if (u === "swarm") {
    const drawn = randomCorrelatedBursts(rng);
    bursts = mask!.bursts ? drawn : null;
  } else bursts = correlatedBurstsConfig(u);

  const families = activeFamilies(network, storage, attrition, buggify, bursts);
  const faultFamilies = Object.entries(families).filter(([f]) => f !== "buggify");
  return {
    network,
    storage,
    attrition,
    buggify,
    bursts,
    families,
    needsChaosWindow: faultFamilies.some(([, on]) => on),
  };
}

/**
 * @moonpool/chaos: BUGGIFY, fault models and their configs (network, storage, attrition, clock
 * drift, correlated failure bursts) and swarm masks. Pure logic over a random source: chaos
 * decides, the simulator applies. Everything here is inert outside a simulation.
 */
export {
  type AttritionConfig,
  type AttritionScope,
  defaultAttrition,
  type Locality,
  type RebootKind,
  randomAttrition,
} from "./attrition-config.ts";
export { type AttritionCandidate, AttritionPlanner, type RebootPlan } from "./attrition-planner.ts";
export { buggify, buggifyKnob, buggifySites, buggifyWithProb } from "./buggify.ts";
export { type BuggifyConfig, defaultBuggify, randomBuggify } from "./buggify-config.ts";
export {
  type ChaosInput,
  type ChaosSurfaceInput,
  type PartialConfig,
  QUIET_TAIL,
  type QuietTailAction,
  type ResolvedChaosConfig,
} from "./chaos-config.ts";
export { chaosActive } from "./chaos-window.ts";
export { createDriftClock, type DriftClock } from "./clock-drift.ts";
export { CorrelatedBursts, paretoShapeForHurst, samplePareto } from "./correlated-bursts.ts";
export {
  type CorrelatedBurstsConfig,
  defaultCorrelatedBursts,
  randomCorrelatedBursts,
} from "./correlated-bursts-config.ts";
export { estimateHurst } from "./hurst-estimate.ts";
export {
  type LatencyDistribution,
  type MsRange,
  meanLatency,
  randomLatencyDistribution,
  sampleLatency,
  sampleRange,
  uniformLatency,
} from "./latency.ts";
export {
  defaultNetworkChaos,
  type NetworkChaosConfig,
  type PartitionDirection,
  type PartitionStrategy,
  randomNetworkChaos,
} from "./network-config.ts";
export {
  bitFlipCount,
  choosePartition,
  clogDurationMs,
  decideConnectOutcome,
  decideRandomClose,
  flipBits,
  halfOpenErrorAfterMs,
  linkCutDurationMs,
  pairLatencyMs,
  partialReadLength,
  partialWriteLength,
  partitionDurationMs,
  type RandomClose,
  reorderDelayMs,
  scaleProbability,
  shouldClogRead,
  shouldClogWrite,
  shouldFlipBits,
  shouldStartPartition,
  sleepDelayMs,
} from "./network-faults.ts";
export { drawBetween, drawChance, drawInt, type RandomSource } from "./random-source.ts";
export {
  activeFamilies,
  attritionConfig,
  buggifyConfig,
  correlatedBurstsConfig,
  networkChaosConfig,
  resolveChaosConfig,
  storageChaosConfig,
} from "./resolve.ts";
export { type ChaosRuntime, chaosEpoch, currentChaosRuntime, installChaosRuntime } from "./runtime.ts";
export {
  defaultStorageChaos,
  randomStorageChaos,
  SECTOR_SIZE,
  type StorageChaosConfig,
  type UnwrittenFill,
} from "./storage-config.ts";
export {
  corruptedBitOfSector,
  crashFateOfUnsyncedMetadata,
  crashFateOfUnsyncedWrite,
  type DiskEpisode,
  isMisdirectedRead,
  isMisdirectedWrite,
  isPhantomWrite,
  misdirectedOffset,
  rollDiskEpisode,
  type StorageOp,
  sectorsCorruptedOnRead,
  sectorsCorruptedOnWrite,
  shouldFailSync,
  storageOpLatencyMs,
  type TornSectorFate,
  tornWriteSectors,
  type UnsyncedWriteFate,
  unwrittenSectorBytes,
} from "./storage-faults.ts";
export {
  applyAttritionMask,
  applyNetworkMask,
  applyStorageMask,
  type FaultMask,
  fullFaultMask,
  swarmFaultMask,
  swarmOpEnabled,
  swarmOpMask,
  swarmPick,
} from "./swarm.ts";
export {
  ATTRITION_FAULT_FAMILIES,
  type AttritionFaultFamily,
  FAULT_FAMILIES,
  type FaultFamily,
  NETWORK_FAULT_FAMILIES,
  type NetworkFaultFamily,
  STORAGE_FAULT_FAMILIES,
  type StorageFaultFamily,
} from "./swarm-families.ts";

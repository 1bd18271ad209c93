export {
  type AttritionConfig,
  type AttritionScope,
  defaultAttrition,
  type Locality,
  type RebootKind,
  randomAttrition,
} from "./attrition-config.ts";
export { type BuggifyConfig, defaultBuggify, randomBuggify } from "./buggify-config.ts";
export {
  type ChaosInput,
  type ChaosSurfaceInput,
  type PartialConfig,
  QUIET_TAIL,
  type QuietTailAction,
  type ResolvedChaosConfig,
} from "./chaos-config.ts";
export {
  type CorrelatedBurstsConfig,
  defaultCorrelatedBursts,
  randomCorrelatedBursts,
} from "./correlated-bursts-config.ts";
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
export { drawBetween, drawChance, drawInt, type RandomSource } from "./random-source.ts";
export { type ChaosRuntime, chaosEpoch, currentChaosRuntime, installChaosRuntime } from "./runtime.ts";
export {
  defaultStorageChaos,
  randomStorageChaos,
  SECTOR_SIZE,
  type StorageChaosConfig,
  type UnwrittenFill,
} from "./storage-config.ts";
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

export { KV_BUGS, type KvBug, parseBug } from "./bugs.ts";
export { checkHistory, dropUnobservedPendingWrites, findLostWrite, type HistoryVerdict } from "./checks.ts";
export { KvClient, type KvClientOptions, KvUnavailableError } from "./client.ts";
export { DurableMap, type DurableMapOptions, decodeRecords, type Recovery } from "./durable-map.ts";
export { HistoryRecorder, type KvEvent, type KvOperations } from "./history.ts";
export {
  KvReplica,
  type KvReplicaHandler,
  validateTimestamp,
  validateVersioned,
} from "./protocol.service.ts";
export {
  compareTimestamps,
  KV_REPLICA_ID,
  type Timestamp,
  type Versioned,
  ZERO,
} from "./protocol.ts";
export { type ReplicaOptions, runReplica } from "./replica.ts";
export { type KvSimulationOptions, kvSimulation, REPLICA_PORT } from "./simulation.ts";

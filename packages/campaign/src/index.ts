/**
 * @moonpool/campaign: campaigns beyond one machine. One protocol (plain-data jobs and results),
 * one coordinator that applies results in job-id order, and backends that only run jobs: this
 * process or its worker threads, file shards, or BullMQ on Redis. The report is the same
 * whatever ran the jobs.
 */
export { mergeAssertionRows } from "./assertion-rows.ts";
export {
  BullmqBackend,
  type BullmqBackendOptions,
  type QueueProgress,
  runQueuedCampaign,
} from "./backends/bullmq.ts";
export { mergeShards, runShard, type ShardOptions } from "./backends/file-shards.ts";
export { type LocalBackendOptions, localBackend } from "./backends/local.ts";
export { type CampaignBackend, type CoordinatorOptions, runCampaignOn, seedsJobs } from "./coordinator.ts";
export { checkQueueUrl } from "./internal/redis.ts";
export { JobRunner } from "./job-runner.ts";
export {
  type CampaignManifest,
  type ExplorePlanOptions,
  type ExploreSettings,
  type ExploreSpec,
  manifestDifference,
  type PlanOptions,
  planExplore,
  planRun,
  type RunPlanOptions,
  type RunSpec,
} from "./manifest.ts";
export {
  type CampaignJob,
  type CampaignJobResult,
  campaignJobId,
  checkCampaignName,
  jobIdOf,
  PROTOCOL_VERSION,
  type SimulationRef,
} from "./protocol.ts";
export { checkSimulation, fileHash, SimulationMismatchError, simulationRef } from "./simulation-ref.ts";
export { runWorker, type WorkerOptions, type WorkerSummary } from "./worker.ts";

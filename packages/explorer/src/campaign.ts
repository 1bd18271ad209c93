/**
 * @moonpool/explorer/campaign: the pieces a campaign runner on other machines builds on. The
 * coordinator side (`runCampaign`, `buildReport`, `resolveExploreOptions`) keeps the frontier
 * and novelty decisions; the worker side (`runJob`, `ExplorerPool`) only runs timelines. Jobs
 * and results are plain, JSON-serialisable data.
 */

export { buildReport, type ResolvedExplore, resolveExploreOptions } from "./explore.ts";
export {
  type CampaignOptions,
  type CampaignResult,
  type JobExecutor,
  runCampaign,
} from "./internal/campaign.ts";
export { type Job, type JobResult, runJob } from "./internal/job.ts";
export { ExplorerPool } from "./internal/pool.ts";

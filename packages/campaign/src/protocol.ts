/**
 * The campaign protocol: what a coordinator hands a backend and what comes back. Plain data,
 * JSON-serialisable and versioned, so the same jobs run in this process, on worker threads, as
 * file shards or on a BullMQ queue, and any backend's results fold into the same report.
 *
 * @example
 * ```ts
 * import { campaignJobId } from "@moonpool/campaign";
 * campaignJobId("nightly", 3); // "nightly-j3"
 * campaignJobId("nightly", 0, 12); // "nightly-w12-j0"
 * ```
 */
import type { AssertionState } from "@moonpool/assertions";
import { InvalidArgumentError } from "@moonpool/core";
import type { Job as TimelineJob, JobResult as TimelineResult } from "@moonpool/explorer/campaign";
import type { AssertionRow, SeedRow } from "@moonpool/sim";

/** Version of the job and result shapes; a worker refuses jobs of another version. */
export const PROTOCOL_VERSION = 1;

/** The simulation module a campaign runs: its path (relative to the worker's cwd) and sha256. */
export interface SimulationRef {
  readonly file: string;
  /** sha256 over the module and every local file it imports (their names and contents). */
  readonly hash: string;
  /** Those files and each one's sha256 (in the manifest, to name what differs; jobs leave it out). */
  readonly modules?: Readonly<Record<string, string>>;
}

/** One unit of work. */
export interface CampaignJob {
  readonly version: typeof PROTOCOL_VERSION;
  readonly campaign: string;
  readonly simulation: SimulationRef;
  /** `seeds`: a contiguous range of the planned seed list; `timelines`: a chunk of one explorer wave. */
  readonly kind: "seeds" | "timelines";
  /** Position of the job (in the seed list's jobs, or in its wave): results are applied in this order. */
  readonly index: number;
  /** The explorer wave (timelines jobs only). */
  readonly wave?: number;
  /** The run's base seed (seeds jobs) or the wave's root seed (timelines jobs). */
  readonly rootSeed: number;
  /** The exploration recipe every seed follows (seeds jobs of `run --recipe`). */
  readonly recipe?: string;
  /** How many seeds or timelines the job runs. */
  readonly budget: number;
  /** Wall time one seed or timeline may take (ms). */
  readonly wallMs: number;
  /** Seeds jobs: the seeds, in plan order. */
  readonly seeds?: readonly number[];
  /** Timelines jobs: the timelines, in wave order, and the coverage the wave starts from. */
  readonly timelines?: readonly TimelineJob[];
  readonly preload?: AssertionState;
}

/** What a job produced. */
export interface CampaignJobResult {
  readonly version: typeof PROTOCOL_VERSION;
  readonly id: string;
  readonly kind: CampaignJob["kind"];
  /** Seeds jobs: a row per seed in plan order, the failing ones, and the assertion table's counts. */
  readonly rows: SeedRow[];
  readonly failingSeeds: number[];
  readonly assertions: AssertionRow[];
  /** Timelines jobs: each timeline's result (journal, coverage delta, bug), in wave order. */
  readonly timelines?: TimelineResult[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

/** Checks a campaign name (it becomes part of queue names, Redis keys and file names). */
export function checkCampaignName(name: unknown, argument = "campaign"): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new InvalidArgumentError(
      argument,
      `expected 1-80 letters, digits, "_", "." or "-" (starting with a letter or digit), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/**
 * The job's deterministic id: campaign + job index (+ wave for exploration). A restarted
 * coordinator derives the same ids, so a queue that deduplicates by id never runs a job twice.
 */
export function campaignJobId(campaign: string, index: number, wave?: number): string {
  return wave === undefined ? `${campaign}-j${index}` : `${campaign}-w${wave}-j${index}`;
}

/** The id of `job`. */
export function jobIdOf(job: CampaignJob): string {
  return campaignJobId(job.campaign, job.index, job.wave);
}

/** Checks that `value` is a result of this protocol version for `job` (a worker's answer). */
export function checkJobResult(value: unknown, job: CampaignJob): CampaignJobResult {
  const r = value as Partial<CampaignJobResult> | null;
  const id = jobIdOf(job);
  if (r === null || typeof r !== "object" || r.version !== PROTOCOL_VERSION || r.id !== id) {
    throw new Error(
      `campaign ${job.campaign}: the result stored for job ${id} is not a protocol ${PROTOCOL_VERSION} result of that job`,
    );
  }
  if (!Array.isArray(r.rows) || !Array.isArray(r.assertions)) {
    throw new Error(`campaign ${job.campaign}: the result of job ${id} has no seed rows or assertion table`);
  }
  if (job.kind === "timelines" && (!Array.isArray(r.timelines) || r.timelines.length !== job.budget)) {
    throw new Error(`campaign ${job.campaign}: the result of job ${id} lacks ${job.budget} timeline results`);
  }
  return r as CampaignJobResult;
}

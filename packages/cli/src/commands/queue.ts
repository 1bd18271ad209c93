// `moonpool run|explore <file> --queue redis://host:port [--campaign NAME]`: the coordinator of
// a campaign on BullMQ (the queue wiring is @moonpool/campaign's). Progress on stderr: jobs
// queued / running / done, workers seen, bugs; the report on stdout (only its JSON with --json).
import {
  type CampaignManifest,
  checkQueueUrl,
  type ExploreSettings,
  planExplore,
  planRun,
  type QueueProgress,
  runQueuedCampaign,
} from "@moonpool/campaign";
import type { ExplorationReport } from "@moonpool/explorer";
import { UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";

export interface QueueFlags {
  queue?: unknown;
  campaign?: unknown;
  jobSize?: unknown;
  json?: unknown;
  progress?: unknown;
}

/** `run --queue`: the seeds of `file` as jobs of `--job-size` seeds. */
export async function queueRunCommand(
  file: string,
  plan: { seed?: number; iterations?: number; seedTimeoutMs?: number },
  flags: QueueFlags,
  io: CliIO,
): Promise<number> {
  const manifest = await planRun({ file, cwd: io.cwd, ...plan, ...common(flags) });
  return coordinate(manifest, flags, io, (report) => report.format());
}

/** `explore --queue`: each wave cut into jobs of `--job-size` timelines. */
export async function queueExploreCommand(
  file: string,
  explore: ExploreSettings,
  flags: QueueFlags,
  io: CliIO,
  format: (e: ExplorationReport) => string,
): Promise<number> {
  const manifest = planExplore({ file, cwd: io.cwd, explore, ...common(flags) });
  return coordinate(manifest, flags, io, (report) => format(report.exploration as ExplorationReport));
}

function common(flags: QueueFlags): { campaign?: string; jobSize?: number } {
  if (typeof flags.queue !== "string" || flags.queue === "")
    throw new UsageError("--queue: expected redis://host:port, e.g. --queue redis://127.0.0.1:6379");
  try {
    checkQueueUrl(flags.queue, "--queue");
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^invalid --queue: /, "--queue: "));
  }
  const out: { campaign?: string; jobSize?: number } = {};
  if (flags.campaign !== undefined) out.campaign = String(flags.campaign);
  if (flags.jobSize !== undefined) {
    const n =
      typeof flags.jobSize === "string" && /^\d+$/.test(flags.jobSize)
        ? Number(flags.jobSize)
        : flags.jobSize;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1)
      throw new UsageError(`--job-size: expected an integer >= 1, got ${String(flags.jobSize)}`);
    out.jobSize = n;
  }
  return out;
}

async function coordinate(
  manifest: CampaignManifest,
  flags: QueueFlags,
  io: CliIO,
  format: (report: Awaited<ReturnType<typeof runQueuedCampaign>>) => string,
): Promise<number> {
  const show = flags.progress !== false;
  let bugs = 0;
  let last = 0;
  const line = (p: QueueProgress) => {
    const now = performance.now();
    // A terminal gets a live line; a log gets a line every 2 s at most.
    if (!io.isTTY && now - last < 2000) return;
    last = now;
    const text = `[campaign ${p.campaign}] jobs: ${p.queued} queued, ${p.running} running, ${p.done} done; ${p.workers} worker(s) seen; ${bugs} bug(s)`;
    io.stderr(io.isTTY ? `\r\x1b[K${text}` : `${text}\n`);
  };
  if (show) {
    io.stderr(
      `[campaign ${manifest.campaign}] coordinating on ${String(flags.queue)}: start workers with moonpool worker --queue ${String(flags.queue)} --campaign ${manifest.campaign}\n`,
    );
  }
  const report = await runQueuedCampaign(manifest, {
    url: String(flags.queue),
    argument: "--queue",
    ...(show ? { onProgress: line } : {}),
    onExploreProgress: (p) => {
      bugs = p.bugs;
    },
  });
  if (show && io.isTTY) io.stderr("\n");
  io.stdout(flags.json ? `${JSON.stringify(report.toJSON())}\n` : `${format(report)}\n`);
  return report.ok ? 0 : 1;
}

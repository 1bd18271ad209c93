// `moonpool worker --queue redis://host:port --campaign NAME`: runs a campaign's jobs on this
// machine until the campaign is done or SIGTERM (the job in flight finishes first). Refused,
// exit 2, when this machine's simulation file is not the campaign's (its sha256 differs).
import { checkQueueUrl, runWorker, SimulationMismatchError } from "@moonpool/campaign";
import { UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";

export interface WorkerFlags {
  queue?: unknown;
  campaign?: unknown;
  lockDuration?: unknown;
  stalledInterval?: unknown;
  quiet?: unknown;
}

/** Runs `moonpool worker`. */
export async function workerCommand(flags: WorkerFlags, io: CliIO): Promise<number> {
  if (typeof flags.queue !== "string" || flags.queue === "")
    throw new UsageError("--queue: expected redis://host:port, e.g. --queue redis://127.0.0.1:6379");
  if (typeof flags.campaign !== "string" || flags.campaign === "")
    throw new UsageError("--campaign: the campaign to work on (the coordinator prints its name)");
  try {
    checkQueueUrl(flags.queue, "--queue");
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^invalid --queue: /, "--queue: "));
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on("SIGTERM", stop);
  const detach = io.onInterrupt?.(stop);
  try {
    const summary = await runWorker({
      queue: flags.queue,
      campaign: flags.campaign,
      cwd: io.cwd,
      signal: controller.signal,
      ...ms("--lock-duration", flags.lockDuration, "lockDuration"),
      ...ms("--stalled-interval", flags.stalledInterval, "stalledInterval"),
      arguments: { queue: "--queue", campaign: "--campaign" },
      ...(flags.quiet
        ? {}
        : { onJob: (e) => io.stderr(`[worker] ${e.phase === "start" ? "running" : "done"} ${e.id}\n`) }),
    });
    io.stderr(
      `[worker] ${summary.jobs} job(s) run; stopped: ${summary.stopped === "done" ? "campaign done" : "signal"}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SimulationMismatchError) {
      io.stderr(`moonpool worker: refused: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off("SIGTERM", stop);
    detach?.();
  }
}

function ms(name: string, value: unknown, key: string): Record<string, number> {
  if (value === undefined) return {};
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${name}: expected a number of ms >= 1, got ${String(value)}`);
  return { [key]: n };
}

// Entry of an explorer worker thread: loads the simulation module once, then runs the batches
// of timelines the coordinator sends, one batch at a time.
//   <- { type: "jobs", batch, jobs, preload }
//   -> { type: "start", batch, id } and { type: "result", batch, result } per job (the
//      coordinator's watchdog times each job from its start), then { type: "done", batch }
//   -> { type: "ready" } once loaded;  -> { type: "error", message } when something throws
import { parentPort, workerData } from "node:worker_threads";
import {
  type AssertionState,
  createAssertionTable,
  installAssertionTable,
  setAssertionLog,
} from "@moonpool/assertions";
import { isSimulationModuleError, loadSimulationBuilder, timelineRunner } from "@moonpool/sim";
import { type Job, runJob } from "./job.ts";

const port = parentPort;
if (port === null) throw new Error("the explorer worker must run in a worker thread");
const data = workerData as { url: string; wallMs: number };

async function main(): Promise<void> {
  const builder = await loadSimulationBuilder(data.url);
  const run = timelineRunner(builder, { wallMs: data.wallMs });
  installAssertionTable(createAssertionTable({ slots: 2048 }));
  setAssertionLog(null);
  let queue = Promise.resolve();
  port!.on("message", (m: { type: string; batch: number; jobs: Job[]; preload: AssertionState }) => {
    if (m.type !== "jobs") return;
    queue = queue.then(async () => {
      try {
        for (const job of m.jobs) {
          port!.postMessage({ type: "start", batch: m.batch, id: job.id });
          const result = await runJob(run, job, m.preload);
          port!.postMessage({ type: "result", batch: m.batch, result });
        }
        port!.postMessage({ type: "done", batch: m.batch });
      } catch (e) {
        port!.postMessage({
          type: "error",
          message: e instanceof Error ? (e.stack ?? e.message) : String(e),
        });
      }
    });
  });
  port!.postMessage({ type: "ready" });
}

main().catch((e: unknown) => {
  // A broken module says so in one line (its code lets the coordinator tell it from a bug).
  const code = (e as { code?: unknown } | null)?.code;
  const message = isSimulationModuleError({ code })
    ? (e as Error).message
    : e instanceof Error
      ? (e.stack ?? e.message)
      : String(e);
  port.postMessage({ type: "error", message, ...(typeof code === "string" ? { code } : {}) });
});

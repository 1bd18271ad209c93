// Entry point of the worker thread that runs a simulation module for `runFile` and for the
// fresh-worker half of a determinism check. It talks to its parent only through messages:
//   -> { type: "plan", base, seeds }        once, before the first seed
// A "pool" request runs the seeds its coordinator hands out instead (see pool-worker.ts).
//   -> { type: "start", seed }              before each seed (the parent arms its watchdog)
//   -> { type: "done", row, state }         after each seed (state: exportAssertionState())
//   -> { type: "report", report, traces }   at the end of a run
//   -> { type: "capture", capture }         at the end of a single-seed capture
//   -> { type: "error", message, stack, code? }  when the module or the run itself throws
import { parentPort, workerData } from "node:worker_threads";
import { exportAssertionState } from "@moonpool/assertions";
import type { SimulationBuilder } from "../builder.ts";
import { servePool } from "./pool-worker.ts";
import { loadSimulationModule, type WorkerRequest, type WorkerRunOptions } from "./worker-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("worker-main.ts must run in a worker thread");

async function main(request: WorkerRequest): Promise<void> {
  const builder: SimulationBuilder = await loadSimulationModule(request.url);
  if (request.kind === "capture") {
    const capture = await builder.captureSeed(request.seed);
    port!.postMessage({ type: "capture", capture });
    return;
  }
  const o = request.options;
  applyOptions(builder, o);
  builder.moduleUrl = request.url;
  if (request.kind === "pool") {
    await servePool(builder, port!);
    return;
  }
  port!.postMessage({ type: "plan", ...builder.seedPlan() });
  const report = await builder.run({
    ...(o.file !== undefined ? { file: o.file } : {}),
    onSeedStart: (seed) => port!.postMessage({ type: "start", seed }),
    onSeedDone: (row) => port!.postMessage({ type: "done", row, state: exportAssertionState() }),
  });
  port!.postMessage({
    type: "report",
    report: report.toJSON(),
    traces: report.traces,
    state: exportAssertionState(),
  });
}

function applyOptions(builder: SimulationBuilder, o: WorkerRunOptions): void {
  // The parent rebuilds its report from this one's rows: it needs every row.
  builder.keepSeedRows("all");
  if (o.seed !== undefined) builder.seed(o.seed);
  if (o.seeds !== undefined) builder.seeds(o.seeds);
  else if (o.iterations !== undefined) builder.iterations(o.iterations);
  else if (o.untilStable !== undefined) builder.untilCoverageStable(o.untilStable[0], o.untilStable[1]);
  if (o.recipe !== undefined) builder.withRecipe(o.recipe);
  if (o.recordTraces) builder.recordTraces();
  if (o.checkDeterminism) builder.checkDeterminism();
  if (o.logSeeds !== undefined) builder.logSeeds(o.logSeeds);
  if (o.seedWallMs !== undefined) builder.seedTimeout(o.seedWallMs);
}

main(workerData as WorkerRequest).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  port.postMessage({
    type: "error",
    message: e.message,
    stack: e.stack ?? "",
    ...(typeof code === "string" ? { code } : {}),
  });
});

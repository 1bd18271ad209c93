// Entry of an explorer worker thread: loads the simulation module once, then runs the batches
// of timelines the coordinator sends, one batch at a time.
//   <- { type: "jobs", batch, jobs, preload }
//   -> { type: "start", batch, id } and { type: "result", batch, result } per job (the
//      coordinator's watchdog times each job from its start), then { type: "done", batch }
//   -> { type: "ready" } once loaded;  -> { type: "error", message } when something throws
import { register } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import {
  type AssertionState,
  createAssertionTable,
  installAssertionTable,
  setAssertionLog,
} from "@moonpool/assertions";
import { isSimulationModuleError, loadSimulationBuilder, timelineRunner } from "@moonpool/sim";
import { CodeCounters } from "./code-counters.ts";
import { CODE_COVERAGE_VARIABLE, type CodeHistory } from "./code-edges.ts";
import type { CodeHooksData } from "./code-hooks.ts";
import { type Job, type JobCode, runJob } from "./job.ts";

const port = parentPort;
if (port === null) throw new Error("the explorer worker must run in a worker thread");
const data = workerData as { url: string; wallMs: number; codeCoverage?: boolean };

/** With code-edge coverage: instrument the simulation's folder as it loads (before it loads). */
function instrument(): CodeCounters | undefined {
  if (data.codeCoverage !== true) return undefined;
  const folder = `${dirname(fileURLToPath(data.url))}/`;
  const hooks = new URL(
    import.meta.url.endsWith(".ts") ? "./code-hooks.ts" : "./code-hooks.js",
    import.meta.url,
  );
  const settings: CodeHooksData = { root: pathToFileURL(folder).href, variable: CODE_COVERAGE_VARIABLE };
  register(hooks, { data: settings });
  return new CodeCounters(folder, CODE_COVERAGE_VARIABLE);
}

async function main(): Promise<void> {
  const counters = instrument();
  const builder = await loadSimulationBuilder(data.url);
  const run = timelineRunner(builder, { wallMs: data.wallMs });
  installAssertionTable(createAssertionTable({ slots: 2048 }));
  setAssertionLog(null);
  let queue = Promise.resolve();
  port!.on(
    "message",
    (m: { type: string; batch: number; jobs: Job[]; preload: AssertionState; code?: CodeHistory }) => {
      if (m.type !== "jobs") return;
      const code: JobCode | undefined =
        counters === undefined ? undefined : { counters, history: m.code ?? {} };
      queue = queue.then(async () => {
        try {
          for (const job of m.jobs) {
            port!.postMessage({ type: "start", batch: m.batch, id: job.id });
            const result = await runJob(run, job, m.preload, code);
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
    },
  );
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

// Entry of a seeds thread: loads the simulation module once, then runs the seed ranges its
// parent sends, one at a time, with the module's builder.
//   <- { type: "run", id, seeds, recipe?, wallMs, file }
//   -> { type: "ready" } once loaded;  -> { type: "start", id, seed } before each seed
//   -> { type: "report", id, report } (report.toJSON());  -> { type: "error", message, code? }
import { parentPort, workerData } from "node:worker_threads";
import { loadSimulationBuilder } from "@moonpool/sim";

const port = parentPort;
if (port === null) throw new Error("seeds-thread-main.ts must run in a worker thread");
const data = workerData as { url: string };

interface RunRequest {
  type: "run";
  id: string;
  seeds: number[];
  recipe?: string;
  wallMs: number;
  file: string;
}

function fail(e: unknown): void {
  const code = (e as { code?: unknown } | null)?.code;
  port!.postMessage({
    type: "error",
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    ...(typeof code === "string" ? { code } : {}),
  });
}

// A builder runs once. A module exporting a function gives a fresh one per call; one exporting
// a builder is evaluated again under another URL (its imports stay loaded).
let used: unknown;
let runs = 0;
async function freshBuilder(): Promise<Awaited<ReturnType<typeof loadSimulationBuilder>>> {
  let builder = await loadSimulationBuilder(data.url);
  if (builder === used) builder = await loadSimulationBuilder(`${data.url}?moonpool-run=${++runs}`);
  else used = builder;
  builder.moduleUrl = data.url;
  // The coordinator folds every row of a job (the job's seed list bounds them).
  return builder.logSeeds(false).keepSeedRows("all");
}

async function main(): Promise<void> {
  await freshBuilder();
  used = undefined;
  let queue = Promise.resolve();
  port!.on("message", (m: RunRequest) => {
    if (m.type !== "run") return;
    queue = queue.then(async () => {
      try {
        const builder = await freshBuilder();
        builder.seeds(m.seeds).seedTimeout(m.wallMs);
        if (m.recipe !== undefined) builder.withRecipe(m.recipe);
        const report = await builder.run({
          file: m.file,
          onSeedStart: (seed) => port!.postMessage({ type: "start", id: m.id, seed }),
        });
        port!.postMessage({ type: "report", id: m.id, report: report.toJSON() });
      } catch (e) {
        fail(e);
      }
    });
  });
  port!.postMessage({ type: "ready" });
}

main().catch(fail);

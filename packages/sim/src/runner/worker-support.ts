// For packages that run simulation modules on their own worker threads (the explorer): load a
// module's builder, and start a worker able to import a TypeScript simulation file.
import type { Worker } from "node:worker_threads";
import type { SimulationBuilder } from "./builder.ts";
import { startWorker } from "./internal/worker-launch.ts";
import { IMPORT_FAILED, loadSimulationModule, NOT_A_SIMULATION } from "./internal/worker-protocol.ts";

/**
 * True when `error` (or a worker's error message with its `code`) says the simulation module
 * itself is broken (it threw while importing, or is not a simulation): a bad file, not a failing
 * seed.
 */
export function isSimulationModuleError(error: { code?: unknown } | null | undefined): boolean {
  return error?.code === IMPORT_FAILED || error?.code === NOT_A_SIMULATION;
}

/**
 * Imports the simulation module at `url` (a file URL) and returns its builder: the default
 * export, or what the default-exported function returns. Throws a clear error otherwise (with a
 * `code` that `isSimulationModuleError` recognises).
 */
export function loadSimulationBuilder(url: string): Promise<SimulationBuilder> {
  return loadSimulationModule(url);
}

/**
 * Starts a worker thread running `entry` (`fromSource`: a .ts entry of a package loaded from
 * source) that can import the simulation module `moduleUrl`, TypeScript included. `data`
 * becomes the worker's `workerData`; it must carry `url: moduleUrl`.
 */
export function startSimulationWorker(
  data: { readonly url: string } & Record<string, unknown>,
  entry: URL,
  fromSource: boolean,
): Worker {
  return startWorker(data as never, entry, fromSource);
}

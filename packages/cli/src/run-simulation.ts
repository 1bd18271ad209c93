// runFile for the CLI: a file that is not a simulation (or is gone) becomes a one-line usage
// error rather than a stack.
import { InvalidArgumentError } from "@moonpool/core";
import { type RunFileOptions, runFile, type SimulationReport } from "@moonpool/sim";
import { UsageError } from "./find.ts";

/** Runs the simulation module `href` in worker threads (see `runFile`). */
export async function runSimulation(href: string, options: RunFileOptions): Promise<SimulationReport> {
  return runFile(href, options).catch((error: unknown) => {
    if (error instanceof InvalidArgumentError && error.argument === "runFile(url)") {
      throw new UsageError(error.message.replace(/^invalid runFile\(url\): /, ""));
    }
    throw error;
  });
}

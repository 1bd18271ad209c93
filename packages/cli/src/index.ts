/**
 * @moonpool/cli: the `moonpool` command (list, run, replay) as a library, so it can be embedded
 * or tested: `runCli(argv)` returns the exit code.
 */
export { EXIT_FAILED, EXIT_PASSED, EXIT_USAGE, runCli } from "./cli.ts";
export { findSimulationFiles, resolveSimulation, UsageError } from "./find.ts";
export type { CliIO } from "./io.ts";

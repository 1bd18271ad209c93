import { findSimulationFiles } from "../find.ts";
import type { CliIO } from "../io.ts";

/** `moonpool list`: the simulation files under the current directory, one per line. */
export function listCommand(io: CliIO): number {
  const files = findSimulationFiles(io.cwd);
  if (files.length === 0) io.stderr("no simulation files (*.sim.ts) under this directory\n");
  for (const f of files) io.stdout(`${f}\n`);
  return 0;
}

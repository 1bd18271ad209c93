/**
 * Which simulation a campaign runs: the module file (relative to the cwd, with "/" separators,
 * so every machine names it the same) and the sha256 of its content. A worker whose file hashes
 * differently would run another simulation and is refused.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@moonpool/core";
import type { SimulationRef } from "./protocol.ts";

/** A worker's simulation file is not the coordinator's. */
export class SimulationMismatchError extends Error {
  override readonly name = "SimulationMismatchError";
  readonly file: string;
  readonly expected: string;
  readonly actual: string;

  constructor(file: string, expected: string, actual: string) {
    super(
      `simulation ${file} differs from the campaign's: the campaign runs sha256 ${expected}, this machine's file has sha256 ${actual} (deploy the same simulation files on every worker)`,
    );
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The sha256 (hex) of a file's content. */
export function fileHash(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The reference of the simulation module at `file` (a path, relative to `cwd` or absolute). */
export function simulationRef(file: string, cwd: string, argument = "file"): SimulationRef {
  const path = resolve(cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InvalidArgumentError(argument, `no simulation file at ${path}`);
  }
  const rel = relative(cwd, path);
  const name = rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return { file: name.split(sep).join("/"), hash: fileHash(path) };
}

/**
 * The file URL of `ref` under `cwd`, after checking its content hash. Throws a
 * `SimulationMismatchError` naming both hashes and the file when it differs.
 */
export function checkSimulation(ref: SimulationRef, cwd: string): string {
  const path = resolve(cwd, ref.file);
  if (!existsSync(path)) {
    throw new SimulationMismatchError(ref.file, ref.hash, `(no such file under ${cwd})`);
  }
  const actual = fileHash(path);
  if (actual !== ref.hash) throw new SimulationMismatchError(ref.file, ref.hash, actual);
  return pathToFileURL(path).href;
}

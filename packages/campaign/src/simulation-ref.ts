/**
 * Which simulation a campaign runs: the module file (relative to the cwd, with "/" separators,
 * so every machine names it the same) and one sha256 over it and every local file it imports
 * (`internal/module-graph.ts`; packages are the lockfile's business). A worker whose files hash
 * differently would run another simulation and is refused, with the files that differ named.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@moonpool/core";
import { graphHash, localModules, nameUnder, sha256 } from "./internal/module-graph.ts";
import type { SimulationRef } from "./protocol.ts";

/** A worker's simulation files are not the coordinator's. */
export class SimulationMismatchError extends Error {
  override readonly name = "SimulationMismatchError";
  readonly file: string;
  readonly expected: string;
  readonly actual: string;

  constructor(file: string, expected: string, actual: string, differing: readonly string[] = []) {
    super(
      `simulation ${file} differs from the campaign's: the campaign runs sha256 ${expected}, this machine's files hash to ${actual}${
        differing.length > 0 ? ` (${differing.join(", ")})` : ""
      } (deploy the same simulation files on every worker)`,
    );
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The sha256 (hex) of a file's content. */
export function fileHash(path: string): string {
  return sha256(readFileSync(path));
}

/** esbuild's first error (an import that does not resolve), in one line. */
function describeGraphError(e: unknown): string {
  return (e as { errors?: { text: string }[] }).errors?.[0]?.text ?? (e as Error).message;
}

function modulesOf(path: string, cwd: string, argument: string): Record<string, string> {
  try {
    return localModules(path, cwd);
  } catch (e) {
    throw new InvalidArgumentError(argument, `cannot read the imports of ${path}: ${describeGraphError(e)}`);
  }
}

/** The reference of the simulation module at `file` (a path, relative to `cwd` or absolute). */
export function simulationRef(file: string, cwd: string, argument = "file"): SimulationRef {
  const path = resolve(cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InvalidArgumentError(argument, `no simulation file at ${path}`);
  }
  const modules = modulesOf(path, cwd, argument);
  return { file: nameUnder(cwd, path), hash: graphHash(modules), modules };
}

/** What differs between the campaign's module hashes and this machine's, file by file. */
function differences(expected: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>>) {
  const out: string[] = [];
  for (const name of Object.keys(expected).sort()) {
    if (actual[name] === undefined) out.push(`${name} is missing here`);
    else if (actual[name] !== expected[name]) out.push(`${name} has other content here`);
  }
  for (const name of Object.keys(actual).sort()) {
    if (expected[name] === undefined) out.push(`${name} is imported only here`);
  }
  return out;
}

/**
 * The file URL of `ref` under `cwd`, after checking the hash of its module graph. Throws a
 * `SimulationMismatchError` naming both hashes, the file and the files that differ.
 */
export function checkSimulation(ref: SimulationRef, cwd: string): string {
  const path = resolve(cwd, ref.file);
  if (!existsSync(path)) {
    throw new SimulationMismatchError(ref.file, ref.hash, `(no such file under ${cwd})`);
  }
  let modules: Record<string, string>;
  try {
    modules = localModules(path, cwd);
  } catch (e) {
    throw new SimulationMismatchError(
      ref.file,
      ref.hash,
      `(its imports do not resolve: ${describeGraphError(e)})`,
    );
  }
  const actual = graphHash(modules);
  if (actual !== ref.hash) {
    throw new SimulationMismatchError(
      ref.file,
      ref.hash,
      actual,
      ref.modules === undefined ? [] : differences(ref.modules, modules),
    );
  }
  return pathToFileURL(path).href;
}

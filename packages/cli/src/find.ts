// Finding simulation files (`*.sim.ts`, `*.sim.mts`, `*.sim.js`, `*.sim.mjs`) under a directory,
// and resolving the `<file-or-name>` argument of `run` / `replay`.
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";

const SIM_FILE = /\.sim\.(m?ts|m?js)$/;

/** Simulation files under `root` (sorted, relative to `root`), skipping node_modules and dot dirs. */
export function findSimulationFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name.startsWith(".") || entry.name === "dist") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && SIM_FILE.test(entry.name)) found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

/** A usage problem: the CLI prints it and exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Resolves `<file-or-name>`: an existing path, or the name of a simulation file under `cwd`
 * (`counter` matches `counter.sim.ts` anywhere below). Returns the path relative to `cwd`.
 */
export function resolveSimulation(arg: string, cwd: string): string {
  const direct = resolve(cwd, arg);
  if (existsSync(direct) && statSync(direct).isFile()) return relative(cwd, direct) || arg;
  const files = findSimulationFiles(cwd);
  const name = arg.replace(SIM_FILE, "");
  const matches = files.filter(
    (f) => basename(f).replace(SIM_FILE, "") === name || f.replace(SIM_FILE, "") === name,
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UsageError(`"${arg}" matches several simulation files: ${matches.join(", ")}; pass a path`);
  }
  const known =
    files.length > 0
      ? `known simulations: ${files.join(", ")}`
      : "no *.sim.ts file found under the current directory";
  throw new UsageError(`no simulation file "${arg}" (${known})`);
}

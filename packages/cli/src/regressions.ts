// The regression directory (`--regressions DIR`): every failing seed (and every explorer bug's
// seed and recipe) found is kept there as one small JSON file, and replayed first by the next
// run, so a bug once fixed stays fixed. Files are never rewritten or removed by the CLI.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { UsageError } from "./find.ts";

/** One kept failure. */
export interface Regression {
  /** The simulation's name: its file name without `.sim.ts` (entries are matched on it). */
  readonly simulation: string;
  /** The simulation file as it was named when the failure was found. */
  readonly file: string;
  readonly seed: number;
  /** An exploration timeline (`count@seed -> ...`), when found by `moonpool explore`. */
  readonly recipe?: string;
  /** The failure's first line when it was found. */
  readonly error: string;
}

/** `counter.sim.ts` -> `counter`. */
export function simulationName(file: string): string {
  return basename(file)
    .replace(/\.sim\.(m?ts|m?js)$/, "")
    .replace(/\.(m?ts|m?js)$/, "");
}

/** The file name an entry is kept under (stable: the same failure always maps to one file). */
export function regressionFileName(entry: Pick<Regression, "simulation" | "seed" | "recipe">): string {
  const recipe =
    entry.recipe === undefined
      ? ""
      : `.recipe-${createHash("sha256").update(entry.recipe).digest("hex").slice(0, 12)}`;
  return `${entry.simulation}.seed-${entry.seed}${recipe}.json`;
}

/**
 * The entries of `dir` for the simulation `file`, in replay order (seed, then recipe). A
 * missing directory has none; a file that is not an entry is an error naming it.
 */
export function loadRegressions(dir: string, file: string): Regression[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new UsageError(`--regressions: ${dir} is not a directory`);
  const simulation = simulationName(file);
  const entries: Regression[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.startsWith(`${simulation}.seed-`) || !name.endsWith(".json")) continue;
    let data: Partial<Regression>;
    try {
      data = JSON.parse(readFileSync(join(dir, name), "utf8")) as Partial<Regression>;
    } catch (e) {
      throw new UsageError(`--regressions: ${join(dir, name)} is not JSON (${(e as Error).message})`);
    }
    if (typeof data.seed !== "number" || !Number.isSafeInteger(data.seed) || data.seed < 0)
      throw new UsageError(`--regressions: ${join(dir, name)} has no valid "seed"`);
    if (data.simulation !== simulation) continue;
    entries.push({
      simulation,
      file: typeof data.file === "string" ? data.file : file,
      seed: data.seed,
      ...(typeof data.recipe === "string" && data.recipe !== "" ? { recipe: data.recipe } : {}),
      error: typeof data.error === "string" ? data.error : "",
    });
  }
  return entries.sort((a, b) => a.seed - b.seed || (a.recipe ?? "").localeCompare(b.recipe ?? ""));
}

/** Keeps `entry` in `dir` (created when needed). Returns the new file's path, or undefined when already kept. */
export function saveRegression(dir: string, entry: Regression): string | undefined {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, regressionFileName(entry));
  if (existsSync(path)) return undefined;
  writeFileSync(path, `${JSON.stringify(entry, null, 2)}\n`);
  return path;
}

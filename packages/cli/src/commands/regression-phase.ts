// The first phase of `run --regressions DIR`: replay the failures kept in DIR, then (after the
// run) keep the run's new failing seeds there.
import type { SimulationReport } from "@moonpool/sim";
import { loadRegressions, type Regression, saveRegression, simulationName } from "../regressions.ts";
import { runSimulation } from "../run-simulation.ts";

/** How one kept failure replayed. */
export interface RegressionResult {
  readonly seed: number;
  readonly recipe?: string;
  readonly ok: boolean;
  readonly traceHash: string;
  /** The failure now (undefined when it passes). */
  readonly error?: string;
  readonly replay: string;
}

/** Replays every entry of `dir` for `file`: plain seeds in one run, each recipe in its own. */
export async function replayRegressions(
  href: string,
  file: string,
  dir: string,
  seedTimeoutMs: number | undefined,
): Promise<RegressionResult[]> {
  const entries = loadRegressions(dir, file);
  const base = { file, logSeeds: false, ...(seedTimeoutMs !== undefined ? { seedTimeoutMs } : {}) };
  const results: RegressionResult[] = [];
  const plain = entries.filter((e) => e.recipe === undefined);
  if (plain.length > 0) {
    const report = await runSimulation(href, { ...base, seeds: plain.map((e) => e.seed) });
    results.push(...resultsOf(report, undefined));
  }
  for (const e of entries) {
    if (e.recipe === undefined) continue;
    const report = await runSimulation(href, { ...base, seeds: [e.seed], recipe: e.recipe });
    results.push(...resultsOf(report, e.recipe));
  }
  return results;
}

function resultsOf(report: SimulationReport, recipe: string | undefined): RegressionResult[] {
  return report.seeds.map((s) => ({
    seed: s.seed,
    ...(recipe !== undefined ? { recipe } : {}),
    ok: s.ok && !report.failingSeeds.includes(s.seed),
    traceHash: s.traceHash,
    ...(s.error !== undefined ? { error: s.error } : {}),
    replay: report.replayCommand(s.seed),
  }));
}

/** Keeps the failing seeds of `report` (and `recipe`) in `dir`; returns the new files. */
export function keepFailures(
  dir: string,
  file: string,
  failures: readonly { seed: number; recipe?: string | undefined; error: string }[],
): string[] {
  const simulation = simulationName(file);
  const kept: string[] = [];
  for (const f of failures) {
    const entry: Regression = {
      simulation,
      file,
      seed: f.seed,
      ...(f.recipe !== undefined && f.recipe !== "" ? { recipe: f.recipe } : {}),
      error: firstLine(f.error),
    };
    const path = saveRegression(dir, entry);
    if (path !== undefined) kept.push(path);
  }
  return kept;
}

/** The human lines of the regression phase. */
export function formatRegressions(results: readonly RegressionResult[], dir: string): string {
  const failed = results.filter((r) => !r.ok).length;
  const lines = [
    `=== Regressions (${results.length} from ${dir}, replayed first): ${failed === 0 ? "all pass" : `${failed} FAILED`} ===`,
  ];
  for (const r of results) {
    const what = `seed ${r.seed}${r.recipe !== undefined ? ` recipe "${r.recipe}"` : ""}`;
    const error = firstLine(r.error ?? "failed").replace(`seed ${r.seed}: `, "");
    lines.push(r.ok ? `ok   ${what}` : `FAIL ${what}: ${error}`);
    if (!r.ok) lines.push(`    replay: ${r.replay}`);
  }
  return lines.join("\n");
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

// The exit code of a run: 1 when a seed failed or an always-type assertion was violated; an
// assertion never reached (a coverage gap) is a warning, or a failure with --strict-coverage.
import type { SimulationReport } from "@moonpool/sim";

/** The verdict of a report: its exit code and the warnings to print on stderr. */
export interface RunVerdict {
  readonly code: 0 | 1;
  /** One line per coverage gap (not printed with --strict-coverage: they are failures then). */
  readonly warnings: readonly string[];
  /** Coverage gaps that failed the run (--strict-coverage). */
  readonly coverageFailures: readonly string[];
}

/** Applies the exit policy to `report`. */
export function runVerdict(report: SimulationReport, options: { strictCoverage?: boolean } = {}): RunVerdict {
  const gaps = report.assertions
    .filter((a) => a.status === "miss")
    .map((a) => `${a.kind} "${a.message}" was never satisfied in ${report.iterations} seed(s)`);
  const strict = options.strictCoverage === true;
  const code = !report.ok || (strict && gaps.length > 0) ? 1 : 0;
  return { code, warnings: strict ? [] : gaps, coverageFailures: strict ? gaps : [] };
}

/** Prints the verdict's lines on stderr and returns its exit code. */
export function applyVerdict(verdict: RunVerdict, stderr: (text: string) => void): 0 | 1 {
  for (const w of verdict.warnings)
    stderr(`moonpool: warning: coverage gap: ${w} (--strict-coverage makes this a failure)\n`);
  for (const f of verdict.coverageFailures) stderr(`moonpool: coverage gap (--strict-coverage): ${f}\n`);
  return verdict.code;
}

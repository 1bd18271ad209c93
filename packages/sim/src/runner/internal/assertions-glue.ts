// Wiring @moonpool/assertions into the runner: a violated always-type assertion fails the seed
// it happened in; the assertion table becomes the report's `assertions` section; coverage state
// drives `untilCoverageStable`.
import {
  type AssertionDiscovery,
  type AssertionState,
  assertionReport,
  coverageState,
  exportAssertionState,
  mergeAssertionState,
  resetAssertions,
  setAssertionHooks,
} from "@moonpool/assertions";
import { SimulationError } from "../../engine/errors.ts";
import type { SimKernel } from "../../engine/kernel.ts";
import type { AssertionRow } from "../report.ts";

/** Installs hooks for one seed (discoveries go to `onDiscovery` when given); returns their removal. */
export function installSeedAssertionHooks(
  kernel: SimKernel,
  onDiscovery?: (d: AssertionDiscovery) => void,
): () => void {
  setAssertionHooks({
    ...(onDiscovery !== undefined ? { onDiscovery } : {}),
    onViolation(v) {
      const details = v.details === undefined ? "" : ` ${safeJson(v.details)}`;
      kernel.fail(
        new SimulationError(
          "assertion",
          kernel.seed,
          `assertion violated: ${v.kind} "${v.message}"${details}`,
        ),
      );
    },
  });
  return () => setAssertionHooks(null);
}

/** Clears the process-wide assertion table (start of a run). */
export function resetRunAssertions(): void {
  resetAssertions();
}

/** The report's assertion table. */
export function assertionRows(): AssertionRow[] {
  return assertionReport().map((e) => ({
    message: e.message,
    kind: e.kind,
    pass: e.pass,
    fail: e.fail,
    status: e.status,
  }));
}

/**
 * The assertion table of several workers' exported states, merged by @moonpool/assertions
 * (counts add, watermarks and statuses combine as the library defines). The merge runs in this
 * process's table, which is saved first and restored afterwards.
 */
export function assertionRowsOfStates(states: readonly AssertionState[]): AssertionRow[] {
  const saved = exportAssertionState();
  resetAssertions();
  try {
    for (const state of states) mergeAssertionState(state);
    return assertionRows();
  } finally {
    resetAssertions();
    mergeAssertionState(saved);
  }
}

/** Coverage progress for `untilCoverageStable`. */
export function coverageProgress(): { discoveries: number; coverageAssertions: number; unhit: number } {
  const s = coverageState();
  return { discoveries: s.discoveries, coverageAssertions: s.coverageAssertions, unhit: s.unhit };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString(10) : v));
  } catch {
    return "<unserializable details>";
  }
}

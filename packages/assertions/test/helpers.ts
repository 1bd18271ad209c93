// A fresh, silent assertion world for each test: new table, no hooks, empty catalog, and the
// violations and discoveries collected for inspection.

import {
  type AssertionDiscovery,
  type AssertionTableOptions,
  type AssertionViolation,
  clearAssertionCatalog,
  createAssertionTable,
  installAssertionTable,
  resetAssertions,
  setAssertionHooks,
  setAssertionLog,
} from "@moonpool/assertions";

export interface Recorded {
  violations: AssertionViolation[];
  /** Discoveries without their `id` (checked separately in `discoveryIds`). */
  discoveries: Omit<AssertionDiscovery, "id">[];
  discoveryIds: number[];
  log: string[];
}

/** Installs a fresh table, recording hooks and a capturing log. */
export function freshWorld(options: AssertionTableOptions = {}): Recorded {
  const recorded: Recorded = { violations: [], discoveries: [], discoveryIds: [], log: [] };
  setAssertionHooks(null);
  setAssertionLog((line) => recorded.log.push(line));
  clearAssertionCatalog();
  installAssertionTable(createAssertionTable(options));
  resetAssertions();
  setAssertionHooks({
    onViolation: (v) => recorded.violations.push(v),
    onDiscovery: ({ id, ...rest }) => {
      recorded.discoveries.push(rest);
      recorded.discoveryIds.push(id);
    },
  });
  return recorded;
}

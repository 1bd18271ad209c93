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
  discoveries: AssertionDiscovery[];
  log: string[];
}

/** Installs a fresh table, recording hooks and a capturing log. */
export function freshWorld(options: AssertionTableOptions = {}): Recorded {
  const recorded: Recorded = { violations: [], discoveries: [], log: [] };
  setAssertionHooks(null);
  setAssertionLog((line) => recorded.log.push(line));
  clearAssertionCatalog();
  installAssertionTable(createAssertionTable(options));
  resetAssertions();
  setAssertionHooks({
    onViolation: (v) => recorded.violations.push(v),
    onDiscovery: (d) => recorded.discoveries.push(d),
  });
  return recorded;
}

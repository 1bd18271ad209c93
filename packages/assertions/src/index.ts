// @moonpool/assertions: Antithesis-style assertions with coverage accounting. Zero dependencies;
// inert (only recording) outside a simulation.

export {
  type AssertionDetails,
  always,
  alwaysGreaterThan,
  alwaysGreaterThanOrEqualTo,
  alwaysLessThan,
  alwaysLessThanOrEqualTo,
  alwaysOrUnreachable,
  alwaysSome,
  type Numeric,
  reachable,
  sometimes,
  sometimesAll,
  sometimesEach,
  sometimesGreaterThan,
  sometimesGreaterThanOrEqualTo,
  sometimesLessThan,
  sometimesLessThanOrEqualTo,
  unreachable,
} from "./assert.ts";
export {
  assertionCatalog,
  type CatalogEntry,
  clearAssertionCatalog,
  registerAssertion,
  registerAssertions,
} from "./catalog.ts";
export { type AssertionGate, assertionGate, setAssertionGate } from "./gate.ts";
export {
  type AssertionDiscovery,
  type AssertionHooks,
  type AssertionViolation,
  assertionHooks,
  type DiscoveryReason,
  setAssertionHooks,
  setAssertionLog,
} from "./hooks.ts";
export { ANTITHESIS_OUTPUT_VAR } from "./internal/antithesis.ts";
export type { JsonValue } from "./internal/details.ts";
export {
  ASSERTION_KINDS,
  type AssertionKind,
  isAlwaysFamily,
  isAssertionKind,
  isCoverageKind,
  KIND_FAMILY,
  type KindFamily,
  NUMERIC_MAXIMIZE,
} from "./kinds.ts";
export {
  assertionTable,
  attachAssertionTable,
  installAssertionTable,
  rearmDiscoveries,
  resetAssertions,
} from "./lifecycle.ts";
export {
  type AssertionReportEntry,
  type AssertionStatus,
  assertionReport,
  assertionStatus,
  type ContractFinding,
  type ContractValidation,
  type CoverageState,
  coverageState,
  type SometimesEachReport,
  sometimesEachReport,
  validateAssertionContracts,
} from "./report.ts";
export {
  type AssertionState,
  type AssertionStateEntry,
  type BucketStateEntry,
  exportAssertionState,
  mergeAssertionState,
} from "./state.ts";
export {
  AssertionTable,
  type AssertionTableOptions,
  assertionTableBytes,
  type BucketLookup,
  type BucketSnapshot,
  createAssertionTable,
  FIRST_PASS,
  FIRST_PASS_AGAIN,
  NOT_FIRST,
  type SlotSnapshot,
  WATERMARK_FIRST,
  WATERMARK_IMPROVED,
  WATERMARK_KEPT,
} from "./table.ts";

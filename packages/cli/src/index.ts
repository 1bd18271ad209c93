/**
 * @moonpool/cli: the `moonpool` command (list, run, replay, explore, merge, trace, report) as a
 * library, so it can be embedded or tested: `runCli(argv)` returns the exit code. The pieces
 * behind the commands (shard merge, JUnit, timelines, Perfetto export) are exported too.
 */
export { EXIT_FAILED, EXIT_PASSED, EXIT_USAGE, runCli } from "./cli.ts";
export { applyVerdict, type RunVerdict, runVerdict } from "./exit-policy.ts";
export { findSimulationFiles, resolveSimulation, UsageError } from "./find.ts";
export type { CliIO } from "./io.ts";
export { type JunitOptions, junitXml } from "./junit.ts";
export { mergeAssertionRows, mergeShardReports, type ShardReportInput } from "./merge.ts";
export {
  formatEta,
  type ProgressSink,
  type ProgressSnapshot,
  SeedProgress,
  type SeedProgressOptions,
} from "./progress.ts";
export { loadRegressions, type Regression, regressionFileName, saveRegression } from "./regressions.ts";
export { timelineHtml } from "./report/html.ts";
export { perfettoTrace, type TraceEventJson } from "./report/perfetto.ts";
export { buildTimeline, type Timeline } from "./report/timeline.ts";
export {
  readTraceFile,
  type TraceFile,
  type TraceFileEvent,
  type TraceFileResult,
  traceFileOf,
} from "./trace-file.ts";
export { filterTrace, formatEvent, type TraceFilter } from "./trace-filter.ts";

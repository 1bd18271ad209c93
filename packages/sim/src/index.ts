/**
 * @moonpool/sim: the deterministic simulation engine and its runner.
 *
 * Describe a simulation with `SimulationBuilder` (processes, workloads, faults, invariants,
 * chaos), run it seed after seed, and read the `SimulationReport`. Simulations defined in a
 * module file run in a worker thread with `runFile(url)` (a synchronous infinite loop is then
 * caught by a watchdog).
 */

export { type LiveTaskInfo, SimulationError, type SimulationErrorKind } from "./engine/errors.ts";
// The executor and the devices, for device authors and benchmarks that drive one seed directly.
export { DEFAULT_BUDGETS, runSeed } from "./engine/executor.ts";
export type {
  ActorFactory,
  ActorScope,
  DeviceOwner,
  ReseedPoint,
  RunSeed,
  SchedulingOptions,
  SeedBudgets,
  SeedOutcome,
  SeedRunOptions,
  SimKernel,
  SimRandom,
  TimerHandle,
  Waker,
} from "./engine/kernel.ts";
export { VIRTUAL_EPOCH_MS } from "./host/hermetic-globals.ts";
export { registerSeedReset } from "./host/library-state.ts";
export { type PartitionOptions, SimNetwork, type SimNetworkOptions } from "./network/index.ts";
export { type RunOptions, SimulationBuilder } from "./runner/builder.ts";
export type { DevicesFactory, RebootKind, SeedDevices, SeedDevicesConfig } from "./runner/devices.ts";
export { registerSeedDevices } from "./runner/devices.ts";
export { checkRecipe, formatRecipe, parseRecipe } from "./runner/recipe.ts";
export {
  type AssertionRow,
  type CoverageSummary,
  type Divergence,
  type OmittedSeeds,
  type SeedRow,
  SimulationReport,
} from "./runner/report.ts";
export { captureSeedInWorker, type RunFileOptions, runFile } from "./runner/run-file.ts";
export {
  type TimelineObserver,
  type TimelinePoint,
  type TimelinePosition,
  type TimelineResult,
  type TimelineRun,
  type TimelineRunnerOptions,
  timelineRunner,
} from "./runner/timeline.ts";
export {
  checkTraceFields,
  type TraceCursor,
  type TraceEvent,
  type TraceFields,
  type TraceQuery,
  traceToJSON,
} from "./runner/trace.ts";
export type {
  ChaosOptions,
  FaultContext,
  FaultInjector,
  InvariantCheck,
  Process,
  ProcessInfo,
  ProcessOptions,
  SimContext,
  Workload,
} from "./runner/types.ts";
export {
  isSimulationModuleError,
  loadSimulationBuilder,
  startSimulationWorker,
} from "./runner/worker-support.ts";
export { SimStorage, type SimStorageOptions } from "./storage/index.ts";

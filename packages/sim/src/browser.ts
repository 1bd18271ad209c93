/**
 * `@moonpool/sim/browser`: the simulator for a web page (or any host with `MessageChannel` and no
 * Node built-ins): the builder, the engine and the simulated devices, drained by the browser host.
 * Bundle it with the "browser" condition (esbuild's `platform: "browser"` sets it), which points
 * `#host` at the browser host. Not here: `runFile` and worker threads, and `registerSeedReset`
 * (both Node's). The same seed gives the same trace here as on Node.
 *
 * @example
 * ```ts check-only
 * import { SimulationBuilder } from "@moonpool/sim/browser";
 *
 * const report = await new SimulationBuilder()
 *   .workload(() => ({ name: "tick", run: (ctx) => ctx.time.sleep(1_000) }))
 *   .iterations(20)
 *   .run();
 * console.log(report.format());
 * ```
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
export { type PartitionOptions, SimNetwork, type SimNetworkOptions } from "./network/index.ts";
export { type RunOptions, SimulationBuilder } from "./runner/builder.ts";
export type { DevicesFactory, RebootKind, SeedDevices, SeedDevicesConfig } from "./runner/devices.ts";
export { registerSeedDevices } from "./runner/devices.ts";
export { checkRecipe, formatRecipe, parseRecipe } from "./runner/recipe.ts";
export {
  type AssertionRow,
  type CoverageSummary,
  type Divergence,
  type SeedRow,
  SimulationReport,
} from "./runner/report.ts";
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
export { SimStorage, type SimStorageOptions } from "./storage/index.ts";

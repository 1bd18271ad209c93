// Runs one seed of a plan on the executor and turns the outcome into a report row.
import type { RunSeed, SeedOutcome, SeedRunOptions, SimKernel } from "../../engine/kernel.ts";
import { TraceRecorder } from "../trace.ts";
import type { DrawLabel } from "./context.ts";
import { Digest } from "./digest.ts";
import { seedMessage, toError } from "./errors.ts";
import type { SeedKnobs, SimulationPlan } from "./plan.ts";
import { SeedWorld } from "./world.ts";

/** One row of the report, plus what only the in-process caller needs. */
export interface SeedRecord {
  readonly seed: number;
  readonly ok: boolean;
  readonly events: number;
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly traceHash: string;
  readonly error?: string;
  /**
   * The failure's stack (for a `SimulationError`, its own line then the original error's stack
   * after `caused by:`), so a failing task's frames survive the report and its JSON.
   */
  readonly stack?: string;
  /** Kind of hang or failure when known (e.g. "wall-budget"). */
  readonly kind?: string;
}

/** The full result of one seed: the row, the failure and (when kept) the trace. */
export interface SeedRun {
  readonly record: SeedRecord;
  readonly failure: Error | undefined;
  readonly trace: TraceRecorder;
  readonly drawLog: DrawLabel[] | null;
}

/** Something to set up around each seed (assertion hooks, ...); returns its teardown. */
export type SeedHook = (kernel: SimKernel) => (() => void) | undefined;

/** Runs `seed` of `plan` on `runSeed`. Never throws for a failing seed: the row says it. */
export async function runPlanSeed(
  runSeed: RunSeed,
  plan: SimulationPlan,
  seed: number,
  knobs: SeedKnobs,
  hooks: readonly SeedHook[] = [],
): Promise<SeedRun> {
  const recorder = new TraceRecorder({ keepDraws: knobs.diagnose === true });
  const drawLog: DrawLabel[] | null = knobs.diagnose ? [] : null;
  let world: SeedWorld | null = null;
  let kernelRef: SimKernel | null = null;
  const teardowns: (() => void)[] = [];
  const options: SeedRunOptions = {
    seed,
    hermetic: plan.hermetic,
    ...(knobs.reseeds !== undefined && knobs.reseeds.length > 0 ? { reseeds: knobs.reseeds } : {}),
    budgets: { virtualMs: plan.runTimeBudgetMs, wallMs: knobs.wallMs, wakesPerInstant: 1_000_000 },
    onQuiescent: () => world?.onQuiescent() ?? false,
    onIdle: () => world?.onIdle() ?? false,
    onTrace: (e) => recorder.record(e.timeMs, e.source, e.name, e.fields, kernelRef?.random.draws ?? 0),
    ...(plan.invariants.length > 0 ? { afterEvent: () => world?.checkInvariants() } : {}),
    ...(plan.consoleToTrace ? { consoleToTrace: true } : {}),
    ...(plan.timeZone !== undefined ? { timeZone: plan.timeZone } : {}),
    ...(plan.locale !== undefined ? { locale: plan.locale } : {}),
    ...(plan.scheduling ? { scheduling: plan.scheduling } : {}),
  };
  const started = performance.now();
  let outcome: SeedOutcome;
  try {
    outcome = await runSeed(options, async (kernel, actors) => {
      kernelRef = kernel;
      for (const hook of hooks) {
        const teardown = hook(kernel);
        if (teardown) teardowns.push(teardown);
      }
      world = new SeedWorld(plan, kernel, actors, recorder, drawLog);
      await world.main();
    });
  } catch (thrown) {
    // The executor itself threw: report the seed as failed rather than losing the batch.
    const error = toError(thrown, "the executor");
    const failed = {
      ok: false,
      error,
      events: 0,
      simulatedMs: 0,
      wallMs: performance.now() - started,
      draws: 0,
    };
    outcome = { ...failed, engineHash: "" } as SeedOutcome;
  } finally {
    (world as SeedWorld | null)?.dispose();
    for (const teardown of teardowns.reverse()) teardown();
  }
  const failure = outcome.ok ? undefined : (outcome.error ?? new Error("failed"));
  const kind = (failure as { kind?: unknown } | undefined)?.kind;
  const record: SeedRecord = {
    seed,
    ok: outcome.ok,
    events: outcome.events,
    simulatedMs: outcome.simulatedMs,
    wallMs: outcome.wallMs,
    traceHash: traceHash(outcome, recorder),
    ...(failure ? { error: seedMessage(failure, seed) } : {}),
    ...(typeof failure?.stack === "string" && failure.stack !== "" ? { stack: failure.stack } : {}),
    ...(typeof kind === "string" ? { kind } : {}),
  };
  return { record, failure, trace: recorder, drawLog };
}

/**
 * The seed's traceHash: the executor's engine digest (when it offers one), the digest of every
 * recorded trace event, and the engine's deterministic counters. Never wall time.
 */
function traceHash(outcome: SeedOutcome, recorder: TraceRecorder): string {
  const engineHash = (outcome as { engineHash?: unknown }).engineHash;
  return new Digest()
    .text(typeof engineHash === "string" ? engineHash : "")
    .text(recorder.hex())
    .number(recorder.length)
    .number(outcome.events)
    .number(outcome.draws)
    .number(outcome.simulatedMs)
    .text(outcome.ok ? "ok" : "failed")
    .hex();
}

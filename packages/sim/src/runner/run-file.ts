/**
 * `runFile(url)`: runs a simulation module in a worker thread, so a seed stuck in a synchronous
 * infinite loop (which no in-thread check can interrupt) is stopped by a watchdog that
 * terminates the worker. That seed is reported as failed (kind "wall-budget") and the remaining
 * seeds continue in a fresh worker.
 *
 * With `workers: W` (or a shard), W workers each load the module once and pull seeds from a
 * queue as they finish (internal/worker-pool.ts); rows, `onSeed`, traces and divergences are
 * applied in seed order, so the report and the exit code are the same for any W. A
 * coverage-driven run (untilStable) stays on one worker: each seed depends on those before it.
 *
 * @example
 * ```ts
 * const report = await runFile(new URL("./counter.sim.ts", import.meta.url), { iterations: 100 });
 * console.log(report.format());
 * ```
 */
import { existsSync, statSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import type { AssertionState } from "@moonpool/assertions";
import { InvalidArgumentError } from "@moonpool/core";
import { builderExtensions } from "./builder.ts";
import { assertionRowsOfStates } from "./internal/assertions-glue.ts";
import type { SeedTraceCapture } from "./internal/determinism.ts";
import { startWorker as launchWorker, stopWorker } from "./internal/worker-launch.ts";
import { runPool } from "./internal/worker-pool.ts";
import {
  IMPORT_FAILED,
  NOT_A_SIMULATION,
  type WorkerRequest,
  type WorkerRunOptions,
} from "./internal/worker-protocol.ts";
import { type SeedRow, SimulationReport } from "./report.ts";

/** Options of `runFile`: overrides for the module's builder, and the watchdog. */
export interface RunFileOptions extends WorkerRunOptions {
  /** Wall time one seed may take before the worker is terminated (default 60 s). */
  readonly seedTimeoutMs?: number;
  /** Called after each seed, in the plan's seed order whatever the number of workers (progress). */
  readonly onSeed?: (row: SeedRow) => void;
  /** Called once the seed list is known (null for a coverage-driven run), before any seed runs. */
  readonly onPlan?: (plan: { readonly base: number; readonly seeds: readonly number[] | null }) => void;
  /** Called when a seed starts (progress: the seed in flight). */
  readonly onSeedStart?: (seed: number) => void;
  /** Run the seeds on this many worker threads in parallel (default 1). */
  readonly workers?: number;
  /** Run only shard `index` (1-based) of `count`: every count-th seed of the planned list. */
  readonly shard?: readonly [index: number, count: number];
}

const DEFAULT_SEED_TIMEOUT_MS = 60_000;

/** Runs the simulation module at `url` (a file URL or a path) in a worker thread. */
export async function runFile(url: string | URL, options: RunFileOptions = {}): Promise<SimulationReport> {
  const href = toHref(url);
  const file = options.file ?? displayName(href);
  checkModuleFile(href);
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new InvalidArgumentError(
      "runFile(options.workers)",
      `expected an integer >= 1, got ${String(workers)}`,
    );
  }
  const shard = options.shard;
  if (shard !== undefined) {
    const [index, count] = shard;
    if (
      !Number.isSafeInteger(count) ||
      count < 1 ||
      !Number.isSafeInteger(index) ||
      index < 1 ||
      index > count
    ) {
      throw new InvalidArgumentError(
        "runFile(options.shard)",
        `expected [index, count] with 1 <= index <= count, got ${String(shard)}`,
      );
    }
  }
  // A coverage-driven run asked for here runs on one worker (each seed depends on those before
  // it); one the module itself asks for is found out from the pool's first plan.
  const serial = workers === 1 || options.untilStable !== undefined;
  if (serial && shard === undefined) return (await runSerial(href, file, options)).report;
  return runPooled(href, file, options, workers, shard);
}

/** `--workers W` or `--shard i/n`: the pull-based pool of internal/worker-pool.ts. */
async function runPooled(
  href: string,
  file: string,
  options: RunFileOptions,
  workers: number,
  shard: readonly [number, number] | undefined,
): Promise<SimulationReport> {
  const timeoutMs = options.seedTimeoutMs ?? DEFAULT_SEED_TIMEOUT_MS;
  const request: WorkerRunOptions = { ...stripRunOptions(options), file };
  const started = performance.now();
  const result = await runPool({
    launch: () => startWorker({ kind: "pool", url: href, options: request }),
    workers,
    timeoutMs,
    select: (seeds) =>
      shard === undefined ? [...seeds] : seeds.filter((_, k) => k % shard[1] === shard[0] - 1),
    onPlan: (plan, seeds) => options.onPlan?.({ base: plan.base, seeds }),
    ...(options.onSeedStart ? { onSeedStart: options.onSeedStart } : {}),
    ...(options.onSeed ? { onSeed: options.onSeed } : {}),
    hangRow: (seed) => hangRow(seed, timeoutMs),
    workerError: (m) => workerError(m, file),
  });
  if (result.kind === "coverage") {
    if (shard !== undefined)
      throw new InvalidArgumentError(
        "runFile(options.shard)",
        "a coverage-driven run (untilStable) cannot be sharded",
      );
    // Each seed depends on the coverage of those before it: one worker runs them in order.
    return (await runSerial(href, file, options)).report;
  }
  const { plan } = result;
  const report = new SimulationReport({
    seeds: result.rows,
    assertions: assertionRowsOfStates(result.states),
    baseSeed: plan.base,
    wallMs: performance.now() - started,
    file,
    divergences: result.divergences,
    traces: result.traces,
    stoppedEarly: result.stoppedEarly,
    recipe: plan.settings.recipe,
    ...(shard !== undefined ? { shard: { index: shard[0], count: shard[1], of: plan.seeds!.length } } : {}),
  });
  // What each worker's builder would have printed at the end of its run, once, in seed order.
  if (plan.settings.logSeeds)
    for (const seed of report.failingSeeds)
      process.stderr.write(`[moonpool] replay seed ${seed}: ${report.replayCommand(seed)}\n`);
  return report;
}

/**
 * One worker at a time; after a hang, the remaining seeds continue in a fresh worker. Returns the
 * report and the exported assertion state of each worker (merged with @moonpool/assertions).
 */
async function runSerial(
  href: string,
  file: string,
  options: RunFileOptions,
): Promise<{ report: SimulationReport; states: AssertionState[] }> {
  const timeoutMs = options.seedTimeoutMs ?? DEFAULT_SEED_TIMEOUT_MS;
  const rows: SeedRow[] = [];
  const states: AssertionState[] = [];
  let request: WorkerRunOptions = { ...stripRunOptions(options), file };
  let planned: number[] | null = null;
  let base = 0;
  const started = performance.now();
  while (true) {
    const result = await runWorker(href, request, timeoutMs, options.onSeed, options.onSeedStart, (p) => {
      if (planned === null) options.onPlan?.(p);
    });
    if (result.plan) {
      base = planned === null ? result.plan.base : base;
      planned ??= result.plan.seeds;
    }
    if (result.kind === "error") throw workerError(result, file);
    if (result.kind === "report") {
      const report = SimulationReport.fromJSON(result.report, { traces: result.traces });
      if (result.state) states.push(result.state);
      if (rows.length === 0) return { report, states };
      const merged = new SimulationReport({
        seeds: [...rows, ...report.seeds],
        assertions: assertionRowsOfStates(states),
        baseSeed: base,
        wallMs: performance.now() - started,
        file,
        coverage: report.coverage,
        divergences: report.divergences,
        traces: report.traces,
        stoppedEarly: report.stoppedEarly,
      });
      return { report: merged, states };
    }
    // A seed hung: keep what finished, fail the seed, continue with the rest in a new worker.
    rows.push(...result.rows, hangRow(result.seed, timeoutMs));
    options.onSeed?.(rows[rows.length - 1]!);
    if (result.state) states.push(result.state);
    const done = new Set(rows.map((r) => r.seed));
    const rest = planned?.filter((s) => !done.has(s)) ?? [];
    if (rest.length === 0) {
      const report = new SimulationReport({
        seeds: rows,
        assertions: assertionRowsOfStates(states),
        baseSeed: base,
        wallMs: performance.now() - started,
        file,
        ...(planned === null
          ? { stoppedEarly: `seed ${result.seed} hung; a coverage-driven run stops there` }
          : {}),
      });
      return { report, states };
    }
    request = { ...request, seeds: rest };
    delete (request as { seed?: number }).seed;
    delete (request as { iterations?: number }).iterations;
    delete (request as { untilStable?: unknown }).untilStable;
  }
}

/** Runs `seed` of the module alone in a fresh worker and returns its trace capture. */
export async function captureSeedInWorker(
  url: string | URL,
  seed: number,
  timeoutMs = DEFAULT_SEED_TIMEOUT_MS,
): Promise<SeedTraceCapture> {
  const href = toHref(url);
  const worker = startWorker({ kind: "capture", url: href, seed });
  return new Promise<SeedTraceCapture>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`seed ${seed}: the determinism re-run did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.on("message", (m: { type: string; capture?: SeedTraceCapture } & WorkerErrorMessage) => {
      // Either way, let the worker exit on its own so its console output is not cut short.
      if (m.type === "capture") {
        clearTimeout(timer);
        void stopWorker(worker, false).then(() => resolve(m.capture!));
      } else if (m.type === "error") {
        clearTimeout(timer);
        void stopWorker(worker, false).then(() => reject(workerError(m, displayName(href))));
      }
    });
    worker.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

builderExtensions.isolatedSeedRunner = (moduleUrl, seed) => captureSeedInWorker(moduleUrl, seed);

type WorkerResult =
  | {
      kind: "report";
      report: unknown;
      traces: Record<string, object[]> | undefined;
      state: AssertionState | undefined;
      plan?: Plan;
    }
  | { kind: "hang"; seed: number; rows: SeedRow[]; state: AssertionState | undefined; plan?: Plan }
  | ({ kind: "error"; plan?: Plan } & WorkerErrorMessage);
type Plan = { base: number; seeds: number[] | null };

function runWorker(
  href: string,
  options: WorkerRunOptions,
  timeoutMs: number,
  onSeed: ((row: SeedRow) => void) | undefined,
  onStart?: (seed: number) => void,
  onPlan?: (plan: Plan) => void,
): Promise<WorkerResult> {
  const worker = startWorker({ kind: "run", url: href, options });
  const rows: SeedRow[] = [];
  let state: AssertionState | undefined;
  let plan: Plan | undefined;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<WorkerResult>((resolve) => {
    let settled = false;
    const finish = (result: WorkerResult, exited = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (plan) result.plan = plan;
      if (result.kind === "hang") {
        // Stuck in synchronous code: it will never exit on its own.
        void worker.terminate();
        resolve(result);
        return;
      }
      // Let it exit on its own, so its last console lines reach this thread's stderr.
      void stopWorker(worker, exited).then(() => resolve(result));
    };
    worker.on("message", (m: Record<string, any>) => {
      switch (m.type) {
        case "plan":
          plan = { base: m.base, seeds: m.seeds };
          onPlan?.(plan);
          break;
        case "start":
          onStart?.(m.seed);
          clearTimeout(timer);
          timer = setTimeout(() => finish({ kind: "hang", seed: m.seed, rows, state }), timeoutMs);
          break;
        case "done":
          clearTimeout(timer);
          rows.push(m.row);
          state = m.state;
          onSeed?.(m.row);
          break;
        case "report":
          finish({ kind: "report", report: m.report, traces: m.traces, state: m.state });
          break;
        case "error":
          finish({
            kind: "error",
            message: m.message,
            stack: m.stack,
            ...(typeof m.code === "string" ? { code: m.code } : {}),
          });
          break;
      }
    });
    worker.on("error", (e) => finish({ kind: "error", message: e.message, stack: e.stack ?? "" }));
    worker.on("exit", (code) =>
      finish({ kind: "error", message: `the simulation worker exited with code ${code}`, stack: "" }, true),
    );
  });
}

function startWorker(request: WorkerRequest): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(
    fromSource ? "./internal/worker-main.ts" : "./internal/worker-main.js",
    import.meta.url,
  );
  return launchWorker(request, entry, fromSource);
}

/** What a worker reports when the module or the run throws. */
interface WorkerErrorMessage {
  message?: string;
  stack?: string;
  code?: string;
}

/**
 * The error to throw for a worker's error report: a module that is not a simulation is a bad
 * `runFile(url)` argument (InvalidArgumentError naming the file); anything else keeps the worker's
 * message and stack.
 */
function workerError(m: WorkerErrorMessage, file: string): Error {
  if (m.code === NOT_A_SIMULATION) return new InvalidArgumentError("runFile(url)", `${file}: ${m.message}`);
  if (m.code === IMPORT_FAILED) {
    // A broken simulation file is a bad argument (the CLI exits 2), never a failing seed.
    const error = new InvalidArgumentError("runFile(url)", `${file}: ${m.message}`);
    if (m.stack) error.stack = `${error.name}: ${error.message}\n${m.stack.split("\n").slice(1).join("\n")}`;
    return error;
  }
  const error = new Error(m.message ?? "the simulation worker failed");
  if (m.stack) error.stack = m.stack;
  return error;
}

function toHref(url: string | URL): string {
  if (url instanceof URL) return url.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) return url;
  return pathToFileURL(url).href;
}

/** A missing file or a directory is a bad argument, said before any worker starts. */
function checkModuleFile(href: string): void {
  if (!href.startsWith("file:")) return;
  const path = fileURLToPath(href);
  if (!existsSync(path)) throw new InvalidArgumentError("runFile(url)", `no such file: ${path}`);
  if (!statSync(path).isFile()) throw new InvalidArgumentError("runFile(url)", `not a file: ${path}`);
}

function displayName(href: string): string {
  if (!href.startsWith("file:")) return href;
  const rel = relative(process.cwd(), fileURLToPath(href));
  return rel.startsWith("..") ? fileURLToPath(href) : rel;
}

function hangRow(seed: number, timeoutMs: number): SeedRow {
  return {
    seed,
    ok: false,
    events: 0,
    simulatedMs: 0,
    wallMs: timeoutMs,
    traceHash: "",
    kind: "wall-budget",
    error: `seed ${seed}: hang (wall-budget): the seed ran for ${timeoutMs} ms of wall time without finishing (a synchronous infinite loop?); its worker was terminated`,
  };
}

function stripRunOptions(options: RunFileOptions): WorkerRunOptions {
  const { seedTimeoutMs, onSeed: _o, onPlan: _p, onSeedStart: _t, workers: _w, shard: _s, ...rest } = options;
  // The executor's own per-seed cap is the timeout asked for, not a fixed 60 s.
  return seedTimeoutMs === undefined ? rest : { ...rest, seedWallMs: seedTimeoutMs };
}

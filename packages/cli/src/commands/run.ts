// `moonpool run` and `moonpool replay`: run a simulation file in a worker thread and print the
// report (or only its JSON with --json). Exit 0 when every seed passed, 1 otherwise.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  formatRecipe,
  parseRecipe,
  type RunFileOptions,
  type SeedRow,
  SimulationReport,
} from "@moonpool/sim";
import { applyVerdict, runVerdict } from "../exit-policy.ts";
import { resolveSimulation, UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";
import { junitXml } from "../junit.ts";
import { SeedProgress } from "../progress.ts";
import { runSimulation } from "../run-simulation.ts";
import { traceFileOf } from "../trace-file.ts";
import { type QueueFlags, queueRunCommand } from "./queue.ts";
import {
  formatRegressions,
  keepFailures,
  type RegressionResult,
  replayRegressions,
} from "./regression-phase.ts";

export interface RunFlags extends QueueFlags {
  seed?: unknown;
  /** run only: the base seed (`--seed` is its alias there). */
  baseSeed?: unknown;
  iterations?: unknown;
  untilStable?: unknown;
  json?: unknown;
  trace?: unknown;
  checkDeterminism?: unknown;
  seedTimeout?: unknown;
  workers?: unknown;
  shard?: unknown;
  recipe?: unknown;
  progress?: unknown;
  progressInterval?: unknown;
  junit?: unknown;
  strictCoverage?: unknown;
  regressions?: unknown;
  failFast?: unknown;
}

/** `moonpool run <file-or-name>` (replay = false) or `moonpool replay <file-or-name> --seed N`. */
export async function runCommand(
  fileArg: string,
  flags: RunFlags,
  io: CliIO,
  replay: boolean,
): Promise<number> {
  const file = resolveSimulation(fileArg, io.cwd);
  const options: { -readonly [K in keyof RunFileOptions]: RunFileOptions[K] } = { file };
  if (!replay && flags.baseSeed !== undefined && flags.seed !== undefined)
    throw new UsageError("--base-seed and --seed are the same option: give one");
  const seedValue = replay ? flags.seed : (flags.baseSeed ?? flags.seed);
  const seed = seedValue === undefined ? undefined : seedFlag(seedValue);
  if (replay) {
    if (seed === undefined)
      throw new UsageError("replay needs --seed N (the seed printed by the failing run)");
    if (flags.iterations !== undefined || flags.untilStable)
      throw new UsageError("replay runs one seed: drop --iterations / --until-stable");
    options.seeds = [seed];
    if (flags.recipe !== undefined) {
      if (typeof flags.recipe !== "string")
        throw new UsageError('--recipe needs a recipe, e.g. --recipe "12@345 -> 0@7"');
      try {
        options.recipe = formatRecipe(parseRecipe(flags.recipe, "--recipe"));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
  } else {
    if (flags.recipe !== undefined)
      throw new UsageError("--recipe is for replay: moonpool replay <file> --seed N --recipe R");
    if (flags.iterations !== undefined && flags.untilStable)
      throw new UsageError("--iterations and --until-stable exclude each other");
    if (seed !== undefined) options.seed = seed;
    if (flags.iterations !== undefined) options.iterations = countFlag("--iterations", flags.iterations);
    if (flags.untilStable) options.untilStable = stableFlag(flags.untilStable);
  }
  if (flags.trace !== undefined) {
    if (typeof flags.trace !== "string" || flags.trace === "")
      throw new UsageError("--trace needs a file name, e.g. --trace out.json");
    options.recordTraces = true;
  }
  const junit = fileFlag("--junit", flags.junit, "out.xml");
  if (flags.checkDeterminism) options.checkDeterminism = true;
  if (flags.seedTimeout !== undefined) options.seedTimeoutMs = countFlag("--seed-timeout", flags.seedTimeout);
  if (flags.queue !== undefined && !replay) {
    // The campaign's seeds as jobs on a queue: options that need this process's threads are refused.
    for (const [set, name] of [
      [flags.workers !== undefined, "--workers"],
      [flags.shard !== undefined, "--shard"],
      [flags.untilStable, "--until-stable"],
      [flags.trace !== undefined, "--trace"],
      [flags.checkDeterminism, "--check-determinism"],
      [flags.regressions !== undefined, "--regressions"],
      [flags.failFast, "--fail-fast"],
      [flags.junit !== undefined, "--junit"],
    ] as const)
      if (set) throw new UsageError(`${name} does not combine with --queue (workers run the seeds)`);
    return queueRunCommand(
      file,
      {
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
        ...(options.seedTimeoutMs !== undefined ? { seedTimeoutMs: options.seedTimeoutMs } : {}),
      },
      flags,
      io,
    );
  }
  if (flags.workers !== undefined) options.workers = countFlag("--workers", flags.workers);
  const shard = replay ? undefined : shardOf(flags.shard, io.env ?? {});
  if (shard !== undefined) {
    if (flags.untilStable)
      throw new UsageError(`${shard.from} needs a fixed seed list: drop --until-stable (use --iterations K)`);
    options.shard = shard.shard;
  }
  const regressionsArg = fileFlag("--regressions", flags.regressions, "regressions/");
  if (regressionsArg !== undefined) {
    if (replay) throw new UsageError("--regressions is for run: moonpool run <file> --regressions DIR");
    if (shard !== undefined)
      throw new UsageError(
        `--regressions with ${shard.from}: replay the regressions in one unsharded run (a merge would count them once per shard)`,
      );
  }
  const regressionsDir = regressionsArg === undefined ? undefined : resolve(io.cwd, regressionsArg);
  const href = pathToFileURL(resolve(io.cwd, file)).href;
  let regressions: RegressionResult[] = [];
  if (regressionsDir !== undefined) {
    regressions = await replayRegressions(href, file, regressionsDir, options.seedTimeoutMs);
    if (regressions.length > 0 && !flags.json)
      io.stdout(`${formatRegressions(regressions, regressionsArg!)}\n\n`);
  }
  const intervalMs =
    flags.progressInterval === undefined
      ? undefined
      : integerFlag("--progress-interval", flags.progressInterval, 0);
  // A run of several seeds shows progress on stderr instead of one line per seed.
  const progress =
    replay || flags.progress === false
      ? undefined
      : new SeedProgress(
          { write: io.stderr, isTTY: io.isTTY === true, ...(io.columns ? { columns: io.columns } : {}) },
          intervalMs === undefined ? {} : { intervalMs },
        );
  if (progress) options.logSeeds = false;
  // What finished so far, for the partial report of an interrupted run.
  const done: SeedRow[] = [];
  let plan: { base: number; seeds: readonly number[] | null } | undefined;
  options.onPlan = (p) => {
    plan = p;
    progress?.plan(p.seeds?.length ?? null);
  };
  if (progress) options.onSeedStart = (s) => progress.started(s);
  let stopFast: ((failed: SeedRow) => void) | undefined;
  const failedFast = new Promise<SeedRow>((resolve) => {
    stopFast = flags.failFast === true && !replay ? resolve : undefined;
  });
  let stoppedFast = false;
  options.onSeed = (row) => {
    // Rows arrive in seed order; with --fail-fast none after the first failing seed counts
    // (several workers may have finished later seeds already).
    if (stoppedFast) return;
    done.push(row);
    progress?.finished(row.ok);
    if (!row.ok && stopFast !== undefined) {
      stoppedFast = true;
      stopFast(row);
    }
  };
  const startedAt = performance.now();
  let removeInterrupt: (() => void) | undefined;
  const interrupted = new Promise<"interrupted">((resolve) => {
    removeInterrupt = io.onInterrupt?.(() => resolve("interrupted"));
  });
  let report: SimulationReport;
  try {
    const running = runSimulation(href, options);
    running.catch(() => {}); // abandoned when interrupted or failing fast: the process exits
    const outcome = await Promise.race([running, interrupted, failedFast]);
    if (outcome !== "interrupted" && !(outcome instanceof SimulationReport)) {
      // --fail-fast: the first failing seed ends the run (the process exits, stopping workers).
      progress?.stop();
      report = partialReport(
        file,
        done,
        plan,
        performance.now() - startedAt,
        `--fail-fast: seed ${outcome.seed} failed`,
      );
    } else if (outcome === "interrupted") {
      // The handler stays: a terminal's Ctrl-C reaches this process twice (its group, and the
      // bin's forwarding), and the second must not kill it before the report is out.
      removeInterrupt = undefined;
      progress?.stop();
      return printInterrupted(partialReport(file, done, plan, performance.now() - startedAt), flags, io);
    } else report = outcome;
  } finally {
    removeInterrupt?.();
    progress?.stop();
  }
  if (typeof flags.trace === "string") {
    const out = resolve(io.cwd, flags.trace);
    writeFileSync(out, `${JSON.stringify(traceFileOf(file, report), null, 1)}\n`);
    io.stderr(`trace written to ${flags.trace}\n`);
    // Point each failing seed at its trace and at the command that draws it.
    for (const seed of report.failingSeeds)
      io.stderr(
        `seed ${seed}: trace in ${flags.trace}; timeline: moonpool report ${flags.trace} --seed ${seed} --out seed-${seed}.html --perfetto seed-${seed}.perfetto.json\n`,
      );
  }
  const strictCoverage = flags.strictCoverage === true;
  if (junit !== undefined) {
    writeFileSync(resolve(io.cwd, junit), junitXml(report, { strictCoverage }));
    io.stderr(`JUnit report written to ${junit}\n`);
  }
  if (flags.json) {
    const json = regressionsDir === undefined ? report.toJSON() : { ...report.toJSON(), regressions };
    io.stdout(`${JSON.stringify(json)}\n`);
    for (const r of regressions) if (!r.ok) io.stderr(`regression still fails: ${r.replay}\n`);
    for (const s of report.failingSeeds) io.stderr(`replay: ${report.replayCommand(s)}\n`);
  } else {
    io.stdout(`${report.format({ groupFailures: true })}\n`);
  }
  if (regressionsDir !== undefined) {
    const failures = report.failingSeeds.map((seed) => ({
      seed,
      error: report.seeds.find((s) => s.seed === seed)?.error ?? "nondeterministic: two runs diverged",
    }));
    const kept = keepFailures(regressionsDir, file, failures);
    if (kept.length > 0)
      io.stderr(`kept ${kept.length} new failing seed(s) in ${regressionsArg} (replayed first next run)\n`);
  }
  // A replay runs one seed: coverage over one seed says nothing, so only `run` judges it.
  if (replay) return report.ok ? 0 : 1;
  const code = applyVerdict(runVerdict(report, { strictCoverage }), io.stderr);
  return regressions.some((r) => !r.ok) ? 1 : code;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** The report of the seeds that finished before an interruption, in planned order. */
function partialReport(
  file: string,
  rows: readonly SeedRow[],
  plan: { base: number; seeds: readonly number[] | null } | undefined,
  wallMs: number,
  why = "interrupted (Ctrl-C)",
): SimulationReport {
  const order = new Map((plan?.seeds ?? []).map((s, i) => [s, i]));
  const seeds = [...rows].sort((a, b) => (order.get(a.seed) ?? 0) - (order.get(b.seed) ?? 0));
  const of = plan?.seeds ? ` of ${plan.seeds.length}` : "";
  return new SimulationReport({
    seeds,
    assertions: [],
    baseSeed: plan?.base ?? 0,
    wallMs,
    file,
    stoppedEarly: `${why} after ${rows.length}${of} seeds; the assertion table is not collected`,
  });
}

function printInterrupted(report: SimulationReport, flags: RunFlags, io: CliIO): number {
  if (flags.json) io.stdout(`${JSON.stringify(report.toJSON())}\n`);
  else io.stdout(`${report.format({ groupFailures: true })}\n`);
  io.stderr(`moonpool: interrupted: partial report of ${report.iterations} finished seed(s)\n`);
  return EXIT_INTERRUPTED;
}

/** A file-name flag's value (undefined when not given), or a UsageError showing an example. */
export function fileFlag(name: string, value: unknown, example: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return String(value); // cac turns "7" into 7
  if (typeof value !== "string" || value === "")
    throw new UsageError(`${name} needs a file name, e.g. ${name} ${example}`);
  return value;
}

/**
 * The shard to run: `--shard i/n`, else a Kubernetes indexed Job's (or a CI matrix's)
 * JOB_COMPLETION_INDEX (0-based) and JOB_COMPLETIONS, else none.
 */
function shardOf(
  flag: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { shard: [number, number]; from: string } | undefined {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(String(flag));
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
      throw new UsageError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got ${String(flag)}`);
    return { shard: [Number(m[1]), Number(m[2])], from: "--shard" };
  }
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.JOB_COMPLETIONS;
  if (index === undefined || index === "") return undefined;
  if (!/^\d+$/.test(index))
    throw new UsageError(`JOB_COMPLETION_INDEX: expected an integer >= 0, got ${JSON.stringify(index)}`);
  if (count === undefined || !/^\d+$/.test(count) || Number(count) <= Number(index))
    throw new UsageError(
      `JOB_COMPLETIONS: expected the number of completions (> JOB_COMPLETION_INDEX ${index}), got ${count === undefined ? "nothing" : JSON.stringify(count)}`,
    );
  return { shard: [Number(index) + 1, Number(count)], from: "JOB_COMPLETION_INDEX" };
}

function seedFlag(value: unknown): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--seed: seeds are non-negative safe integers, got ${String(value)}`);
  }
  return n;
}

function countFlag(name: string, value: unknown): number {
  return integerFlag(name, value, 1);
}

/** An integer flag value >= min, or a UsageError naming the flag. */
export function integerFlag(name: string, value: unknown, min: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${name}: expected an integer >= ${min}, got ${String(value)}`);
  return n;
}

/** `--until-stable` (plateau 10, max 1000) or `--until-stable plateau,max`. */
function stableFlag(value: unknown): [number, number] {
  if (value === true) return [10, 1_000];
  const m = /^(\d+),(\d+)$/.exec(String(value));
  if (!m) throw new UsageError(`--until-stable: expected no value or "plateau,max", got ${String(value)}`);
  const plateau = Number(m[1]);
  const max = Number(m[2]);
  if (plateau < 1 || max < plateau) throw new UsageError("--until-stable: expected 1 <= plateau <= max");
  return [plateau, max];
}

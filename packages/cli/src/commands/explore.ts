// `moonpool explore <file>`: multiverse exploration of a simulation file on worker threads. A
// live progress line on a TTY, then the report (or only its JSON with --json). Exit 0 when no
// timeline failed, 1 when a bug was found (each with the command that replays it).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@moonpool/core";
import { type ExplorationReport, type ExploreFileOptions, exploreFile } from "@moonpool/explorer";
import { resolveSimulation, UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";
import { type QueueFlags, queueExploreCommand } from "./queue.ts";
import { keepFailures } from "./regression-phase.ts";
import { fileFlag } from "./run.ts";

export interface ExploreFlags extends QueueFlags {
  seed?: unknown;
  seeds?: unknown;
  runs?: unknown;
  energy?: unknown;
  fixed?: unknown;
  codeCoverage?: unknown;
  policy?: unknown;
  workers?: unknown;
  maxDepth?: unknown;
  branching?: unknown;
  batch?: unknown;
  json?: unknown;
  regressions?: unknown;
}

/** Runs `moonpool explore`. */
export async function exploreCommand(fileArg: string, flags: ExploreFlags, io: CliIO): Promise<number> {
  const file = resolveSimulation(fileArg, io.cwd);
  const regressions = fileFlag("--regressions", flags.regressions, "regressions/");
  const options: { -readonly [K in keyof ExploreFileOptions]: ExploreFileOptions[K] } = { file };
  if (flags.seed !== undefined) options.seed = integerFlag("--seed", flags.seed, 0);
  if (flags.seeds !== undefined) options.seeds = integerFlag("--seeds", flags.seeds, 1);
  const runs = aliasFlag(flags, "runs", "--runs", "energy", "--energy", 1);
  if (runs !== undefined) options.runs = runs;
  if (flags.workers !== undefined) options.workers = integerFlag("--workers", flags.workers, 1);
  if (flags.maxDepth !== undefined) options.maxDepth = integerFlag("--max-depth", flags.maxDepth, 0);
  const branching = aliasFlag(flags, "branching", "--branching", "fixed", "--fixed", 1);
  if (branching !== undefined) options.branchingFactor = branching;
  if (flags.codeCoverage !== undefined && flags.codeCoverage !== false) options.codeCoverage = true;
  if (flags.batch !== undefined) options.batch = integerFlag("--batch", flags.batch, 1);
  if (flags.policy !== undefined) {
    if (flags.policy !== "frontier" && flags.policy !== "power" && flags.policy !== "adaptive")
      throw new UsageError(`--policy: expected frontier, power or adaptive, got ${String(flags.policy)}`);
    options.policy = flags.policy;
  }
  if (flags.queue !== undefined) {
    // Refused rather than ignored: a campaign must not look code-guided when it is not.
    if (options.codeCoverage === true) throw new UsageError("--code-coverage does not combine with --queue");
    if (flags.workers !== undefined || regressions !== undefined)
      throw new UsageError(
        `${flags.workers !== undefined ? "--workers" : "--regressions"} does not combine with --queue`,
      );
    const { file: _f, workers: _w, ...explore } = options;
    return queueExploreCommand(file, explore, flags, io, (e) => formatExploration(e, file));
  }
  if (!flags.json && io.isTTY === true) {
    options.onProgress = (p) =>
      io.stderr(
        `\r\x1b[K[explore] seed ${p.seedIndex + 1}/${p.seeds} (${p.seed}): ${p.timelines} timelines, ` +
          `${p.splitPoints} splits, ${p.bugs} bugs, ${p.coverage} states, ${p.runsLeft} runs left, ` +
          `${Math.round(p.timelinesPerSecond)} timelines/s`,
      );
  }
  const report = await exploreFile(pathToFileURL(resolve(io.cwd, file)), options).catch((error: unknown) => {
    if (error instanceof InvalidArgumentError && error.argument === "exploreFile(url)") {
      throw new UsageError(error.message.replace(/^invalid exploreFile\(url\): /, ""));
    }
    throw error;
  });
  if (options.onProgress) io.stderr("\n");
  if (regressions !== undefined) {
    // Each bug's seed and recipe, replayed first by `moonpool run --regressions DIR`.
    const kept = keepFailures(
      resolve(io.cwd, regressions),
      file,
      report.exploration.bugs.map((b) => ({ seed: b.seed, recipe: b.recipe, error: b.message })),
    );
    if (kept.length > 0)
      io.stderr(`kept ${kept.length} new bug(s) in ${regressions} (replayed first by run --regressions)\n`);
  }
  if (flags.json) io.stdout(`${JSON.stringify(report.toJSON())}\n`);
  else io.stdout(`${formatExploration(report.exploration, file)}\n`);
  return report.ok ? 0 : 1;
}

/** The command replaying one bug. */
export function replayCommand(file: string, seed: number, recipe: string): string {
  const quoted = /^[\w./-]+$/.test(file) ? file : JSON.stringify(file);
  return `moonpool replay ${quoted} --seed ${seed}${recipe === "" ? "" : ` --recipe "${recipe}"`}`;
}

/** The human report of a campaign. */
export function formatExploration(e: ExplorationReport, file: string): string {
  const lines = [
    `exploration (${e.policy}): ${e.timelines} timelines over ${e.seeds.length} root seed(s), ${e.splitPoints} split points, ${e.bugTimelines} failing timelines, ${e.distinctBugs} distinct bug(s), in ${(e.wallMs / 1000).toFixed(2)} s`,
    `coverage: ${e.coverage} states; runs left: ${e.runsLeft} of ${e.runsPerSeed * e.seeds.length}`,
    `depth histogram: ${e.depthHistogram.map((n, d) => `${d}:${n}`).join(" ")}`,
    `replay overhead: ${e.replay.steps} draws executed, ${e.replay.forkSteps} for a fork-based explorer (${e.replay.overhead.toFixed(2)}x)`,
    ...(e.codeCoverage !== undefined
      ? [
          `code coverage: ${e.codeCoverage.covered} of ${e.codeCoverage.edges} edges taken, ${e.codeCoverage.classes} hit-count classes`,
        ]
      : []),
    "per seed:",
    ...e.seeds.map(
      (s) =>
        `  seed ${s.seed}: ${s.timelines} timelines, ${s.splitPoints} splits (${s.continuations} continuations), ${s.bugTimelines} failing, first bug at ${s.firstBugTimeline ?? "-"}, ${s.trackedStates} states`,
    ),
  ];
  if (e.bugs.length > 0) lines.push("bugs:");
  for (const b of e.bugs) {
    lines.push(
      `  seed ${b.seed}, timeline ${b.timeline}, depth ${b.depth}, ${b.timelines} timeline(s): ${b.message}`,
    );
    lines.push(`    replay: ${replayCommand(file, b.seed, b.recipe)}`);
  }
  return lines.join("\n");
}

// Two spellings of one setting (moonpool's names and ours): either, or both when they agree.
function aliasFlag(
  flags: ExploreFlags,
  key: keyof ExploreFlags,
  name: string,
  aliasKey: keyof ExploreFlags,
  alias: string,
  min: number,
): number | undefined {
  const a = flags[key] === undefined ? undefined : integerFlag(name, flags[key], min);
  const b = flags[aliasKey] === undefined ? undefined : integerFlag(alias, flags[aliasKey], min);
  if (a !== undefined && b !== undefined && a !== b)
    throw new UsageError(
      `${alias}: ${alias} ${b} contradicts ${name} ${a} (${alias} is an alias of ${name})`,
    );
  return a ?? b;
}

function integerFlag(name: string, value: unknown, min: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${name}: expected an integer >= ${min}, got ${String(value)}`);
  return n;
}

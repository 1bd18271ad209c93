// The `moonpool` command line: list / run / replay. Returns the exit code: 0 every seed passed,
// 1 a seed failed, 2 a usage error.

import { InvalidArgumentError } from "@moonpool/core";
import { cac } from "cac";
import { type ExploreFlags, exploreCommand } from "./commands/explore.ts";
import { listCommand } from "./commands/list.ts";
import { type MergeFlags, mergeCommand } from "./commands/merge.ts";
import { type ReportFlags, reportCommand } from "./commands/report.ts";
import { type RunFlags, runCommand } from "./commands/run.ts";
import { type TraceFlags, traceCommand } from "./commands/trace.ts";
import { type WorkerFlags, workerCommand } from "./commands/worker.ts";
import { UsageError } from "./find.ts";
import { type CliIO, processIO } from "./io.ts";

const COMMANDS = "list, run, replay, explore, merge, trace, report, worker";

/** Exit codes of the `moonpool` command. */
export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(["run", "counter.sim.ts", "--iterations", "100"]);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const cli = cac("moonpool");
  let result: Promise<number> = Promise.resolve(EXIT_USAGE);
  let matched = false;
  cli.command("list", "List simulation files (*.sim.ts) under the current directory").action(() => {
    matched = true;
    result = Promise.resolve(listCommand(io));
  });
  cli
    .command("run <file-or-name>", "Run a simulation file")
    .option("--base-seed <n>", "Base seed the iteration seeds derive from (default 1)")
    .option("--seed <n>", "Alias of --base-seed (replay's --seed is the exact seed)")
    .option("--iterations <k>", "Number of seeds to run")
    .option("--until-stable [plateau,max]", "Run until coverage is stable (default 10,1000)")
    .option("--workers <w>", "Run the seeds on W worker threads in parallel")
    .option(
      "--shard <i/n>",
      "Run only shard i of n of the seed list (e.g. 2/4; default from JOB_COMPLETION_INDEX/JOB_COMPLETIONS)",
    )
    .option("--json", "Print only the report JSON on stdout")
    .option("--trace <out.json>", "Write every seed's trace events to a JSON file")
    .option("--check-determinism", "Run every seed twice (once alone in a fresh worker) and compare")
    .option("--seed-timeout <ms>", "Wall time a seed may take before its worker is terminated")
    .option("--junit <out.xml>", "Write a JUnit XML report (a test case per seed, with its replay command)")
    .option("--strict-coverage", "Exit 1 when a sometimes/reachable assertion was never reached")
    .option(
      "--regressions <dir>",
      "Replay the failures kept in DIR first; keep this run's failing seeds there",
    )
    .option("--fail-fast", "Stop at the first failing seed (report of the seeds finished so far)")
    .option("--no-progress", "No progress bar / progress lines on stderr")
    .option(
      "--progress-interval <ms>",
      "Wall time between plain progress lines when stderr is not a terminal (default 2000)",
    )
    .example("moonpool run counter.sim.ts --iterations 500 --workers 2 --junit out.xml")
    .example("moonpool run counter --shard 2/4 --json > shard-2.json")
    .example("moonpool run counter --regressions regressions/ --trace out.json")
    .option("--queue <redis-url>", "Coordinate the run on BullMQ over Redis (workers: moonpool worker)")
    .option(
      "--campaign <name>",
      "With --queue: the campaign's name (default: derived from the file and options)",
    )
    .option("--job-size <n>", "With --queue: seeds per job (default 25)")
    .example("moonpool run counter.sim.ts --iterations 5000 --queue redis://10.0.0.5:6379 --campaign nightly")
    .action((file: string, flags: RunFlags) => {
      matched = true;
      result = runCommand(file, flags, io, false);
    });
  cli
    .command("replay <file-or-name>", "Replay one seed of a simulation file")
    .option("--seed <n>", "The seed to replay (required)")
    .option("--json", "Print only the report JSON on stdout")
    .option("--trace <out.json>", "Write the seed's trace events to a JSON file")
    .option("--seed-timeout <ms>", "Wall time the seed may take before its worker is terminated")
    .option("--recipe <recipe>", 'Exploration timeline to follow: "count@seed -> count@seed"')
    .example("moonpool replay counter.sim.ts --seed 8812734 --trace seed.json")
    .action((file: string, flags: RunFlags) => {
      matched = true;
      result = runCommand(file, flags, io, true);
    });
  cli
    .command("explore <file-or-name>", "Explore a simulation file's multiverse of timelines")
    .option("--seed <n>", "First root seed (default 1)")
    .option("--seeds <k>", "Number of root seeds")
    .option("--runs <r>", "Timeline budget per root seed (default 512)")
    .option("--energy <e>", "Timeline budget per root seed, moonpool's energy (alias of --runs)")
    .option("--policy <p>", "frontier (default), power or adaptive")
    .option("--workers <w>", "Worker threads running timelines (default 1)")
    .option("--max-depth <d>", "Longest recipe expanded further (default 64)")
    .option("--branching <b>", "Children per split (default 4)")
    .option("--fixed <n>", "Fixed timelines per split point, moonpool's fixed mode (alias of --branching)")
    .option("--code-coverage", "Code-edge coverage: instrument the simulation's folder, split on new edges")
    .option("--batch <n>", "Timelines per wave (default 16)")
    .option("--regressions <dir>", "Keep every bug's seed and recipe in DIR (run --regressions replays them)")
    .option("--json", "Print only the report JSON on stdout")
    .option(
      "--queue <redis-url>",
      "Coordinate the exploration on BullMQ over Redis (workers run the timelines)",
    )
    .option(
      "--campaign <name>",
      "With --queue: the campaign's name (default: derived from the file and options)",
    )
    .option("--job-size <n>", "With --queue: timelines per job (default 8)")
    .example("moonpool explore maze.sim.ts --seeds 5 --runs 600 --workers 2 --regressions regressions/")
    .example(
      "moonpool explore maze.sim.ts --seeds 50 --batch 64 --queue redis://10.0.0.5:6379 --campaign maze-1",
    )
    .action((file: string, flags: ExploreFlags) => {
      matched = true;
      result = exploreCommand(file, flags, io);
    });
  cli
    .command("merge [...reports]", "Merge the JSON reports of every shard of a run (run --shard i/n --json)")
    .option("--out <file>", "Also write the merged report JSON to this file")
    .option("--json", "Print only the merged report JSON on stdout")
    .option("--junit <out.xml>", "Write the merged run as a JUnit XML report")
    .option("--strict-coverage", "Exit 1 when a sometimes/reachable assertion was never reached")
    .example("moonpool merge shard-1.json shard-2.json --out report.json")
    .action((reports: string[], flags: MergeFlags) => {
      matched = true;
      result = Promise.resolve().then(() => mergeCommand(reports, flags, io));
    });
  cli
    .command("worker", "Run a campaign's jobs (run|explore --queue) until it is done or SIGTERM")
    .option("--queue <redis-url>", "The campaign's Redis, e.g. redis://10.0.0.5:6379 (required)")
    .option("--campaign <name>", "The campaign to work on (required; its coordinator prints it)")
    .option(
      "--lock-duration <ms>",
      "BullMQ job lock: a killed worker's job is retried after it (default 30000)",
    )
    .option("--stalled-interval <ms>", "BullMQ stalled-job check interval (default 30000)")
    .option("--quiet", "No line per job on stderr")
    .example("moonpool worker --queue redis://10.0.0.5:6379 --campaign nightly")
    .action((flags: WorkerFlags) => {
      matched = true;
      result = workerCommand(flags, io);
    });
  cli
    .command("trace <trace.json>", "Print the events of a trace file (run --trace), filtered")
    .option("--seed <n>", "Only this seed")
    .option("--actor <name>", "Events of this actor (its own, and sim events naming it)")
    .option("--name <event>", "Events with this name")
    .option("--from <ms>", "From this virtual time (ms)")
    .option("--to <ms>", "Up to this virtual time (ms)")
    .option("--grep <text>", "Events whose line contains this text (case-insensitive)")
    .option("--json", "Print the matching events as JSON")
    .example("moonpool trace out.json --seed 7 --actor server-0 --from 100 --to 250")
    .action((file: string, flags: TraceFlags) => {
      matched = true;
      result = Promise.resolve().then(() => traceCommand(file, flags, io));
    });
  cli
    .command(
      "report <trace.json|file>",
      "One seed's timeline: a self-contained HTML page and/or a Perfetto trace",
    )
    .option("--seed <n>", "The seed (required for a simulation file; a trace file's failing seed by default)")
    .option("--out <page.html>", "Write the HTML timeline here (default seed-<N>.html)")
    .option("--perfetto <out.json>", "Write a Chrome trace-event file that ui.perfetto.dev opens")
    .example("moonpool report out.json --seed 7 --out seed-7.html --perfetto seed-7.json")
    .example("moonpool report counter.sim.ts --seed 7")
    .action((source: string, flags: ReportFlags) => {
      matched = true;
      result = reportCommand(source, flags, io);
    });
  cli.help();
  try {
    const parsed = cli.parse(["node", "moonpool", ...argv], { run: false });
    if (parsed.options.help) return EXIT_PASSED;
    if (cli.matchedCommand === undefined) {
      const given = parsed.args[0];
      throw new UsageError(
        given === undefined
          ? `missing command (${COMMANDS})`
          : `unknown command "${given}" (commands: ${COMMANDS})`,
      );
    }
    await cli.runMatchedCommand();
    if (!matched) return EXIT_USAGE;
    return await result;
  } catch (error) {
    if (error instanceof UsageError || (error as { name?: string }).name === "CACError") {
      io.stderr(`moonpool: ${(error as Error).message}\nRun "moonpool --help" for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof InvalidArgumentError) {
      // A broken or missing simulation file, or a bad option: not "a seed failed".
      io.stderr(`moonpool: ${error.stack ?? error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`moonpool: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILED;
  }
}

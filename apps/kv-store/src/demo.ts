// `pnpm demo` (from the repository root): the replicated KV store, one implementation, first on
// real TCP (three replica OS processes on 127.0.0.1, one killed and restarted mid-run), then
// unchanged in simulation for a batch of seeds under network and storage chaos and reboots; both
// runs side by side, then how to run the other apps.
//
// Options: --seeds N (default 40), --seed B (base seed, default 1), --real-ms M (default 3000).

import type { SimulationReport } from "@moonpool/sim";
import { type RealRunResult, runOnRealTcp } from "./real/run.ts";
import { kvSimulation } from "./simulation.ts";

export interface DemoOptions {
  readonly realMs?: number;
  readonly seeds?: number;
  readonly baseSeed?: number;
  /** Output lines (default console.log). */
  readonly print?: (line: string) => void;
}

/** What the simulated half did, summed over its seeds (read from their traces). */
export interface SimulatedFigures {
  readonly seeds: number;
  readonly failed: number;
  readonly operations: number;
  readonly wallMs: number;
  readonly simulatedMs: number;
  readonly faults: number;
  readonly reboots: number;
  /** Seeds whose history the linearizability checker accepted. */
  readonly linearizable: number;
  /** Coverage assertions (sometimes, reachable, ...) hit at least once, of those known. */
  readonly coverageHit: number;
  readonly coverageKnown: number;
}

export interface DemoResult {
  readonly real: RealRunResult;
  readonly sim: SimulatedFigures;
  readonly report: SimulationReport;
}

const COVERAGE_KINDS = new Set(["sometimes", "reachable", "sometimesGreaterThan", "sometimesLessThan"]);

function simulatedFigures(report: SimulationReport, wallMs: number): SimulatedFigures {
  let operations = 0;
  let faults = 0;
  let reboots = 0;
  let linearizable = 0;
  for (const events of Object.values(report.traces ?? {})) {
    for (const e of events as { name: string; fields?: Record<string, unknown> }[]) {
      if (e.name === "kv_op") operations++;
      else if (e.name === "sim_fault") faults++;
      else if (e.name === "process_reboot") reboots++;
      else if (e.name === "kv_history" && e.fields?.ok === true) linearizable++;
    }
  }
  const coverage = report.assertions.filter((a) => COVERAGE_KINDS.has(a.kind));
  return {
    seeds: report.iterations,
    failed: report.failed,
    operations,
    wallMs,
    simulatedMs: report.seeds.reduce((a, s) => a + s.simulatedMs, 0),
    faults,
    reboots,
    linearizable,
    coverageHit: coverage.filter((a) => a.pass > 0).length,
    coverageKnown: coverage.length,
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const row = (label: string, real: string, sim: string): string =>
  `  ${label.padEnd(20)} ${real.padEnd(34)} ${sim}`;

/** Runs both halves and prints them side by side; resolves with the figures. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const realMs = options.realMs ?? 3_000;
  const seeds = options.seeds ?? 40;
  const baseSeed = options.baseSeed ?? 1;
  print("Replicated KV store (3 replicas, majority quorum, write-ahead log with fsync)");
  print("One implementation (apps/kv-store/src/replica.ts) against the Providers interfaces.\n");
  print(`1. Real TCP on 127.0.0.1, three OS processes, ${seconds(realMs)}:`);
  const real = await runOnRealTcp({ durationMs: realMs, log: (line) => print(`   ${line}`) });

  print(`\n2. The same code in simulation, ${seeds} seeds from base seed ${baseSeed}:`);
  const started = performance.now();
  const report = await kvSimulation()
    .seed(baseSeed)
    .iterations(seeds)
    .logSeeds(false)
    .recordTraces()
    .run({ file: "apps/kv-store/src/kv.sim.ts" });
  const sim = simulatedFigures(report, performance.now() - started);

  print("");
  print(row("", "real TCP", `simulation (${sim.seeds} seeds)`));
  print(row("operations", `${real.ok} ok, ${real.unavailable} unavailable`, String(sim.operations)));
  print(row("wall time", seconds(real.wallMs), seconds(sim.wallMs)));
  print(
    row(
      "simulated time",
      "-",
      `${seconds(sim.simulatedMs)} (${(sim.simulatedMs / Math.max(sim.wallMs, 1)).toFixed(1)}x wall)`,
    ),
  );
  print(row("faults injected", "0", `${sim.faults} sim_fault events`));
  print(row("reboots", `${real.restarts} (SIGKILL, then restart)`, `${sim.reboots} (crash or graceful)`));
  print(
    row(
      "linearizability",
      real.verdict.ok ? `linearizable (${real.verdict.operations} ops)` : `VIOLATED: ${real.verdict.problem}`,
      `${sim.linearizable} of ${sim.seeds} histories linearizable`,
    ),
  );
  print(
    row(
      "assertion coverage",
      "- (assertions are inert)",
      `${sim.coverageHit} of ${sim.coverageKnown} reached`,
    ),
  );
  print(row("failing seeds", "-", String(sim.failed)));
  for (const s of report.seeds.filter((s) => !s.ok).slice(0, 3)) {
    print(`  seed ${s.seed} (hash ${s.traceHash}): ${(s.error ?? "failed").replace(/^seed \d+: /, "")}`);
    print(
      `    replay: ${report.replayCommand(s.seed).replace(/^moonpool /, "node packages/cli/bin/moonpool.js ")}`,
    );
  }
  print("\nThe other apps:");
  print(
    "  pnpm --filter @moonpool/kv-store sim -- --bug ack-before-fsync   a planted bug, found and replayed",
  );
  print(
    "  pnpm --filter @moonpool/web-service start | sim                  unmodified node:http, fetch, ioredis",
  );
  print(
    "  pnpm --filter @moonpool/demo start                               the counter cluster, real vs simulated",
  );
  print(
    "  node packages/cli/bin/moonpool.js explore apps/maze/src/maze.sim.ts   exploration finds the maze bug",
  );
  return { real, sim, report };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const number = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min)
      throw new RangeError(`${name}: expected an integer >= ${min}, got ${value ?? "nothing"}`);
    return n;
  };
  try {
    const argv = process.argv.slice(2).filter((a) => a !== "--");
    const options: { realMs?: number; seeds?: number; baseSeed?: number } = {};
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === "--seeds") options.seeds = number("--seeds", argv[++i], 1);
      else if (arg === "--seed") options.baseSeed = number("--seed", argv[++i], 0);
      else if (arg === "--real-ms") options.realMs = number("--real-ms", argv[++i], 100);
      else throw new RangeError(`unknown argument ${arg} (expected --seeds N, --seed B, --real-ms M)`);
    }
    const { real, sim } = await runDemo(options);
    process.exitCode = real.verdict.ok && sim.failed === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    console.error(`demo: ${error.message}`);
    process.exitCode = 2;
  }
}

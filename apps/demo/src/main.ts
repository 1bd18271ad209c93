// `pnpm demo` (from the repository root): the counter cluster of counterService.ts, written once
// against `Providers`, runs first on real TCP and disk for a few seconds, then unchanged in
// simulation for many seeds with network and storage chaos and reboots; both results are
// printed side by side. `pnpm demo -- --bug` runs a node that skips fsync (`--bug=write-behind`:
// one that acknowledges before persisting): invisible on real TCP, caught by the simulation.
//
// Options: --seeds N (default 100), --seed B (base seed, default 1), --real-ms M (default 3000).

import type { Durability } from "./durableCounter.ts";
import { runOnRealTcp } from "./realRun.ts";
import { counterSimulation, type SeedFigures } from "./simulation.ts";

interface DemoArgs {
  durability: Durability;
  seeds: number;
  baseSeed: number;
  realMs: number;
}

const SIM_FILES: Record<Durability, string> = {
  fsync: "apps/demo/src/counter.sim.ts",
  "no-fsync": "apps/demo/src/counter-bug.sim.ts",
  "ack-before-persist": "apps/demo/src/counter-write-behind.sim.ts",
};

function parseArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { durability: "fsync", seeds: 100, baseSeed: 1, realMs: 3_000 };
  const number = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min) {
      throw new RangeError(`${name}: expected an integer >= ${min}, got ${value ?? "nothing"}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (arg === "--bug" || arg === "--bug=no-fsync") args.durability = "no-fsync";
    else if (arg === "--bug=write-behind") args.durability = "ack-before-persist";
    else if (arg === "--seeds") args.seeds = number("--seeds", argv[++i], 1);
    else if (arg === "--seed") args.baseSeed = number("--seed", argv[++i], 0);
    else if (arg === "--real-ms") args.realMs = number("--real-ms", argv[++i], 100);
    else
      throw new RangeError(
        `unknown argument ${arg} (expected --bug[=write-behind], --seeds N, --seed B, --real-ms M)`,
      );
  }
  return args;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function row(label: string, real: string, sim: string): string {
  return `  ${label.padEnd(22)} ${real.padEnd(26)} ${sim}`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const buggy = args.durability !== "fsync";
  const file = SIM_FILES[args.durability];
  console.log(
    `Counter cluster (3 nodes, 2 clients, durability "${args.durability}"${buggy ? ": a bug on purpose" : ""})`,
  );
  console.log("One implementation (apps/demo/src/counterService.ts) against the Providers interfaces.\n");

  console.log(`1. Real TCP on 127.0.0.1 and a real disk, for ${seconds(args.realMs)}:`);
  const real = await runOnRealTcp({
    durationMs: args.realMs,
    durability: args.durability,
    log: (line) => console.log(`   ${line}`),
  });

  console.log(`\n2. The same code in simulation, ${args.seeds} seeds from base seed ${args.baseSeed}:`);
  const figures: SeedFigures[] = [];
  const started = performance.now();
  const report = await counterSimulation({ durability: args.durability }, figures)
    .seed(args.baseSeed)
    .iterations(args.seeds)
    .logSeeds(false)
    .run({ file });
  const simWallMs = performance.now() - started;
  const sum = (pick: (f: SeedFigures) => number): number => figures.reduce((a, f) => a + pick(f), 0);
  const simulatedMs = report.seeds.reduce((a, s) => a + s.simulatedMs, 0);

  console.log();
  console.log(row("", "real TCP + disk", `simulation (${report.iterations} seeds)`));
  console.log(row("increments acked", String(real.acks), String(sum((f) => f.acks))));
  console.log(row("increments not acked", String(real.unacked), String(sum((f) => f.unacked))));
  console.log(row("wall time", seconds(real.wallMs), seconds(simWallMs)));
  console.log(
    row("simulated time", "-", `${seconds(simulatedMs)} (${(simulatedMs / simWallMs).toFixed(1)}x wall)`),
  );
  console.log(row("faults injected", "0", `${sum((f) => f.faults)} sim_fault events`));
  console.log(
    row("reboots", `${real.restarts} (planned, graceful)`, `${sum((f) => f.reboots)} (crash, graceful)`),
  );
  console.log(
    row(
      "safety violations",
      String(real.violations.length),
      `${report.failed} failing seed${report.failed === 1 ? "" : "s"}`,
    ),
  );
  for (const v of real.violations.slice(0, 3)) console.log(`  real: ${v}`);

  if (report.failed > 0) {
    console.log("\nFailing seeds (each replays exactly, same trace hash):");
    for (const s of report.seeds.filter((s) => !s.ok).slice(0, 5)) {
      const error = (s.error ?? "failed").replace(/^seed \d+: /, "");
      console.log(`  seed ${s.seed} (hash ${s.traceHash}): ${error}`);
      console.log(
        `    ${report.replayCommand(s.seed).replace(/^moonpool /, "node packages/cli/bin/moonpool.js ")}`,
      );
    }
    if (report.failed > 5) console.log(`  ... and ${report.failed - 5} more`);
  }
  console.log();
  if (!buggy) {
    const ok = report.ok && real.violations.length === 0;
    console.log(
      ok
        ? "Healthy: no value was ever acknowledged twice, on real TCP or under simulated chaos."
        : "UNEXPECTED: the correct service failed; see the failing seeds above.",
    );
    return ok ? 0 : 1;
  }
  if (report.failed > 0) {
    const realPart =
      real.violations.length === 0
        ? "real TCP saw nothing (no crash, no power loss there)"
        : `real TCP saw it too, only through the planned restart (${real.violations.length} violations)`;
    console.log(`Bug caught: ${realPart}; the simulation found ${report.failed} failing seeds.`);
    return 0;
  }
  console.log(`Bug NOT caught in ${report.iterations} seeds: try more seeds (--seeds).`);
  return 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof RangeError)) throw error;
  console.error(`pnpm demo: ${error.message}`);
  process.exitCode = 2;
}

// `pnpm --filter @moonpool/kv-store start`: the store on real TCP, replicas as OS processes.
// `pnpm --filter @moonpool/kv-store sim`: the identical code in simulation, many seeds of chaos.
// `... replica --listen A --data D`: one replica process (what `start` spawns).
//
// Options: --bug NAME (ack-before-fsync, stale-read, snapshot-no-dirsync), --real-ms M (start),
// --seeds N and --seed B (sim: how many seeds, from which base seed).

import { nodeProviders } from "@moonpool/core/node";
import { type KvBug, parseBug } from "./bugs.ts";
import { runOnRealTcp } from "./real/run.ts";
import { runReplica } from "./replica.ts";
import { kvSimulation } from "./simulation.ts";

interface Args {
  command: "start" | "sim" | "replica";
  bug: KvBug | undefined;
  realMs: number;
  seeds: number;
  baseSeed: number;
  listen: string;
  data: string;
}

const USAGE =
  "usage: main.ts [start|sim|replica] [--bug NAME] [--real-ms M] [--seeds N] [--seed B] [--listen A --data D]";

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    command: "start",
    bug: undefined,
    realMs: 3_000,
    seeds: 100,
    baseSeed: 1,
    listen: "",
    data: "",
  };
  const integer = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min)
      throw new RangeError(`${name}: expected an integer >= ${min}, got ${value ?? "nothing"}`);
    return n;
  };
  const text = (name: string, value: string | undefined): string => {
    if (value === undefined || value.startsWith("--")) throw new RangeError(`${name}: expected a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (i === 0 && (arg === "start" || arg === "sim" || arg === "replica")) args.command = arg;
    else if (arg === "--bug") args.bug = parseBug(text("--bug", argv[++i]));
    else if (arg === "--real-ms") args.realMs = integer("--real-ms", argv[++i], 100);
    else if (arg === "--seeds") args.seeds = integer("--seeds", argv[++i], 1);
    else if (arg === "--seed") args.baseSeed = integer("--seed", argv[++i], 0);
    else if (arg === "--listen") args.listen = text("--listen", argv[++i]);
    else if (arg === "--data") args.data = text("--data", argv[++i]);
    else throw new RangeError(`unknown argument ${arg} (${USAGE})`);
  }
  if (args.command === "replica" && (!args.listen || !args.data))
    throw new RangeError("replica: --listen ADDRESS and --data DIR are required");
  return args;
}

async function replicaMain(args: Args): Promise<number> {
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort());
  process.once("SIGINT", () => stop.abort());
  await runReplica(nodeProviders({ dataDir: args.data }), {
    listen: args.listen,
    signal: stop.signal,
    bug: args.bug,
    onReady: (address, recovery) =>
      console.log(`ready ${address} keys=${recovery.keys} truncated=${recovery.truncatedBytes}`),
  });
  return 0;
}

async function startMain(args: Args): Promise<number> {
  console.log(
    `Replicated KV store on real TCP: 3 replica processes on 127.0.0.1, 3 clients, ${args.realMs} ms`,
  );
  if (args.bug) console.log(`(with the "${args.bug}" bug on purpose)`);
  const result = await runOnRealTcp({
    durationMs: args.realMs,
    bug: args.bug,
    log: (line) => console.log(`  ${line}`),
  });
  const ms = (n: number): string => `${n.toFixed(2)} ms`;
  console.log(`  operations:  ${result.ok} ok, ${result.unavailable} unavailable (no majority in time)`);
  console.log(`  throughput:  ${result.opsPerSecond.toFixed(0)} ops/s`);
  console.log(`  get latency: p50 ${ms(result.get.p50)}, p99 ${ms(result.get.p99)} (${result.get.count})`);
  console.log(`  put latency: p50 ${ms(result.put.p50)}, p99 ${ms(result.put.p99)} (${result.put.count})`);
  console.log(`  restarts:    ${result.restarts} (SIGKILL, then the same port and data directory)`);
  console.log(
    result.verdict.ok
      ? `  history:     linearizable, no acknowledged write lost (${result.verdict.operations} operations)`
      : `  history:     ${result.verdict.problem}`,
  );
  return result.verdict.ok || args.bug ? 0 : 1;
}

async function simMain(args: Args): Promise<number> {
  const file = `apps/kv-store/src/kv${args.bug ? `-${args.bug}` : ""}.sim.ts`;
  console.log(
    `Replicated KV store in simulation: ${args.seeds} seeds from base seed ${args.baseSeed}${args.bug ? `, with the "${args.bug}" bug` : ""}`,
  );
  const started = performance.now();
  const report = await kvSimulation({ bug: args.bug })
    .seed(args.baseSeed)
    .iterations(args.seeds)
    .logSeeds(false)
    .run({ file });
  const wallMs = performance.now() - started;
  const simulatedMs = report.seeds.reduce((a, s) => a + s.simulatedMs, 0);
  console.log(
    `  ${report.iterations - report.failed} passed, ${report.failed} failed in ${(wallMs / 1000).toFixed(1)} s ` +
      `(${((report.iterations / wallMs) * 1000).toFixed(1)} seeds/s, ${(simulatedMs / 1000).toFixed(0)} s simulated)`,
  );
  for (const s of report.seeds.filter((s) => !s.ok).slice(0, 3)) {
    console.log(
      `  seed ${s.seed} (hash ${s.traceHash}): ${(s.error ?? "failed").replace(/^seed \d+: /, "")}`,
    );
    console.log(
      `    replay: ${report.replayCommand(s.seed).replace(/^moonpool /, "node packages/cli/bin/moonpool.js ")}`,
    );
  }
  if (!args.bug) return report.ok ? 0 : 1;
  if (report.failed > 0) {
    console.log(`Bug caught: ${report.failed} of ${report.iterations} seeds fail; each replays exactly.`);
    return 0;
  }
  console.log(`Bug NOT caught in ${report.iterations} seeds: try more seeds (--seeds).`);
  return 1;
}

try {
  const args = parseArgs(process.argv.slice(2));
  process.exitCode = await (args.command === "replica"
    ? replicaMain(args)
    : args.command === "sim"
      ? simMain(args)
      : startMain(args));
} catch (error) {
  if (!(error instanceof RangeError)) throw error;
  console.error(`kv-store: ${error.message}`);
  process.exitCode = 2;
}

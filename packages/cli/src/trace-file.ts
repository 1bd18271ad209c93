// The trace file `run --trace out.json` writes: every recorded seed's events, plus each seed's
// outcome so a report can show the failure. Read back by `moonpool trace` and `moonpool report`.
import { existsSync, readFileSync } from "node:fs";
import type { SimulationReport } from "@moonpool/sim";
import { UsageError } from "./find.ts";

/** One recorded event (the JSON form of sim's `TraceEvent`; bigints as decimal strings). */
export interface TraceFileEvent {
  readonly seq: number;
  readonly timeMs: number;
  readonly source: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

/** A seed's outcome as kept in the trace file. */
export interface TraceFileResult {
  readonly ok: boolean;
  readonly traceHash: string;
  readonly simulatedMs: number;
  readonly error?: string;
  readonly stack?: string;
  readonly replay?: string;
}

/** The whole trace file. */
export interface TraceFile {
  readonly file: string;
  readonly seeds: Readonly<Record<string, readonly TraceFileEvent[]>>;
  readonly results?: Readonly<Record<string, TraceFileResult>>;
}

/** The trace file of a report run with recordTraces. */
export function traceFileOf(file: string, report: SimulationReport): TraceFile {
  const results: Record<string, TraceFileResult> = {};
  for (const s of report.seeds) {
    const failed = !s.ok || report.failingSeeds.includes(s.seed);
    results[String(s.seed)] = {
      ok: !failed,
      traceHash: s.traceHash,
      simulatedMs: s.simulatedMs,
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(s.stack !== undefined ? { stack: s.stack } : {}),
      ...(failed ? { replay: report.replayCommand(s.seed) } : {}),
    };
  }
  return { file, seeds: (report.traces ?? {}) as TraceFile["seeds"], results };
}

/** Reads and checks a trace file; a missing or malformed one is a UsageError naming it. */
export function readTraceFile(path: string, shown: string): TraceFile {
  if (!existsSync(path))
    throw new UsageError(`no such trace file ${shown} (write one with run --trace ${shown})`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`${shown}: not JSON (${(e as Error).message})`);
  }
  const t = data as Partial<TraceFile> | null;
  if (t === null || typeof t !== "object" || t.seeds === null || typeof t.seeds !== "object")
    throw new UsageError(`${shown}: not a moonpool trace file (expected the output of run --trace)`);
  for (const [seed, events] of Object.entries(t.seeds)) {
    if (!Array.isArray(events)) throw new UsageError(`${shown}: seed ${seed}'s events are not a list`);
  }
  return {
    file: typeof t.file === "string" ? t.file : "",
    seeds: t.seeds,
    ...(t.results ? { results: t.results } : {}),
  };
}

/**
 * The seed a command looks at: `--seed N` (which must be in the file), else the only seed,
 * else the first failing one.
 */
export function pickSeed(trace: TraceFile, seedFlag: number | undefined, shown: string): string {
  const seeds = Object.keys(trace.seeds);
  if (seedFlag !== undefined) {
    if (!(String(seedFlag) in trace.seeds))
      throw new UsageError(
        `${shown} has no seed ${seedFlag} (its seeds: ${seeds.slice(0, 10).join(", ")}${seeds.length > 10 ? ", ..." : ""})`,
      );
    return String(seedFlag);
  }
  if (seeds.length === 0) throw new UsageError(`${shown} holds no seed`);
  if (seeds.length === 1) return seeds[0]!;
  const failing = seeds.find((s) => trace.results?.[s]?.ok === false);
  if (failing !== undefined) return failing;
  throw new UsageError(`${shown} holds ${seeds.length} seeds, none failing: pick one with --seed N`);
}

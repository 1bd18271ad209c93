// `moonpool trace <trace.json>`: the events of a trace file, filtered by actor, name, virtual
// time window and text; one line per event (or JSON with --json).
import { resolve } from "node:path";
import { UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";
import { pickSeed, readTraceFile } from "../trace-file.ts";
import { filterTrace, formatEvent, type TraceFilter } from "../trace-filter.ts";
import { integerFlag } from "./run.ts";

export interface TraceFlags {
  seed?: unknown;
  actor?: unknown;
  name?: unknown;
  from?: unknown;
  to?: unknown;
  grep?: unknown;
  json?: unknown;
}

/** Runs `moonpool trace`. Exit 0 (1 when nothing matched, so scripts can test for it). */
export function traceCommand(fileArg: string, flags: TraceFlags, io: CliIO): number {
  const trace = readTraceFile(resolve(io.cwd, fileArg), fileArg);
  const filter: { -readonly [K in keyof TraceFilter]: TraceFilter[K] } = {};
  if (flags.actor !== undefined) filter.actor = textFlag("--actor", flags.actor);
  if (flags.name !== undefined) filter.name = textFlag("--name", flags.name);
  if (flags.grep !== undefined) filter.grep = textFlag("--grep", flags.grep);
  if (flags.from !== undefined) filter.fromMs = msFlag("--from", flags.from);
  if (flags.to !== undefined) filter.toMs = msFlag("--to", flags.to);
  if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.toMs < filter.fromMs)
    throw new UsageError(`--to ${filter.toMs} is before --from ${filter.fromMs}`);
  const seeds =
    flags.seed !== undefined
      ? [pickSeed(trace, integerFlag("--seed", flags.seed, 0), fileArg)]
      : Object.keys(trace.seeds);
  let matched = 0;
  const json: Record<string, unknown[]> = {};
  for (const seed of seeds) {
    const events = filterTrace(trace.seeds[seed] ?? [], filter);
    matched += events.length;
    if (flags.json) json[seed] = events;
    else if (events.length > 0) {
      if (seeds.length > 1) io.stdout(`seed ${seed}:\n`);
      for (const e of events) io.stdout(`${formatEvent(e)}\n`);
    }
  }
  if (flags.json) io.stdout(`${JSON.stringify({ file: trace.file, seeds: json })}\n`);
  else io.stderr(`${matched} event(s) matched in ${seeds.length} seed(s)\n`);
  return matched > 0 ? 0 : 1;
}

function textFlag(name: string, value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string" || value === "") throw new UsageError(`${name} needs a value`);
  return value;
}

function msFlag(name: string, value: unknown): number {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`${name}: expected a virtual time in ms (a number >= 0), got ${String(value)}`);
  return n;
}

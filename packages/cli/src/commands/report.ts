// `moonpool report <trace.json | file --seed N>`: one seed's timeline as a self-contained HTML
// page (--out, default seed-<N>.html) and/or a Chrome trace-event file for Perfetto (--perfetto).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveSimulation, UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";
import { timelineHtml } from "../report/html.ts";
import { perfettoTrace } from "../report/perfetto.ts";
import { buildTimeline } from "../report/timeline.ts";
import { runSimulation } from "../run-simulation.ts";
import { pickSeed, readTraceFile, type TraceFile, traceFileOf } from "../trace-file.ts";
import { fileFlag, integerFlag } from "./run.ts";

export interface ReportFlags {
  seed?: unknown;
  out?: unknown;
  perfetto?: unknown;
}

/** Runs `moonpool report`. Exit 0 once the files are written. */
export async function reportCommand(source: string, flags: ReportFlags, io: CliIO): Promise<number> {
  const seedFlag = flags.seed === undefined ? undefined : integerFlag("--seed", flags.seed, 0);
  let out = fileFlag("--out", flags.out, "seed.html");
  const perfetto = fileFlag("--perfetto", flags.perfetto, "seed.perfetto.json");
  let trace: TraceFile;
  if (source.endsWith(".json")) trace = readTraceFile(resolve(io.cwd, source), source);
  else {
    // A simulation file: replay the seed with its trace recorded.
    const file = resolveSimulation(source, io.cwd);
    if (seedFlag === undefined)
      throw new UsageError(`report of a simulation file needs --seed N: moonpool report ${source} --seed N`);
    const report = await runSimulation(pathToFileURL(resolve(io.cwd, file)).href, {
      file,
      seeds: [seedFlag],
      recordTraces: true,
      logSeeds: false,
    });
    trace = traceFileOf(file, report);
  }
  const seed = pickSeed(trace, seedFlag, source);
  const timeline = buildTimeline(trace.file, seed, trace.seeds[seed] ?? [], trace.results?.[seed]);
  if (out === undefined && perfetto === undefined) out = `seed-${seed}.html`;
  if (out !== undefined) {
    writeFileSync(resolve(io.cwd, out), timelineHtml(timeline));
    io.stdout(`timeline of seed ${seed} written to ${out}\n`);
  }
  if (perfetto !== undefined) {
    writeFileSync(resolve(io.cwd, perfetto), `${JSON.stringify(perfettoTrace(timeline))}\n`);
    io.stdout(`Perfetto trace of seed ${seed} written to ${perfetto} (open it in https://ui.perfetto.dev)\n`);
  }
  return 0;
}

// `moonpool merge <report.json...>`: folds the reports of `run --shard i/n --json` into the
// report of the whole run (printed, or only its JSON with --json; written to --out F).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { applyVerdict, runVerdict } from "../exit-policy.ts";
import { UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";
import { junitXml } from "../junit.ts";
import { mergeShardReports, type ShardReportInput } from "../merge.ts";
import { fileFlag } from "./run.ts";

export interface MergeFlags {
  json?: unknown;
  out?: unknown;
  junit?: unknown;
  strictCoverage?: unknown;
}

/** Runs `moonpool merge`. Exit code as `moonpool run` would give for the whole run. */
export function mergeCommand(files: readonly string[], flags: MergeFlags, io: CliIO): number {
  if (files.length === 0)
    throw new UsageError("merge needs the shard reports: moonpool merge shard-1.json shard-2.json ...");
  const out = fileFlag("--out", flags.out, "report.json");
  const junit = fileFlag("--junit", flags.junit, "out.xml");
  const inputs: ShardReportInput[] = files.map((name) => {
    const path = resolve(io.cwd, name);
    if (!existsSync(path)) throw new UsageError(`merge: no such file ${name}`);
    try {
      return { name, json: JSON.parse(readFileSync(path, "utf8")) as unknown };
    } catch (e) {
      throw new UsageError(`${name}: not JSON (${(e as Error).message}); expected the output of run --json`);
    }
  });
  const report = mergeShardReports(inputs);
  const json = `${JSON.stringify(report.toJSON())}\n`;
  const strictCoverage = flags.strictCoverage === true;
  if (out !== undefined) {
    writeFileSync(resolve(io.cwd, out), json);
    io.stderr(`merged report written to ${out}\n`);
  }
  if (junit !== undefined) {
    writeFileSync(resolve(io.cwd, junit), junitXml(report, { strictCoverage }));
    io.stderr(`JUnit report written to ${junit}\n`);
  }
  if (flags.json) io.stdout(json);
  else io.stdout(`${report.format({ groupFailures: true })}\n`);
  return applyVerdict(runVerdict(report, { strictCoverage }), io.stderr);
}

// `moonpool merge <report.json...>`: folds the reports of `run --shard i/n --json` into the
// report of the whole run (printed, or only its JSON with --json; written to --out F).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../find.ts";
import type { CliIO } from "../io.ts";
import { mergeShardReports, type ShardReportInput } from "../merge.ts";

export interface MergeFlags {
  json?: unknown;
  out?: unknown;
}

/** Runs `moonpool merge`. Exit 0 when the merged run passed, 1 when it failed. */
export function mergeCommand(files: readonly string[], flags: MergeFlags, io: CliIO): number {
  if (files.length === 0)
    throw new UsageError("merge needs the shard reports: moonpool merge shard-1.json shard-2.json ...");
  if (flags.out !== undefined && (typeof flags.out !== "string" || flags.out === ""))
    throw new UsageError("--out needs a file name, e.g. --out report.json");
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
  if (typeof flags.out === "string") {
    writeFileSync(resolve(io.cwd, flags.out), json);
    io.stderr(`merged report written to ${flags.out}\n`);
  }
  if (flags.json) io.stdout(json);
  else io.stdout(`${report.format()}\n`);
  return report.ok ? 0 : 1;
}

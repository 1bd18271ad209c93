// `moonpool-codegen <files...> [--out DIR] [--check] [--watch] [--emit ts,json-schema,rust]`: exit 0
// when done (or current), 1 when a check finds stale output or a declaration is unsupported, 2 on
// bad arguments.

import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { CodegenError } from "./CodegenError.ts";
import { checkGenerated, EMIT_KINDS, type EmitKind, generate, writeGenerated } from "./generate.ts";
import { type WatchRun, watchGenerated } from "./watch.ts";

/** Where the CLI writes and what it resolves paths against (tests pass their own). */
export interface CliIo {
  readonly cwd: string;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Ends a `--watch` run (its promise then resolves 0). Without one it runs until the process ends. */
  readonly signal?: AbortSignal;
}

const USAGE =
  "usage: moonpool-codegen <files...> [--out DIR] [--check] [--watch] [--emit ts,json-schema,rust]";

interface Args {
  readonly files: string[];
  readonly out: string | undefined;
  readonly check: boolean;
  readonly watch: boolean;
  readonly emit: readonly EmitKind[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[], cwd: string): Args | "help" {
  const files: string[] = [];
  let out: string | undefined;
  let check = false;
  let watch = false;
  let emit: EmitKind[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") return "help";
    if (a === "--check") check = true;
    else if (a === "--watch") watch = true;
    else if (a === "--emit" || a.startsWith("--emit=")) {
      const value = a === "--emit" ? argv[++i] : a.slice("--emit=".length);
      if (value === undefined || value === "" || value.startsWith("--"))
        throw new UsageError(`--emit: expected a list of ${EMIT_KINDS.join(", ")}`);
      if (emit !== undefined) throw new UsageError("--emit: given twice");
      emit = [];
      for (const k of value.split(",")) {
        if (!EMIT_KINDS.includes(k as EmitKind))
          throw new UsageError(`--emit: unknown output "${k}" (expected ${EMIT_KINDS.join(", ")})`);
        if (!emit.includes(k as EmitKind)) emit.push(k as EmitKind);
      }
    } else if (a === "--out" || a.startsWith("--out=")) {
      const value = a === "--out" ? argv[++i] : a.slice("--out=".length);
      if (value === undefined || value === "" || value.startsWith("--"))
        throw new UsageError("--out: expected a directory after --out");
      if (out !== undefined) throw new UsageError("--out: given twice");
      if (existsSync(resolve(cwd, value)) && !statSync(resolve(cwd, value)).isDirectory())
        throw new UsageError(`--out: ${value} exists and is not a directory`);
      out = value;
    } else if (a.startsWith("-")) throw new UsageError(`${a}: unknown option`);
    else {
      const path = resolve(cwd, a);
      if (!existsSync(path)) throw new UsageError(`${a}: no such file`);
      if (!statSync(path).isFile()) throw new UsageError(`${a}: not a file`);
      if (!/\.(m|c)?ts$/.test(a) || /\.d\.(m|c)?ts$/.test(a))
        throw new UsageError(`${a}: expected a TypeScript source file (.ts)`);
      if (/\.service\.ts$/.test(a))
        throw new UsageError(`${a}: is a generated module; give its declaration file`);
      files.push(a);
    }
  }
  if (files.length === 0) throw new UsageError("<files...>: give at least one declaration file");
  if (check && watch) throw new UsageError("--watch: cannot be combined with --check");
  return { files, out, check, watch, emit: emit ?? ["ts"] };
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CodegenError) {
    for (const d of error.message.split("\n")) io.stderr(d);
    return 1;
  }
  if (error instanceof RangeError) {
    io.stderr(`moonpool-codegen: ${error.message}`);
    return 2;
  }
  throw error;
}

/**
 * Runs the CLI; returns the exit code. With `--watch` it returns a promise instead, resolved with 0
 * when `io.signal` aborts; each regeneration prints what it wrote or why it could not.
 */
export function runCli(argv: readonly string[], io: CliIo): number | Promise<number> {
  let args: Args | "help";
  try {
    args = parseArgs(argv, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`moonpool-codegen: ${error.message}`);
    io.stderr(USAGE);
    return 2;
  }
  if (args === "help") {
    io.stdout(USAGE);
    io.stdout("  --out DIR  write <name>.service.ts into DIR (default: beside each file)");
    io.stdout("  --check    write nothing; exit 1 naming each missing or stale output");
    io.stdout("  --watch    regenerate whenever a declaration (or a file it imports) changes");
    io.stdout("  --emit K   outputs, comma-separated (default ts):");
    io.stdout("             ts           <name>.service.ts: definition, handler, server, client, validators");
    io.stdout("             json-schema  <name>.schema.json: JSON Schema 2020-12 of the wire form");
    io.stdout("             rust         <name>.rs: serde types and the #[service] trait, method tokens");
    return 0;
  }
  const options = { cwd: io.cwd, emit: args.emit, ...(args.out !== undefined ? { out: args.out } : {}) };
  if (args.watch) return watchCli(args.files, options, io);
  try {
    if (args.check) {
      const problems = checkGenerated(args.files, options);
      for (const p of problems) io.stderr(p.message);
      if (problems.some((p) => p.kind === "reordered"))
        io.stderr(
          "moonpool-codegen: a method order changed: clients and servers of the old order no longer agree",
        );
      if (problems.length > 0) {
        io.stderr(
          `moonpool-codegen: ${problems.length} generated file(s) out of date: run moonpool-codegen without --check`,
        );
        return 1;
      }
      io.stdout(`moonpool-codegen: ${args.files.length} file(s) up to date`);
      return 0;
    }
    const changed = writeGenerated(generate(args.files, options));
    for (const path of changed) io.stdout(`wrote ${relative(io.cwd, path)}`);
    if (changed.length === 0) io.stdout("moonpool-codegen: nothing to do (outputs are current)");
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

async function watchCli(
  files: readonly string[],
  options: { cwd: string; emit: readonly EmitKind[]; out?: string },
  io: CliIo,
): Promise<number> {
  const onRun = ({ written, error }: WatchRun) => {
    if (error !== undefined) {
      const code = reportError(error, io);
      io.stderr(`moonpool-codegen: ${code === 1 ? "unsupported declaration" : "error"}; still watching`);
      return;
    }
    for (const path of written) io.stdout(`wrote ${relative(io.cwd, path)}`);
    if (written.length === 0) io.stdout("moonpool-codegen: outputs are current");
  };
  const watcher = watchGenerated(files, { ...options, onRun });
  await watcher.ready;
  io.stdout(`moonpool-codegen: watching ${files.length} file(s) and the files they use`);
  if (io.signal !== undefined) {
    const signal = io.signal;
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      else signal.addEventListener("abort", () => done(), { once: true });
    });
    await watcher.close();
  } else await new Promise<never>(() => {}); // until the process ends (Ctrl-C)
  return 0;
}

// The programmatic API behind `moonpool-codegen`: read declarations, emit one module per source
// file, write them, or check that the checked-in ones are current.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { CodegenError } from "./CodegenError.ts";
import { emitModule } from "./emit.ts";
import { formatSource } from "./internal/format.ts";
import { readTokens, tokenChanges } from "./internal/tokens.ts";
import { type ReadOptions, readDeclarations } from "./reader.ts";

/** Options of {@link generate} and {@link checkGenerated}. */
export interface GenerateOptions {
  /** Directory for the generated modules (default: beside each source file). */
  readonly out?: string;
  /** Base of relative paths (inputs, `out`, messages). Default: the current directory. */
  readonly cwd?: string;
  /** `"biome"` (default): format the output with the project's biome config; `"none"`: as emitted. */
  readonly format?: "biome" | "none";
  /** Module the generated code imports its helpers from. Default `"@moonpool/codegen/runtime"`. */
  readonly runtimeImport?: string;
  /** Passed to the reader. */
  readonly maxInlineDepth?: number;
}

/** One generated module. */
export interface GeneratedFile {
  /** Absolute path of the declaration file. */
  readonly source: string;
  /** Absolute path of the generated module. */
  readonly path: string;
  readonly content: string;
  /** Each service and its methods in token order (method `i` at `base.adjusted(i + 1)`). */
  readonly services: readonly { readonly name: string; readonly methods: readonly string[] }[];
}

/** A checked-in module that does not match its declaration. */
export interface CheckProblem {
  /** Path of the generated module, relative to `cwd`. */
  readonly path: string;
  /** `missing`: not written; `stale`: differs; `reordered`: differs and a method token changed. */
  readonly kind: "missing" | "stale" | "reordered";
  readonly message: string;
}

/** Where the module generated from `source` goes: `<name>.service.ts` beside it or in `out`. */
export function outputPath(source: string, out?: string): string {
  const name = `${basename(source).replace(/\.(m|c)?tsx?$/, "")}.service.ts`;
  return join(out ?? dirname(source), name);
}

/**
 * Generates the module of every file in `files` (in memory; see {@link writeGenerated}). Throws
 * {@link CodegenError} (every unsupported declaration, `file:line:column`) or a `RangeError`
 * naming a bad option.
 */
export function generate(files: readonly string[], options: GenerateOptions = {}): GeneratedFile[] {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.format !== undefined && options.format !== "biome" && options.format !== "none")
    throw new RangeError(`options.format: expected "biome" or "none", got ${JSON.stringify(options.format)}`);
  const sources = files.map((f) => resolve(cwd, f));
  for (const s of sources)
    if (!existsSync(s)) throw new RangeError(`files: ${relative(cwd, s)} does not exist`);
  const outDir = options.out === undefined ? undefined : resolve(cwd, options.out);
  const read: ReadOptions = {
    cwd,
    ...(options.maxInlineDepth !== undefined ? { maxInlineDepth: options.maxInlineDepth } : {}),
  };
  const models = readDeclarations(sources, read);
  const empty = models.filter((m) => m.services.length === 0);
  if (empty.length > 0) {
    throw new CodegenError(
      empty.map((m) => ({
        file: relative(cwd, m.file),
        line: 1,
        column: 1,
        message: "no exported interface tagged /** @service */ in this file",
      })),
    );
  }
  const paths = new Set<string>();
  return models.map((model) => {
    const path = outputPath(model.file, outDir);
    if (paths.has(path))
      throw new RangeError(`files: two inputs generate ${relative(cwd, path)} (same base name with --out)`);
    paths.add(path);
    const text = emitModule(model, {
      outFile: path,
      ...(options.runtimeImport !== undefined ? { runtimeImport: options.runtimeImport } : {}),
    });
    return {
      source: model.file,
      path,
      content: options.format === "none" ? text : formatSource(text, path),
      services: model.services.map((s) => ({ name: s.name, methods: s.methods.map((m) => m.name) })),
    };
  });
}

/** Writes generated modules; returns the paths whose content changed. */
export function writeGenerated(files: readonly GeneratedFile[]): string[] {
  const changed: string[] = [];
  for (const f of files) {
    if (existsSync(f.path) && readFileSync(f.path, "utf8") === f.content) continue;
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
    changed.push(f.path);
  }
  return changed;
}

/**
 * Compares the checked-in modules with what {@link generate} gives now. An empty list means
 * every output is current. A changed method order is reported as `reordered`, naming each method
 * whose token changed.
 */
export function checkGenerated(files: readonly string[], options: GenerateOptions = {}): CheckProblem[] {
  const cwd = resolve(options.cwd ?? process.cwd());
  const problems: CheckProblem[] = [];
  for (const f of generate(files, options)) {
    const path = relative(cwd, f.path);
    const source = relative(cwd, f.source);
    if (!existsSync(f.path)) {
      problems.push({ path, kind: "missing", message: `${path}: missing (generate it from ${source})` });
      continue;
    }
    const old = readFileSync(f.path, "utf8");
    if (old === f.content) continue;
    const changes = tokenChanges(readTokens(old), readTokens(f.content));
    problems.push(
      changes.length > 0
        ? { path, kind: "reordered", message: `${path}: method tokens changed: ${changes.join("; ")}` }
        : { path, kind: "stale", message: `${path}: stale (regenerate it from ${source})` },
    );
  }
  return problems;
}

// The programmatic API behind `moonpool-codegen`: read declarations, emit one module per source
// file, write them, or check that the checked-in ones are current.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { CodegenError } from "./CodegenError.ts";
import { emitModule, importPath } from "./emit.ts";
import { emitJsonSchema } from "./emitJsonSchema.ts";
import { emitRust } from "./emitRust.ts";
import { formatSource } from "./internal/format.ts";
import { readTokens, tokenChanges, tokenLine } from "./internal/tokens.ts";
import type { FileModel } from "./model.ts";
import { type ReadOptions, readDeclarations, snakeCase } from "./reader.ts";

/**
 * What to generate from each declaration file: `ts` (the TypeScript module, `<name>.service.ts`),
 * `json-schema` (a JSON Schema 2020-12 document of the wire form, `<name>.schema.json`) or `rust`
 * (serde types and the `#[service]` trait, `<name>.rs` with the name in snake_case).
 */
export type EmitKind = "ts" | "json-schema" | "rust";
/** Every {@link EmitKind}, in the order outputs are generated. */
export const EMIT_KINDS: readonly EmitKind[] = ["ts", "json-schema", "rust"];

/** Options of {@link generate} and {@link checkGenerated}. */
export interface GenerateOptions {
  /** Outputs per declaration file. Default `["ts"]`. */
  readonly emit?: readonly EmitKind[];
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
  /** Which output this is. */
  readonly kind: EmitKind;
  /** Absolute path of the declaration file. */
  readonly source: string;
  /** Absolute path of the generated module. */
  readonly path: string;
  readonly content: string;
  /** Every source file the output depends on (the declaration and the files of its message types), sorted. */
  readonly dependencies: readonly string[];
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

/**
 * Where output `kind` of `source` goes, beside it or in `out`: `<name>.service.ts`,
 * `<name>.schema.json` or `<snake_name>.rs`.
 */
export function outputPath(source: string, out?: string, kind: EmitKind = "ts"): string {
  const base = basename(source).replace(/\.(m|c)?tsx?$/, "");
  const name =
    kind === "ts"
      ? `${base}.service.ts`
      : kind === "json-schema"
        ? `${base}.schema.json`
        : `${snakeCase(base).replace(/[^a-z0-9_]/g, "_")}.rs`;
  return join(out ?? dirname(source), name);
}

function emitKinds(emit: readonly EmitKind[] | undefined): readonly EmitKind[] {
  if (emit === undefined) return ["ts"];
  if (!Array.isArray(emit) || emit.length === 0)
    throw new RangeError(`options.emit: expected a non-empty list of ${EMIT_KINDS.join(", ")}`);
  for (const k of emit)
    if (!EMIT_KINDS.includes(k))
      throw new RangeError(
        `options.emit: unknown output ${JSON.stringify(k)} (expected ${EMIT_KINDS.join(", ")})`,
      );
  return EMIT_KINDS.filter((k) => emit.includes(k));
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
  const kinds = emitKinds(options.emit);
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
  const out: GeneratedFile[] = [];
  for (const model of models) {
    const dependencies = [...new Set([model.file, ...model.types.map((t) => t.file)])].sort();
    for (const kind of kinds) {
      const path = outputPath(model.file, outDir, kind);
      if (paths.has(path))
        throw new RangeError(`files: two inputs generate ${relative(cwd, path)} (same base name with --out)`);
      paths.add(path);
      out.push({
        kind,
        source: model.file,
        path,
        content: emitOne(kind, model, path, options),
        dependencies,
        services: model.services.map((s) => ({ name: s.name, methods: s.methods.map((m) => m.name) })),
      });
    }
  }
  return out;
}

function emitOne(kind: EmitKind, model: FileModel, path: string, options: GenerateOptions): string {
  const source = importPath(path, model.file);
  if (kind === "rust") {
    const tokens = model.services.map((s) =>
      tokenLine(
        s.name,
        s.methods.map((m) => m.name),
      ),
    );
    return emitRust(model, source, tokens);
  }
  const text =
    kind === "ts"
      ? emitModule(model, {
          outFile: path,
          ...(options.runtimeImport !== undefined ? { runtimeImport: options.runtimeImport } : {}),
        })
      : emitJsonSchema(model, source);
  return options.format === "none" ? text : formatSource(text, path);
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
    const changes = f.kind === "json-schema" ? [] : tokenChanges(readTokens(old), readTokens(f.content));
    problems.push(
      changes.length > 0
        ? { path, kind: "reordered", message: `${path}: method tokens changed: ${changes.join("; ")}` }
        : { path, kind: "stale", message: `${path}: stale (regenerate it from ${source})` },
    );
  }
  return problems;
}

export { CodegenError, type Diagnostic, formatDiagnostic } from "./CodegenError.ts";
export { type CliIo, runCli } from "./cli.ts";
export { type EmitOptions, emitModule } from "./emit.ts";
export { emitJsonSchema } from "./emitJsonSchema.ts";
export { emitRust } from "./emitRust.ts";
export {
  type CheckProblem,
  checkGenerated,
  EMIT_KINDS,
  type EmitKind,
  type GeneratedFile,
  type GenerateOptions,
  generate,
  outputPath,
  writeGenerated,
} from "./generate.ts";
export type * from "./model.ts";
export { type ReadOptions, readDeclarations } from "./reader.ts";
export type * from "./types.ts";
export { type Watcher, type WatchOptions, type WatchRun, watchGenerated } from "./watch.ts";

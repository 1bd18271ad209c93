export { CodegenError, type Diagnostic, formatDiagnostic } from "./CodegenError.ts";
export type * from "./model.ts";
export { type ReadOptions, readDeclarations } from "./reader.ts";
export type * from "./types.ts";

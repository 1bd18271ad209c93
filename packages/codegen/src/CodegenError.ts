import type { SourceLocation } from "./model.ts";

/** One declaration the generator cannot support, with where it is and why. */
export interface Diagnostic extends SourceLocation {
  readonly message: string;
}

/** Formats a diagnostic as `file:line:column: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** The declarations could not be read: every problem found, each with its location. */
export class CodegenError extends Error {
  override readonly name = "CodegenError";
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.diagnostics = diagnostics;
  }
}

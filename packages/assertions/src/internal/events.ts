// Shared plumbing of the assertion functions: slot lookup with kind-conflict detection,
// violation and discovery delivery, logging and the optional Antithesis output. Everything here
// swallows its own failures: an assertion call never throws.

import type { AssertionDiscovery, DiscoveryReason } from "../hooks.ts";
import type { AssertionKind } from "../kinds.ts";
import type { AssertionTable } from "../table.ts";
import { type AntithesisOutput, openAntithesisOutput } from "./antithesis.ts";
import { stringifySafe, toJsonSafe } from "./details.ts";
import { currentTable, type Registry, registry } from "./registry.ts";

/** The registry, resolved once: it is never replaced, only mutated. */
export const REG: Registry = registry();

/** The table of the running process (created on first use). */
export function table(): AssertionTable {
  return REG.table ?? currentTable(REG);
}

/** Records a misuse once (it shows up in contract validation). */
export function noteProblem(key: string, description: string): void {
  if (!REG.problems.has(key)) REG.problems.set(key, description);
}

/** Writes one log line through the configured writer; never throws. */
export function logLine(line: string): void {
  const writer = REG.log;
  if (writer === null) return;
  try {
    if (writer !== undefined) {
      writer(line);
      return;
    }
    const stderr = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process?.stderr;
    if (stderr !== undefined) stderr.write(`${line}\n`);
    else console.error(line);
  } catch {
    // A broken log sink must not turn an assertion into a throw.
  }
}

/** Writes a log line once per run and thread for `key`. */
export function logOnce(key: string, line: string): void {
  if (REG.loggedOnce.has(key)) return;
  REG.loggedOnce.add(key);
  logLine(line);
}

/** The Antithesis output, resolved from the environment on first use; null when off. */
export function output(): AntithesisOutput | null {
  let out = REG.output;
  if (out === undefined) {
    out = openAntithesisOutput((problem) => {
      noteProblem(`output:${problem}`, problem);
      logLine(`[moonpool assertions] ${problem}`);
    });
    REG.output = out;
  }
  return out;
}

/**
 * The slot of `message` for an assertion of `kind` (-1 when the table is full). Using one
 * message with two kinds is recorded as a problem; the slot keeps its first kind.
 */
export function slotOf(t: AssertionTable, message: string, kind: AssertionKind): number {
  const index = t.slotFor(message, kind);
  if (index < 0) {
    if (!REG.dropped.has(message)) REG.dropped.add(message);
    logOnce(
      "overflow:slots",
      `[moonpool assertions] assertion table full (capacity ${t.slotCapacity}): "${message}" and any further ` +
        "new assertion are not recorded; create a bigger table with createAssertionTable({ slots })",
    );
    return -1;
  }
  const stored = t.slotKind(index);
  if (stored !== kind) {
    noteProblem(
      `kind:${message}`,
      `"${message}" is used as ${kind} but was first seen as ${String(stored)}; one message must name one assertion`,
    );
  }
  return index;
}

/**
 * Delivers a violation: counts it, logs it once per assertion (per run) with its details, and
 * calls the violation hook. `firstFailure` is the slot's latch result (or, for an assertion the
 * full table dropped, whether this thread has not logged it yet).
 */
export function violation(
  t: AssertionTable,
  kind: AssertionKind,
  message: string,
  firstFailure: boolean,
  details: unknown,
): void {
  t.countViolation();
  const hooks = REG.hooks;
  const safe = details === undefined ? undefined : toJsonSafe(details);
  if (firstFailure) {
    const tag = kind === "unreachable" ? "[UNREACHABLE REACHED]" : "[ASSERTION FAILED]";
    const suffix = safe === undefined ? "" : ` | ${stringifySafe(safe)}`;
    logLine(`${tag} ${kind} "${message}"${suffix}`);
  }
  if (hooks === null) return;
  try {
    hooks.onViolation(safe === undefined ? { message, kind } : { message, kind, details: safe });
  } catch (e) {
    noteProblem(
      "hook:onViolation",
      `the onViolation hook threw: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Counts a discovery and calls the discovery hook. */
export function discovery(
  t: AssertionTable,
  kind: AssertionKind,
  message: string,
  reason: DiscoveryReason,
  id: number,
  extra?: { value?: number; bucket?: string; quality?: number[]; repeat?: boolean },
): void {
  // A repeat (new since a re-arm, known to the run) is not new coverage for the run.
  if (extra?.repeat !== true) t.countDiscovery();
  const hook = REG.hooks?.onDiscovery;
  if (hook === undefined) return;
  const d: AssertionDiscovery = { message, kind, reason, id };
  if (extra?.repeat === true) d.repeat = true;
  if (extra?.value !== undefined) d.value = extra.value;
  if (extra?.bucket !== undefined) d.bucket = extra.bucket;
  if (extra?.quality !== undefined) d.quality = extra.quality;
  try {
    hook.call(REG.hooks, d);
  } catch (e) {
    noteProblem(
      "hook:onDiscovery",
      `the onDiscovery hook threw: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

// What the assertion layer tells the outside world: violations (the simulator fails the seed),
// discoveries (the explorer splits timelines, untilCoverageStable watches for progress) and a
// log line per violated assertion.

import type { JsonValue } from "./internal/details.ts";
import { registry } from "./internal/registry.ts";

/** A violated always-type assertion or a reached unreachable. */
export interface AssertionViolation {
  message: string;
  kind: string;
  /** The call's details (merged with `left`/`right` or the conditions), as plain JSON data. */
  details?: JsonValue;
}

/** Why a discovery fired. */
export type DiscoveryReason =
  /** First passing evaluation of a sometimes-type assertion or first reach of a reachable. */
  | "first-hit"
  /** A numeric sometimes assertion's watermark improved. */
  | "watermark"
  /** A sometimesAll frontier grew (more conditions true at once than ever before). */
  | "frontier"
  /** A sometimesEach call produced a bucket never seen before. */
  | "new-bucket"
  /** A sometimesEach bucket got a better quality score. */
  | "quality";

/** Something new was covered. */
export interface AssertionDiscovery {
  message: string;
  kind: string;
  reason: DiscoveryReason;
  /**
   * Stable 32-bit identity of what was discovered (the assertion, or the bucket for
   * sometimesEach), the same in every process: index a coverage bitmap with it.
   */
  id: number;
  /** The new watermark (margin `left - right`) or frontier, when the reason has one. */
  value?: number;
  /** sometimesEach: the bucket's identity keys, e.g. `floor=3, room=7`. */
  bucket?: string;
  /** sometimesEach: the bucket's quality vector, when given. */
  quality?: number[];
  /**
   * Set when this is new only since the last `rearmDiscoveries()` (the run had seen it before):
   * a first hit or a bucket hit again. Repeats are not counted in `coverageState().discoveries`.
   */
  repeat?: true;
}

/** Callbacks a runner installs. Both are called synchronously inside the assertion call. */
export interface AssertionHooks {
  /** Called on every violation (not only the first per assertion). */
  onViolation(v: AssertionViolation): void;
  /** Called on every discovery. */
  onDiscovery?(d: AssertionDiscovery): void;
}

/**
 * Installs the process's assertion hooks (`null` removes them). The simulator installs its own
 * for the duration of a run; without hooks, violations are only recorded and logged.
 *
 * @example
 * setAssertionHooks({ onViolation: (v) => failSeed(v.message), onDiscovery: (d) => seen.push(d) });
 */
export function setAssertionHooks(hooks: AssertionHooks | null): void {
  if (hooks !== null && (typeof hooks !== "object" || typeof hooks.onViolation !== "function")) {
    throw new TypeError("hooks must be null or an object with an onViolation function");
  }
  registry().hooks = hooks;
}

/** The installed hooks, or null. */
export function assertionHooks(): AssertionHooks | null {
  return registry().hooks;
}

/**
 * Where violation log lines go: a function receiving each line, `null` for silence, or
 * `undefined` for the default (stderr, or `console.error` where there is no process).
 */
export function setAssertionLog(writer: ((line: string) => void) | null | undefined): void {
  if (writer !== null && writer !== undefined && typeof writer !== "function") {
    throw new TypeError("writer must be a function, null or undefined");
  }
  registry().log = writer;
}

// The assertion gate: a callback that sees every assertion call before it does anything, and
// may skip it. An explorer re-executing a timeline's prefix uses it to count assertion calls
// (a child goes live right after the call that split its parent) and to keep the prefix from
// being accounted twice.

import { registry } from "./internal/registry.ts";
import type { AssertionKind } from "./kinds.ts";

/**
 * Called synchronously at the start of every assertion call with its kind. Return false to
 * skip the call entirely: no accounting, no discovery, no violation, no output.
 */
export type AssertionGate = (kind: AssertionKind) => boolean;

/**
 * Installs the process's assertion gate (`null` removes it). Without a gate every call counts.
 *
 * @example
 * let calls = 0;
 * setAssertionGate(() => ++calls > prefixCalls); // skip the first prefixCalls calls
 */
export function setAssertionGate(gate: AssertionGate | null): void {
  if (gate !== null && typeof gate !== "function") {
    throw new TypeError("gate must be null or a function (kind) => boolean");
  }
  registry().gate = gate;
}

/** The installed gate, or null. */
export function assertionGate(): AssertionGate | null {
  return registry().gate ?? null;
}

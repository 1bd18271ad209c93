// The catalog: assertions declared before they run, so that one never evaluated is visible.
// Without it an assertion only exists once it is hit, and "this always never ran" or "this
// reachable was never reached" cannot be told apart from "this assertion does not exist".

import { noteProblem, output, REG, slotOf, table } from "./internal/events.ts";
import { ASSERTION_KINDS, type AssertionKind, isAssertionKind } from "./kinds.ts";

/** A catalog entry. */
export interface CatalogEntry {
  kind: AssertionKind;
  message: string;
}

/**
 * Declares an assertion before it runs. It then appears in the report from the start (status
 * "miss" until it is evaluated, for kinds that must be hit), and contract validation reports
 * it as a coverage gap if the run never gets there. Registering the same (kind, message) twice
 * is harmless; the same message with another kind is an error. The catalog survives
 * `resetAssertions()`.
 *
 * @example
 * registerAssertion("reachable", "leader elected");
 */
export function registerAssertion(kind: AssertionKind, message: string): void {
  if (!isAssertionKind(kind)) {
    throw new TypeError(
      `kind must be one of ${ASSERTION_KINDS.join(", ")}; got ${JSON.stringify(String(kind))}`,
    );
  }
  if (typeof message !== "string") {
    throw new TypeError(`message must be a string; got ${typeof message}`);
  }
  const known = REG.catalog.get(message);
  if (known !== undefined && known !== kind) {
    throw new TypeError(
      `message "${message}" is already registered as ${known}; cannot register it as ${kind}`,
    );
  }
  REG.catalog.set(message, kind);
  slotOf(table(), message, kind);
  if (known === undefined) output()?.declare(kind, message);
}

/**
 * Declares several assertions at once, as `[kind, message]` pairs or `{ kind, message }`
 * objects; e.g. a module lists its assertion sites next to its code.
 *
 * @example
 * registerAssertions([["always", "no lost writes"], ["sometimes", "a write was retried"]]);
 */
export function registerAssertions(
  entries: Iterable<
    readonly [AssertionKind, string] | { readonly kind: AssertionKind; readonly message: string }
  >,
): void {
  if (entries === null || typeof (entries as Iterable<unknown>)?.[Symbol.iterator] !== "function") {
    throw new TypeError("entries must be an iterable of [kind, message] pairs or { kind, message } objects");
  }
  for (const entry of entries) {
    if (Array.isArray(entry)) registerAssertion(entry[0] as AssertionKind, entry[1] as string);
    else {
      const e = entry as { kind: AssertionKind; message: string };
      registerAssertion(e.kind, e.message);
    }
  }
}

/** The catalog, in registration order. */
export function assertionCatalog(): CatalogEntry[] {
  return [...REG.catalog].map(([message, kind]) => ({ kind, message }));
}

/** Empties the catalog (the table keeps its slots until the next `resetAssertions()`). */
export function clearAssertionCatalog(): void {
  REG.catalog.clear();
}

/** Re-declares every catalog entry in the current table (after a clear or a table swap). */
export function redeclareCatalog(): void {
  const t = table();
  const out = output();
  for (const [message, kind] of REG.catalog) {
    slotOf(t, message, kind);
    out?.declare(kind, message);
  }
  if (REG.catalog.size > 0 && t.usage.droppedAssertions > 0) {
    noteProblem("catalog:overflow", "the catalog does not fit in the assertion table");
  }
}

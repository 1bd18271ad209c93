// Run boundaries and table placement: reset at the start of a run, and installing or attaching
// a (shared) table so worker threads account into one place.

import { redeclareCatalog } from "./catalog.ts";
import { REG, table } from "./internal/events.ts";
import { AssertionTable } from "./table.ts";

/**
 * Starts a run: clears every count, latch, watermark, frontier, bucket and recorded problem of
 * the current table (and of every thread attached to it), keeps the catalog and the hooks, and
 * re-reads ANTITHESIS_SDK_LOCAL_OUTPUT. Counts then accumulate over all seeds of the run; call
 * it only at run start, never between seeds, and only while no thread evaluates assertions.
 */
export function resetAssertions(): void {
  table().clear();
  REG.problems.clear();
  REG.dropped.clear();
  REG.droppedLogged.clear();
  REG.loggedOnce.clear();
  REG.output = undefined;
  redeclareCatalog();
}

/**
 * Re-arms discoveries without touching the accounting: the next pass of every sometimes /
 * reachable and the next hit of every sometimesEach bucket fire a discovery again, flagged
 * `repeat: true` (and not counted in `coverageState().discoveries`, which measures coverage new
 * to the run). Watermarks, frontiers and quality scores keep their run-wide best. Meant for an
 * explorer that splits afresh in each root seed (moonpool's per-seed split-trigger reset).
 */
export function rearmDiscoveries(): void {
  table().rearm();
}

/** The process's current table (created with default sizes on first use). */
export function assertionTable(): AssertionTable {
  return table();
}

/**
 * Makes `t` the process's table. The catalog is declared in it. Typical use: the coordinator
 * creates a bigger or shared table before a run and installs it.
 */
export function installAssertionTable(t: AssertionTable): void {
  if (!(t instanceof AssertionTable) && !(t !== null && typeof t === "object" && "slotFor" in t)) {
    throw new TypeError("table must be an AssertionTable (see createAssertionTable)");
  }
  REG.table = t;
  redeclareCatalog();
}

/**
 * In a worker thread: attaches to the table held by `buffer` (a SharedArrayBuffer received from
 * the thread that created it) and makes it this thread's table, so its assertions count into
 * the shared table.
 *
 * @example
 * // main:   worker.postMessage(assertionTable().buffer)
 * // worker: parentPort.once("message", (buffer) => attachAssertionTable(buffer))
 */
export function attachAssertionTable(buffer: SharedArrayBuffer | ArrayBuffer): AssertionTable {
  if (
    !(buffer instanceof ArrayBuffer) &&
    !(typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer)
  ) {
    throw new TypeError("buffer must be the SharedArrayBuffer of an assertion table");
  }
  const t = new AssertionTable(buffer);
  installAssertionTable(t);
  return t;
}

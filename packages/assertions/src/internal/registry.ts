// The process-wide assertion registry. It lives at globalThis[Symbol.for("moonpool.assertions")]
// so two copies of this package in one process (the CLI's and the user's) share one table, one
// set of hooks and one catalog.

import type { AssertionHooks } from "../hooks.ts";
import type { AssertionKind } from "../kinds.ts";
import { type AssertionTable, createAssertionTable } from "../table.ts";
import type { AntithesisOutput } from "./antithesis.ts";

/** Shared state of the assertion layer. */
export interface Registry {
  /** Bumped if the registry's shape changes incompatibly. */
  readonly shape: 1;
  /** The accounting table; created on first use. */
  table: AssertionTable | null;
  hooks: AssertionHooks | null;
  /** Called before every assertion call; false skips the call entirely (explorer replay). */
  gate?: ((kind: AssertionKind) => boolean) | null;
  /** Violation log writer: undefined = default (stderr), null = silent. */
  log: ((line: string) => void) | null | undefined;
  /** Assertions declared before they run: message -> kind. Survives resets. */
  readonly catalog: Map<string, AssertionKind>;
  /** Misuse found while running (kind conflicts, ignored quality keys): key -> description. */
  readonly problems: Map<string, string>;
  /** Dropped (table full) messages seen by this thread, for the report. */
  readonly dropped: Set<string>;
  /** Dropped messages whose first failure this thread already logged (no slot latch to use). */
  readonly droppedLogged: Set<string>;
  /** Keys of one-off log lines already written in this run (table overflow). */
  readonly loggedOnce: Set<string>;
  /** Antithesis JSON-lines output: undefined = not resolved yet, null = off. */
  output: AntithesisOutput | null | undefined;
}

const KEY = Symbol.for("moonpool.assertions");

type Holder = { [KEY]?: Registry };

/** The process's registry (created on first use). */
export function registry(): Registry {
  const g = globalThis as Holder;
  let r = g[KEY];
  if (r === undefined) {
    r = {
      shape: 1,
      table: null,
      hooks: null,
      log: undefined,
      catalog: new Map(),
      problems: new Map(),
      dropped: new Set(),
      droppedLogged: new Set(),
      loggedOnce: new Set(),
      output: undefined,
    };
    g[KEY] = r;
  }
  return r;
}

/** The registry's table, created with default sizes on first use. */
export function currentTable(r: Registry): AssertionTable {
  let t = r.table;
  if (t === null) {
    t = createAssertionTable();
    r.table = t;
  }
  return t;
}

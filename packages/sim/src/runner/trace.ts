/**
 * The structured trace of one seed: every event a user (`ctx.trace`), a device or the runner
 * recorded, in order, with its virtual time. Invariants query it after every engine event; it
 * is exported as JSON (`moonpool run --trace out.json`) and digested into the seed's
 * `traceHash`.
 */
import { InvalidArgumentError } from "@moonpool/core";
import type { TraceFields } from "../engine/kernel.ts";
import { Digest } from "./internal/digest.ts";

export type { TraceFields } from "../engine/kernel.ts";

/** One recorded event. `seq` restarts at 0 every seed. */
export interface TraceEvent {
  readonly seq: number;
  /** Virtual time in ms when the event was recorded. */
  readonly timeMs: number;
  /** Who recorded it: an actor name, "sim" for the runner, or a device name. */
  readonly source: string;
  readonly name: string;
  readonly fields: TraceFields;
}

/**
 * A cursor for `TraceQuery.since`: any object (its identity) or a string key. Positions live in
 * the seed's trace, so a cursor created once (e.g. in an invariant's closure) starts from the
 * beginning again in every seed.
 */
export type TraceCursor = object | string;

/**
 * Read access to the current seed's trace, given to invariants.
 *
 * @example
 * ```ts
 * const cursor = {};
 * builder.invariant("one leader per term", (trace) => {
 *   for (const e of trace.since("elected", cursor)) leaders.add(`${e.fields.term}`);
 * });
 * ```
 */
export interface TraceQuery {
  /** Events named `name` recorded since the last call with this cursor; advances it. */
  since(name: string, cursor: TraceCursor): readonly TraceEvent[];
  /** Every event named `name` in this seed (empty when none). */
  snapshot(name: string): readonly TraceEvent[];
  /** How many events named `name` were recorded in this seed. */
  count(name: string): number;
  /** The most recent event named `name`, if any. */
  last(name: string): TraceEvent | undefined;
  /** Every event of this seed, in order. */
  all(): readonly TraceEvent[];
  /** Events matching `predicate`, in order. */
  filter(predicate: (event: TraceEvent) => boolean): TraceEvent[];
}

const EMPTY: readonly TraceEvent[] = Object.freeze([]);

/** Records one seed's trace and maintains its digest. */
export class TraceRecorder implements TraceQuery {
  private readonly events: TraceEvent[] = [];
  private readonly byName = new Map<string, TraceEvent[]>();
  private readonly cursors = new Map<TraceCursor, Map<string, number>>();
  private readonly digest = new Digest();
  /** Draw counts of the counted stream at each event (only kept when asked, for diagnosis). */
  readonly drawsAt: number[] | null;

  constructor(options: { keepDraws?: boolean } = {}) {
    this.drawsAt = options.keepDraws ? [] : null;
  }

  /** Appends an event (fields are assumed valid: see `checkTraceFields`). */
  record(timeMs: number, source: string, name: string, fields: TraceFields | undefined, draws = 0): void {
    const event: TraceEvent = { seq: this.events.length, timeMs, source, name, fields: fields ?? {} };
    this.events.push(event);
    this.drawsAt?.push(draws);
    let list = this.byName.get(name);
    if (list === undefined) {
      list = [];
      this.byName.set(name, list);
    }
    list.push(event);
    const d = this.digest;
    d.number(timeMs).text(source).text(name);
    if (fields !== undefined) {
      for (const key in fields) {
        const value = fields[key]!;
        d.text(key).text(`${(typeof value)[0]}${String(value)}`);
      }
    }
    d.text("\n");
  }

  /** Digest of every event so far (time, source, name, fields). */
  hex(): string {
    return this.digest.hex();
  }

  get length(): number {
    return this.events.length;
  }

  since(name: string, cursor: TraceCursor): readonly TraceEvent[] {
    let positions = this.cursors.get(cursor);
    if (positions === undefined) {
      positions = new Map();
      this.cursors.set(cursor, positions);
    }
    const list = this.byName.get(name);
    const from = positions.get(name) ?? 0;
    if (list === undefined || from >= list.length) return EMPTY;
    positions.set(name, list.length);
    return list.slice(from);
  }

  snapshot(name: string): readonly TraceEvent[] {
    return this.byName.get(name)?.slice() ?? EMPTY;
  }

  count(name: string): number {
    return this.byName.get(name)?.length ?? 0;
  }

  last(name: string): TraceEvent | undefined {
    const list = this.byName.get(name);
    return list?.[list.length - 1];
  }

  all(): readonly TraceEvent[] {
    return this.events;
  }

  filter(predicate: (event: TraceEvent) => boolean): TraceEvent[] {
    return this.events.filter(predicate);
  }
}

/**
 * Throws a clear error unless `name` is a non-empty string and every field is a scalar
 * (string, number, boolean or bigint); objects, arrays, functions, undefined, and hence cyclic
 * structures are rejected, naming the field.
 */
export function checkTraceFields(name: unknown, fields: unknown): asserts fields is TraceFields | undefined {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidArgumentError("trace(name)", `expected a non-empty string, got ${describe(name)}`);
  }
  if (fields === undefined) return;
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new InvalidArgumentError(
      `trace("${name}", fields)`,
      `expected a plain object of scalars, got ${describe(fields)}`,
    );
  }
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key];
    const t = typeof value;
    if (t === "string" || t === "number" || t === "boolean" || t === "bigint") continue;
    const cyclic = value !== null && t === "object" && refersTo(value as object, fields);
    throw new InvalidArgumentError(
      `trace("${name}", fields.${key})`,
      `trace fields must be string, number, boolean or bigint, got ${describe(value)}${cyclic ? " (cyclic)" : ""}`,
    );
  }
}

function refersTo(value: object, target: object, seen = new Set<object>()): boolean {
  if (value === target) return true;
  if (seen.has(value)) return true;
  seen.add(value);
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === "object" && refersTo(v, target, seen)) return true;
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** JSON replacer: bigints become decimal strings, non-finite numbers become strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString(10);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** A trace as plain JSON-safe data (bigints as decimal strings). */
export function traceToJSON(events: readonly TraceEvent[]): object[] {
  return JSON.parse(JSON.stringify(events, jsonReplacer)) as object[];
}

/** One event as canonical JSON text (used to compare two runs of a seed). */
export function eventText(event: TraceEvent): string {
  return JSON.stringify(event, jsonReplacer);
}

// The assertion functions, with the Antithesis SDK's names and argument order. None of them
// throws: a failure inside the accounting is recorded as a problem (see contract validation),
// and a violated always-type assertion is delivered to the violation hook instead of thrown.

import { bucketLabel, lookupBucket, qualityVector } from "./internal/buckets.ts";
import { mergeDetails } from "./internal/details.ts";
import { discovery, logOnce, noteProblem, output, REG, slotOf, table, violation } from "./internal/events.ts";
import { type AssertionKind, NUMERIC_MAXIMIZE } from "./kinds.ts";
import {
  type AssertionTable,
  FIRST_PASS,
  FIRST_PASS_AGAIN,
  NOT_FIRST,
  WATERMARK_IMPROVED,
  WATERMARK_KEPT,
} from "./table.ts";

const AGAIN = { repeat: true } as const;

/** Details attached to an assertion: any object; serialised safely (bigints, cycles). */
export type AssertionDetails = Record<string, unknown>;

/** A number or a bigint (comparisons across the two are exact). */
export type Numeric = number | bigint;

function text(message: unknown): string {
  if (typeof message === "string") return message;
  try {
    return String(message);
  } catch {
    return "[unprintable message]";
  }
}

function internalError(where: string, e: unknown): void {
  noteProblem(
    `internal:${where}`,
    `${where} failed inside the accounting: ${e instanceof Error ? e.message : String(e)}`,
  );
}

/** Asks the installed gate whether this call counts; a throwing gate lets the call count. */
function passGate(kind: AssertionKind): boolean {
  try {
    return REG.gate?.(kind) !== false;
  } catch (e) {
    internalError("gate", e);
    return true;
  }
}

/** Whether this is the first failure (to log): the slot's latch, or per thread for a dropped one. */
function firstFailure(t: AssertionTable, slot: number, message: string): boolean {
  if (slot >= 0) return t.recordFail(slot);
  if (REG.droppedLogged.has(message)) return false;
  REG.droppedLogged.add(message);
  return true;
}

function booleanAssertion(
  kind: AssertionKind,
  condition: unknown,
  rawMessage: unknown,
  details: unknown,
): void {
  if (REG.gate && !passGate(kind)) return;
  try {
    const message = text(rawMessage);
    const t = table();
    const slot = slotOf(t, message, kind);
    const ok = Boolean(condition);
    const mustHold = kind === "always" || kind === "alwaysOrUnreachable" || kind === "alwaysSome";
    if (ok) {
      const first = slot >= 0 ? t.recordPass(slot) : NOT_FIRST;
      if (first !== NOT_FIRST && !mustHold) {
        discovery(t, kind, message, "first-hit", t.slotHash(slot), first === FIRST_PASS ? undefined : AGAIN);
      }
    } else if (mustHold) {
      violation(t, kind, message, firstFailure(t, slot, message), details);
    } else if (slot >= 0) {
      t.recordFail(slot);
    }
    const out = REG.output === null ? null : output();
    if (out !== null) out.evaluate(kind, message, ok, () => details);
  } catch (e) {
    internalError(kind, e);
  }
}

/**
 * Asserts that `condition` holds every time this line runs, and that it runs at least once.
 * A false condition is a violation: the running simulation fails the seed.
 *
 * @example
 * always(balance >= 0, "balance never negative", { balance });
 */
export function always(condition: boolean, message: string, details?: AssertionDetails): void {
  booleanAssertion("always", condition, message, details);
}

/** Like {@link always}, but passes when the line never runs. */
export function alwaysOrUnreachable(condition: boolean, message: string, details?: AssertionDetails): void {
  booleanAssertion("alwaysOrUnreachable", condition, message, details);
}

/**
 * Asserts that `condition` holds at least once over the run (a coverage goal, never a
 * violation). The first time it holds is a discovery.
 *
 * @example
 * sometimes(retries > 0, "a request was retried");
 */
export function sometimes(condition: boolean, message: string, details?: AssertionDetails): void {
  booleanAssertion("sometimes", condition, message, details);
}

/** Asserts that this line is reached at least once over the run (a coverage goal). */
export function reachable(message: string, details?: AssertionDetails): void {
  booleanAssertion("reachable", true, message, details);
}

/** Asserts that this line is never reached: reaching it is a violation. */
export function unreachable(message: string, details?: AssertionDetails): void {
  if (REG.gate && !passGate("unreachable")) return;
  try {
    const m = text(message);
    const t = table();
    const slot = slotOf(t, m, "unreachable");
    violation(t, "unreachable", m, firstFailure(t, slot, m), details);
    const out = REG.output === null ? null : output();
    if (out !== null) out.evaluate("unreachable", m, false, () => details);
  } catch (e) {
    internalError("unreachable", e);
  }
}

function isNumeric(v: unknown): v is Numeric {
  return typeof v === "number" || typeof v === "bigint";
}

function compare(kind: AssertionKind, left: unknown, right: unknown): boolean {
  if (!isNumeric(left) || !isNumeric(right)) return false;
  switch (kind) {
    case "alwaysGreaterThan":
    case "sometimesGreaterThan":
      return left > right;
    case "alwaysGreaterThanOrEqualTo":
    case "sometimesGreaterThanOrEqualTo":
      return left >= right;
    case "alwaysLessThan":
    case "sometimesLessThan":
      return left < right;
    default:
      return left <= right;
  }
}

function margin(left: unknown, right: unknown): number {
  if (typeof left === "bigint" && typeof right === "bigint") return Number(left - right);
  if (!isNumeric(left) || !isNumeric(right)) return Number.NaN;
  return Number(left) - Number(right);
}

function numericAssertion(
  kind: AssertionKind,
  left: unknown,
  right: unknown,
  rawMessage: unknown,
  details: AssertionDetails | undefined,
): void {
  if (REG.gate && !passGate(kind)) return;
  try {
    const message = text(rawMessage);
    const t = table();
    const slot = slotOf(t, message, kind);
    const ok = compare(kind, left, right);
    const maximize = NUMERIC_MAXIMIZE[kind] === true;
    const m = margin(left, right);
    // The first value only sets the watermark; a discovery needs a value beating an earlier one.
    const mark = slot >= 0 ? t.offerWatermark(slot, m, maximize) : WATERMARK_KEPT;
    const improved = mark === WATERMARK_IMPROVED;
    const mustHold = kind.startsWith("always");
    if (mustHold) {
      if (ok) {
        if (slot >= 0) t.recordPass(slot);
      } else {
        violation(
          t,
          kind,
          message,
          firstFailure(t, slot, message),
          mergeDetails(() => ({ left, right }), details),
        );
      }
    } else {
      let first = NOT_FIRST;
      if (ok) first = slot >= 0 ? t.recordPass(slot) : NOT_FIRST;
      else if (slot >= 0) t.recordFail(slot);
      if (improved)
        discovery(t, kind, message, first === FIRST_PASS ? "first-hit" : "watermark", t.slotHash(slot), {
          value: m,
        });
      else if (first !== NOT_FIRST) {
        discovery(t, kind, message, "first-hit", t.slotHash(slot), {
          value: m,
          repeat: first === FIRST_PASS_AGAIN,
        });
      }
    }
    const out = REG.output === null ? null : output();
    if (out !== null) {
      out.evaluate(kind, message, ok, () => mergeDetails(() => ({ left, right }), details));
      if (mark !== WATERMARK_KEPT) out.guidance(message, "numeric", maximize, { left, right });
    }
  } catch (e) {
    internalError(kind, e);
  }
}

/** Asserts `left > right` every time (a violation otherwise); tracks the smallest margin. */
export function alwaysGreaterThan(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("alwaysGreaterThan", left, right, message, details);
}

/** Asserts `left >= right` every time; tracks the smallest margin. */
export function alwaysGreaterThanOrEqualTo(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("alwaysGreaterThanOrEqualTo", left, right, message, details);
}

/** Asserts `left < right` every time; tracks the largest margin. */
export function alwaysLessThan(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("alwaysLessThan", left, right, message, details);
}

/** Asserts `left <= right` every time; tracks the largest margin. */
export function alwaysLessThanOrEqualTo(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("alwaysLessThanOrEqualTo", left, right, message, details);
}

/**
 * Asserts `left > right` at least once; the largest margin `left - right` seen is the watermark
 * and each improvement is a discovery.
 *
 * @example
 * sometimesGreaterThan(floor, 3, "got past floor 3");
 */
export function sometimesGreaterThan(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("sometimesGreaterThan", left, right, message, details);
}

/** Asserts `left >= right` at least once; tracks the largest margin. */
export function sometimesGreaterThanOrEqualTo(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("sometimesGreaterThanOrEqualTo", left, right, message, details);
}

/** Asserts `left < right` at least once; tracks the smallest margin. */
export function sometimesLessThan(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("sometimesLessThan", left, right, message, details);
}

/** Asserts `left <= right` at least once; tracks the smallest margin. */
export function sometimesLessThanOrEqualTo(
  left: Numeric,
  right: Numeric,
  message: string,
  details?: AssertionDetails,
): void {
  numericAssertion("sometimesLessThanOrEqualTo", left, right, message, details);
}

function countTrue(conditions: unknown): { trues: number; width: number } {
  if (conditions === null || typeof conditions !== "object") return { trues: 0, width: 0 };
  const record = conditions as Record<string, unknown>;
  const names = Object.keys(record);
  let trues = 0;
  for (let i = 0; i < names.length; i++) if (record[names[i]!]) trues++;
  return { trues, width: names.length };
}

/**
 * Asserts that at least one of the named conditions holds every time (a violation when none
 * does). Like `always(a || b || ...)`, without short-circuiting.
 */
export function alwaysSome(
  conditions: Record<string, boolean>,
  message: string,
  details?: AssertionDetails,
): void {
  let any = false;
  try {
    any = countTrue(conditions).trues > 0;
  } catch (e) {
    internalError("alwaysSome", e);
  }
  booleanAssertion("alwaysSome", any, message, any ? details : mergeDetails(() => conditions, details));
}

/**
 * Asserts that all the named conditions hold at once at least once. The frontier (most
 * conditions true at once) is tracked and each growth is a discovery, which guides the
 * explorer towards the state where all hold.
 */
export function sometimesAll(
  conditions: Record<string, boolean>,
  message: string,
  details?: AssertionDetails,
): void {
  if (REG.gate && !passGate("sometimesAll")) return;
  try {
    const m = text(message);
    const t = table();
    const slot = slotOf(t, m, "sometimesAll");
    const { trues, width } = countTrue(conditions);
    const all = trues === width;
    const grew = slot >= 0 && t.raiseFrontier(slot, trues, width);
    let first = NOT_FIRST;
    if (all) first = slot >= 0 ? t.recordPass(slot) : NOT_FIRST;
    else if (slot >= 0) t.recordFail(slot);
    if (grew) discovery(t, "sometimesAll", m, "frontier", t.slotHash(slot), { value: trues });
    else if (first !== NOT_FIRST) {
      discovery(t, "sometimesAll", m, "first-hit", t.slotHash(slot), {
        value: trues,
        repeat: first === FIRST_PASS_AGAIN,
      });
    }
    const out = REG.output === null ? null : output();
    if (out !== null) {
      out.evaluate("sometimesAll", m, all, () => mergeDetails(() => conditions, details));
      if (grew) out.guidance(m, "boolean", true, conditions);
    }
  } catch (e) {
    internalError("sometimesAll", e);
  }
}

/**
 * One coverage bucket per distinct combination of the identity `keys`; `quality` keys (in the
 * order given: the first matters most, higher is better) keep the best score per bucket. A new
 * bucket and a better score are discoveries. Typical use: explore every (floor, room) of a
 * dungeon, preferring runs that arrive there with more health.
 *
 * @example
 * sometimesEach("visited room", { floor, room }, { hp });
 */
export function sometimesEach(
  message: string,
  keys: Record<string, number>,
  quality?: Record<string, number>,
  details?: AssertionDetails,
): void {
  if (REG.gate && !passGate("sometimesEach")) return;
  try {
    const m = text(message);
    const t = table();
    const slot = slotOf(t, m, "sometimesEach");
    let created = false;
    let seenAgain = false;
    let improved = false;
    let id = 0;
    let label = "";
    let q: number[] | undefined;
    if (slot >= 0) {
      t.recordPass(slot);
      const bucket = lookupBucket(t, slot, keys);
      label = bucket.label;
      if (bucket.index < 0) {
        logOnce(
          "overflow:buckets",
          `[moonpool assertions] sometimesEach bucket table full (capacity ${t.bucketCapacity}): new buckets ` +
            "are not recorded; create a bigger table with createAssertionTable({ buckets })",
        );
      } else {
        created = bucket.created;
        id = t.bucketHash(bucket.index);
        seenAgain = t.recordBucketHit(bucket.index);
        if (quality !== undefined) {
          q = qualityVector(quality, () =>
            noteProblem(`quality:${m}`, `sometimesEach "${m}": only the first 4 quality keys count`),
          );
          if (q !== undefined) improved = t.offerQuality(bucket.index, q);
        }
      }
    } else {
      label = bucketLabel(keys);
    }
    if (created || improved || seenAgain) {
      const extra: { bucket: string; quality?: number[]; repeat?: boolean } = { bucket: label };
      if (q !== undefined) extra.quality = q;
      // A bucket hit again after a re-arm is a repeat unless its quality also improved.
      if (seenAgain && !improved) extra.repeat = true;
      const reason = created || (seenAgain && !improved) ? "new-bucket" : "quality";
      discovery(t, "sometimesEach", m, reason, id, extra);
    }
    const out = REG.output === null ? null : output();
    if (out !== null) {
      out.evaluate("sometimesEach", m, true, () => details);
      if (created)
        out.evaluate("sometimesEach", `${m} [${label}]`, true, () =>
          mergeDetails(() => ({ ...keys, ...quality }), details),
        );
    }
  } catch (e) {
    internalError("sometimesEach", e);
  }
}

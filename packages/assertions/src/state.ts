// Accounting as plain data: export a table's content and merge it into another. Merges are
// associative and commutative (counts add, watermarks and frontiers keep the best, buckets
// union, quality keeps the best), so a coordinator can fold worker or shard results in a
// canonical order and get the same table, and the same discoveries, whatever the arrival order.

import type { AssertionDiscovery } from "./hooks.ts";
import { slotOf, table } from "./internal/events.ts";
import { type AssertionKind, isAssertionKind, isCoverageKind, NUMERIC_MAXIMIZE } from "./kinds.ts";
import { FIRST_PASS, FIRST_PASS_AGAIN, NOT_FIRST, WATERMARK_IMPROVED } from "./table.ts";

/** One assertion's accounting as plain data. */
export interface AssertionStateEntry {
  message: string;
  kind: AssertionKind;
  pass: number;
  fail: number;
  watermark?: number;
  /** sometimesAll only. */
  frontier?: number;
  conditions?: number;
}

/** One sometimesEach bucket as plain data. */
export interface BucketStateEntry {
  /** The sometimesEach site's message. */
  message: string;
  label: string;
  hits: number;
  bestQuality?: number[];
}

/** A table's content as plain (JSON-safe) data. */
export interface AssertionState {
  assertions: AssertionStateEntry[];
  buckets: BucketStateEntry[];
}

/**
 * The current table's content as plain data, sorted by message and label (e.g. what one
 * timeline or one worker covered, after a `resetAssertions()` before it), ready to post to a
 * coordinator or save.
 */
export function exportAssertionState(): AssertionState {
  const t = table();
  const slots = t.slots();
  const messageOf = new Map(slots.map((s) => [s.index, s.message]));
  const assertions = slots.map((s) => {
    const e: AssertionStateEntry = { message: s.message, kind: s.kind, pass: s.pass, fail: s.fail };
    if (s.watermark !== undefined) e.watermark = s.watermark;
    if (s.kind === "sometimesAll") {
      e.frontier = s.frontier;
      e.conditions = s.width;
    }
    return e;
  });
  const buckets: BucketStateEntry[] = [];
  for (const b of t.buckets()) {
    const message = messageOf.get(b.site);
    if (message === undefined) continue;
    const e: BucketStateEntry = { message, label: b.label, hits: b.hits };
    if (b.bestQuality !== undefined) e.bestQuality = b.bestQuality;
    buckets.push(e);
  }
  // Sorted, so equal content exports to equal data whatever the table sizes or slot positions.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  assertions.sort((x, y) => order(x.message, y.message));
  buckets.sort((x, y) => order(x.message, y.message) || order(x.label, y.label));
  return { assertions, buckets };
}

/**
 * Merges exported accounting into the current table and returns the discoveries the merge
 * caused (first hits, better watermarks, grown frontiers, new buckets, better quality), in the
 * order of `state`. They are counted in `coverageState().discoveries` but not sent to the
 * discovery hook: the caller decides what they mean. Violations are counted, not re-reported.
 */
export function mergeAssertionState(state: AssertionState): AssertionDiscovery[] {
  if (
    state === null ||
    typeof state !== "object" ||
    !Array.isArray(state.assertions) ||
    !Array.isArray(state.buckets)
  ) {
    throw new TypeError(
      "state must be an object with `assertions` and `buckets` arrays (see exportAssertionState)",
    );
  }
  const t = table();
  const found: AssertionDiscovery[] = [];
  const note = (d: AssertionDiscovery) => {
    if (d.repeat !== true) t.countDiscovery();
    found.push(d);
  };
  const sites = new Map<string, number>();
  for (const e of state.assertions) {
    if (!isAssertionKind(e.kind) || typeof e.message !== "string") {
      throw new TypeError(`state.assertions has an invalid entry: ${JSON.stringify(e)}`);
    }
    const slot = slotOf(t, e.message, e.kind);
    if (slot < 0) continue;
    if (e.kind === "sometimesEach") sites.set(e.message, slot);
    const id = t.slotHash(slot);
    const firstPass = t.addCounts(slot, e.pass, e.fail);
    const maximize = NUMERIC_MAXIMIZE[e.kind];
    const improved =
      maximize !== undefined &&
      e.watermark !== undefined &&
      t.offerWatermark(slot, e.watermark, maximize) === WATERMARK_IMPROVED;
    const grew = e.kind === "sometimesAll" && t.raiseFrontier(slot, e.frontier ?? 0, e.conditions ?? 0);
    if (!isCoverageKind(e.kind) || e.kind === "sometimesEach") continue;
    const base = { message: e.message, kind: e.kind, id };
    if (grew) note({ ...base, reason: "frontier", value: e.frontier ?? 0 });
    else if (improved && !e.kind.startsWith("always")) {
      note({ ...base, reason: firstPass === FIRST_PASS ? "first-hit" : "watermark", value: e.watermark! });
    } else if (firstPass !== NOT_FIRST) {
      const d: AssertionDiscovery = { ...base, reason: "first-hit" };
      if (e.watermark !== undefined) d.value = e.watermark;
      if (firstPass === FIRST_PASS_AGAIN) d.repeat = true;
      note(d);
    }
  }
  for (const b of state.buckets) {
    const site = sites.get(b.message) ?? slotOf(t, b.message, "sometimesEach");
    if (site < 0) continue;
    const bucket = t.bucketFor(site, b.label);
    if (bucket.index < 0) continue;
    const seenAgain = t.addBucketHits(bucket.index, b.hits);
    const improved = b.bestQuality !== undefined && t.offerQuality(bucket.index, b.bestQuality);
    if (bucket.created || improved || seenAgain) {
      const d: AssertionDiscovery = {
        message: b.message,
        kind: "sometimesEach",
        reason: bucket.created || !improved ? "new-bucket" : "quality",
        id: t.bucketHash(bucket.index),
        bucket: b.label,
      };
      if (b.bestQuality !== undefined) d.quality = b.bestQuality;
      if (!bucket.created && !improved) d.repeat = true;
      note(d);
    }
  }
  return found;
}

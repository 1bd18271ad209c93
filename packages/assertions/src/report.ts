// Reading the table: the per-assertion report (the simulation report's `assertions` section),
// the coverage state that untilCoverageStable watches, the sometimesEach buckets, and contract
// validation, which separates violations (bugs) from coverage gaps (the test never got there).

import { REG, table } from "./internal/events.ts";
import { type AssertionKind, isCoverageKind, KIND_FAMILY } from "./kinds.ts";
import type { SlotSnapshot } from "./table.ts";

/** Status of one assertion at the end of a run. */
export type AssertionStatus = "pass" | "fail" | "miss";

/** One line of the assertion report. */
export interface AssertionReportEntry {
  message: string;
  kind: string;
  /** Passing evaluations (reachable: times reached; sometimesEach: calls). */
  pass: number;
  /** Failing evaluations (unreachable: times reached). */
  fail: number;
  status: AssertionStatus;
  /** Numeric kinds: best margin `left - right` seen (see NUMERIC_MAXIMIZE for the direction). */
  watermark?: number;
  /** sometimesAll: most conditions true at once, out of `conditions`. */
  frontier?: number;
  conditions?: number;
  /** sometimesEach: distinct buckets seen. */
  buckets?: number;
}

/** Status of an assertion from its kind and counts. */
export function assertionStatus(kind: AssertionKind, pass: number, fail: number): AssertionStatus {
  switch (KIND_FAMILY[kind]) {
    case "always":
      return fail > 0 ? "fail" : pass === 0 ? "miss" : "pass";
    case "alwaysOrUnreachable":
    case "unreachable":
      return fail > 0 ? "fail" : "pass";
    default:
      return pass > 0 ? "pass" : "miss";
  }
}

const STATUS_ORDER: Record<AssertionStatus, number> = { fail: 0, miss: 1, pass: 2 };

function entryOf(s: SlotSnapshot): AssertionReportEntry {
  const e: AssertionReportEntry = {
    message: s.message,
    kind: s.kind,
    pass: s.pass,
    fail: s.fail,
    status: assertionStatus(s.kind, s.pass, s.fail),
  };
  if (s.watermark !== undefined) e.watermark = s.watermark;
  if (s.kind === "sometimesAll") {
    e.frontier = s.frontier;
    e.conditions = s.width;
  }
  if (s.kind === "sometimesEach") e.buckets = s.width;
  return e;
}

/**
 * Every assertion of the run (evaluated or registered), failures first, then misses, then
 * passes, each group by message. Counts are accumulated over all seeds since the last
 * `resetAssertions()`, from every thread attached to the table.
 */
export function assertionReport(): AssertionReportEntry[] {
  return table()
    .slots()
    .map(entryOf)
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
}

/** Coverage progress: what untilCoverageStable watches after each seed. */
export interface CoverageState {
  /** Discoveries so far in the run (first hits, watermark / frontier growth, buckets, quality). */
  discoveries: number;
  /** Known coverage assertions (sometimes-type and reachable, registered or evaluated). */
  coverageAssertions: number;
  /** Of those, how many never passed. */
  unhit: number;
}

/** Coverage progress of the run so far. */
export function coverageState(): CoverageState {
  const t = table();
  let coverageAssertions = 0;
  let unhit = 0;
  for (const s of t.slots()) {
    if (!isCoverageKind(s.kind)) continue;
    coverageAssertions++;
    if (s.pass === 0) unhit++;
  }
  return { discoveries: t.discoveries, coverageAssertions, unhit };
}

/** One sometimesEach site and its buckets, most hit first. */
export interface SometimesEachReport {
  message: string;
  calls: number;
  buckets: { label: string; hits: number; bestQuality?: number[] }[];
}

/** The sometimesEach sites and their buckets. */
export function sometimesEachReport(): SometimesEachReport[] {
  const t = table();
  const sites = t.slots().filter((s) => s.kind === "sometimesEach");
  const byIndex = new Map(
    sites.map((s) => [s.index, { message: s.message, calls: s.pass, buckets: [] } as SometimesEachReport]),
  );
  for (const b of t.buckets()) {
    const site = byIndex.get(b.site);
    if (site === undefined) continue;
    site.buckets.push(
      b.bestQuality === undefined
        ? { label: b.label, hits: b.hits }
        : { label: b.label, hits: b.hits, bestQuality: b.bestQuality },
    );
  }
  const out = [...byIndex.values()];
  for (const s of out)
    s.buckets.sort((a, b) => b.hits - a.hits || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return out.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

/** One finding of contract validation. */
export interface ContractFinding {
  message: string;
  kind: string;
  /** Why, in words: "failed 3 of 10 evaluations", "never evaluated", "never true (5 evaluations)". */
  reason: string;
  pass: number;
  fail: number;
}

/** Result of {@link validateAssertionContracts}. */
export interface ContractValidation {
  /** Bugs: a violated always-type assertion, a reached unreachable. */
  violations: ContractFinding[];
  /** Gaps in the test: a sometimes never true, a reachable never reached, an always never run. */
  coverageGaps: ContractFinding[];
  /** Accounting problems: table overflow, one message used with two kinds, a hook that threw. */
  problems: string[];
  counts: { assertions: number; violations: number; coverageGaps: number; problems: number };
  /** True when there is no violation, no coverage gap and no problem. */
  ok: boolean;
  /** Human-readable summary. */
  format(): string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function failureReason(e: AssertionReportEntry): string {
  if (e.kind === "unreachable") return `reached ${plural(e.fail, "time")}`;
  return `failed ${e.fail} of ${plural(e.pass + e.fail, "evaluation")}`;
}

function gapReason(e: AssertionReportEntry): string {
  const evaluated = e.pass + e.fail;
  if (evaluated === 0)
    return e.kind === "reachable" || e.kind === "sometimesEach" ? "never reached" : "never evaluated";
  if (e.kind === "sometimesAll") {
    return `never all true (at best ${e.frontier ?? 0} of ${e.conditions ?? 0} at once; ${plural(evaluated, "evaluation")})`;
  }
  const closest = e.watermark === undefined ? "" : `; best margin ${e.watermark}`;
  return `never true (${plural(evaluated, "evaluation")}${closest})`;
}

function overflowProblems(): string[] {
  const usage = table().usage;
  const out: string[] = [];
  if (usage.droppedAssertions > 0) {
    const examples = [...REG.dropped].slice(0, 3).map((m) => `"${m}"`);
    out.push(
      `assertion table full (capacity ${usage.slotCapacity}): ${plural(usage.droppedAssertions, "assertion")} not recorded` +
        (examples.length > 0 ? `, e.g. ${examples.join(", ")}` : ""),
    );
  }
  if (usage.droppedBuckets > 0) {
    out.push(
      `sometimesEach bucket table full (capacity ${usage.bucketCapacity}): ${plural(usage.droppedBuckets, "bucket")} not recorded`,
    );
  }
  return out;
}

/**
 * Checks every assertion's contract at the end of a run. Violations (status "fail") are bugs in
 * the system under test; coverage gaps (status "miss") are places the run never got to; problems
 * are accounting issues that make the numbers incomplete. Nothing is silent: an overflowing
 * table is a problem, not a shrug.
 *
 * @example
 * const v = validateAssertionContracts();
 * if (!v.ok) console.log(v.format());
 */
export function validateAssertionContracts(): ContractValidation {
  const entries = assertionReport();
  const violations: ContractFinding[] = [];
  const coverageGaps: ContractFinding[] = [];
  for (const e of entries) {
    const base = { message: e.message, kind: e.kind, pass: e.pass, fail: e.fail };
    if (e.status === "fail") violations.push({ ...base, reason: failureReason(e) });
    else if (e.status === "miss") coverageGaps.push({ ...base, reason: gapReason(e) });
  }
  const problems = [...overflowProblems(), ...REG.problems.values()];
  const counts = {
    assertions: entries.length,
    violations: violations.length,
    coverageGaps: coverageGaps.length,
    problems: problems.length,
  };
  const ok = violations.length === 0 && coverageGaps.length === 0 && problems.length === 0;
  return {
    violations,
    coverageGaps,
    problems,
    counts,
    ok,
    format() {
      const lines = [
        `Assertion contracts: ${plural(counts.violations, "violation")}, ${plural(counts.coverageGaps, "coverage gap")}, ` +
          `${plural(counts.problems, "problem")} (${plural(counts.assertions, "assertion")})`,
      ];
      if (violations.length > 0) {
        lines.push("Violations:");
        for (const v of violations) lines.push(`  FAIL ${v.kind} "${v.message}": ${v.reason}`);
      }
      if (coverageGaps.length > 0) {
        lines.push("Coverage gaps:");
        for (const g of coverageGaps) lines.push(`  MISS ${g.kind} "${g.message}": ${g.reason}`);
      }
      if (problems.length > 0) {
        lines.push("Problems:");
        for (const p of problems) lines.push(`  ! ${p}`);
      }
      return lines.join("\n");
    },
  };
}

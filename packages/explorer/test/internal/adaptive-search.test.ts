// The adaptive policy's bookkeeping on synthetic results: batches, barren splits returning their
// energy to the pool, a productive mark drawing from it, the global budget and max timelines.
import { describe, expect, it } from "vitest";
import { AdaptiveSearch, DEFAULT_ADAPTIVE } from "../../src/internal/adaptive-search.ts";
import { CampaignCoverage, type JournalEvent } from "../../src/internal/coverage.ts";
import type { Job, JobResult } from "../../src/internal/job.ts";

const limits = (runs: number) => ({ runs, maxRecipeLength: 64, bugRecipesPerSeed: 4 });

/** A passing timeline that discovered `marks` (first hits, in order) at draw `count`. */
function result(job: Job, marks: string[], ok = true): JobResult {
  const journal: JournalEvent[] = marks.map((m, seq) => ({
    key: m,
    message: m,
    kind: "sometimes",
    reason: "first-hit",
    priority: 0,
    count: 10 + seq,
    ordinal: 0,
    seq,
  }));
  return {
    id: job.id,
    ok,
    ...(ok ? {} : { error: "boom" }),
    traceHash: "0",
    draws: 20,
    prefixDraws: 10,
    live: true,
    journal,
    journalOverflow: 0,
    delta: {
      assertions: marks.map((m) => ({ message: m, kind: "sometimes", pass: 1, fail: 0 })),
      buckets: [],
    },
  };
}

/** Runs the search to the end, answering each job with `answer`. */
function drive(search: AdaptiveSearch, answer: (job: Job, n: number) => JobResult, wave = 7): Job[] {
  const coverage = new CampaignCoverage();
  const all: Job[] = [];
  for (let jobs = search.nextWave(wave); jobs.length > 0; jobs = search.nextWave(wave)) {
    for (const job of jobs) {
      search.apply(job, answer(job, all.length), coverage);
      all.push(job);
    }
  }
  return all;
}

describe("the adaptive policy", () => {
  it("stops a barren split after minTimelines children, in whole batches", () => {
    const knobs = { ...DEFAULT_ADAPTIVE, batch: 5, minTimelines: 12, maxTimelines: 50 };
    const search = new AdaptiveSearch(1, limits(1000), knobs, false);
    const jobs = drive(search, (job) => result(job, job.recipe.length === 0 ? ["a"] : []));
    // The root, then batches of 5 until 12 children found nothing: 3 batches (15 children).
    expect(jobs).toHaveLength(1 + 15);
    expect(search.barren).toBe(1);
    expect(new Set(jobs.map((j) => j.recipe.at(-1)?.seed)).size).toBe(16); // distinct child seeds
  });

  it("a barren mark's unused budget pays for a productive mark past its own", () => {
    // The root discovers "b" then "a" (children of the newest split run first). Every child of
    // "b" finds something new; no child of "a" does, so "a" is barren after 4 and returns the 6
    // it did not spend. "b" spends its own 10, then the pool's 6. No nested split (depth 1).
    const knobs = { batch: 4, minTimelines: 4, maxTimelines: 40, perMarkEnergy: 10, warmMinTimelines: 4 };
    const search = new AdaptiveSearch(1, { ...limits(1000), maxRecipeLength: 1 }, knobs, false);
    let fresh = 0;
    const jobs = drive(search, (job) => {
      if (job.recipe.length === 0) return result(job, ["b", "a"]);
      return result(job, job.recipe[0]!.count === 10 ? [`new ${fresh++}`] : []);
    });
    const childrenOf = (count: number) => jobs.filter((j) => j.recipe[0]?.count === count).length;
    expect(childrenOf(11)).toBe(4); // "a": one batch, barren
    expect(childrenOf(10)).toBe(16); // "b": its own 10 + the 6 "a" returned
    expect(search.barren).toBe(1);
  });

  it("never spends more than the seed's budget", () => {
    const search = new AdaptiveSearch(1, limits(30), DEFAULT_ADAPTIVE, false);
    let n = 0;
    const jobs = drive(search, (job) => result(job, [`state ${n++}`]));
    expect(jobs).toHaveLength(30);
    expect(search.energyLeft).toBe(0);
  });

  it("records bugs like every policy", () => {
    const search = new AdaptiveSearch(1, limits(100), { ...DEFAULT_ADAPTIVE, batch: 4 }, false);
    drive(search, (job, n) => (job.recipe.length === 0 ? result(job, ["a"]) : result(job, [], n % 3 !== 0)));
    expect(search.bugTimelines).toBeGreaterThan(0);
    expect([...search.bugs.values()][0]?.message).toBe("boom");
  });
});

// Memory of a long builder run: heap growth (heapUsed after a forced GC) between an early seed
// and the last one, with the default row limit (failing rows, a sample, counters) beside the
// same run keeping every row (`keepSeedRows("all")`, what the report did before). Goal: a run of
// 1M seeds grows the heap by < 10 MB, i.e. < 10 bytes per seed.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SimulationBuilder } from "@moonpool/sim";
import type { BenchSuite } from "../harness.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const SEEDS = 100_000;
/** The first reading: past the default sample of 10,000 rows, with the JIT settled. */
const FIRST_READING = 15_000;

const MIDDLE_READING = (FIRST_READING + SEEDS) / 2;

/**
 * Heap growth in bytes from seed FIRST_READING to the last seed of one run, and over the second
 * half of that span only (steady per-seed growth shows in both; a one-off does not).
 */
async function heapGrowth(keep: "default" | "all"): Promise<{ whole: number; secondHalf: number }> {
  let before = 0;
  let middle = 0;
  let after = 0;
  let n = 0;
  const builder = new SimulationBuilder().logSeeds(false);
  if (keep === "all") builder.keepSeedRows("all");
  const report = await builder
    .workload({
      name: "a",
      async run(ctx) {
        await ctx.time.sleep(ctx.random.int(1, 100));
      },
    })
    .iterations(SEEDS)
    .run({
      onSeedDone: () => {
        n++;
        if (n === FIRST_READING || n === MIDDLE_READING || n === SEEDS) {
          gc();
          const used = process.memoryUsage().heapUsed;
          if (n === FIRST_READING) before = used;
          else if (n === MIDDLE_READING) middle = used;
          else after = used;
        }
      },
    });
  if (!report.ok || report.iterations !== SEEDS) throw new Error(report.format());
  return { whole: after - before, secondHalf: after - middle };
}

export default (async (r) => {
  const bounded = await heapGrowth("default");
  const all = await heapGrowth("all");
  const span = SEEDS - FIRST_READING;
  r.figure(
    `heap growth over ${span} builder seeds after GC (default row limit)`,
    bounded.whole / 1_048_576,
    "MB",
  );
  r.figure(
    `heap growth over ${span} builder seeds after GC (keepSeedRows("all"))`,
    all.whole / 1_048_576,
    "MB",
  );
  r.figure("heap kept per seed, default row limit", bounded.whole / span, "B/seed");
  r.figure(
    "heap kept per seed, default row limit, second half only",
    bounded.secondHalf / (span / 2),
    "B/seed",
  );
  r.figure('heap kept per seed, keepSeedRows("all")', all.whole / span, "B/seed");
  r.ratio(
    "heap growth over 1M builder seeds (extrapolated from the whole span), MB",
    ((bounded.whole / span) * 1e6) / 1_048_576,
    "goal < 10",
  );
}) satisfies BenchSuite;

// Hot-path cost of the assertion functions: how many calls per second a workload can make
// before assertions dominate. Measures an always() that holds, a sometimes() already hit, and a
// sometimesEach() on one bucket and cycling over 64 buckets with a quality score.
// (Relative import: bench/package.json does not list @moonpool/assertions as a dependency.)

import {
  always,
  createAssertionTable,
  installAssertionTable,
  resetAssertions,
  setAssertionHooks,
  sometimes,
  sometimesEach,
  sometimesGreaterThan,
} from "../../../packages/assertions/src/index.ts";
import type { BenchSuite } from "../harness.ts";

/** Calls `body(i)` in batches until ~`ms` of wall time passed; returns calls per second. */
function opsPerSecond(body: (i: number) => void, ms = 1000): number {
  const batch = 100_000;
  for (let i = 0; i < batch; i++) body(i); // warm-up: JIT and first-use allocation
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) body(i);
    calls += batch;
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

export default (async (r) => {
  installAssertionTable(createAssertionTable());
  resetAssertions();
  setAssertionHooks({ onViolation: () => {}, onDiscovery: () => {} });

  let sink = 0;
  const baseline = opsPerSecond((i) => {
    sink += i & 1;
  });
  const alwaysOps = opsPerSecond((i) => always(i >= 0, "bench: always holds"));
  const sometimesOps = opsPerSecond((i) => sometimes(i >= 0, "bench: sometimes already hit"));
  const numericOps = opsPerSecond((i) => sometimesGreaterThan(i & 1023, 2000, "bench: numeric sometimes"));
  const eachOneOps = opsPerSecond(() => sometimesEach("bench: each, one bucket", { floor: 1, room: 2 }));
  const eachManyOps = opsPerSecond((i) =>
    sometimesEach("bench: each, 64 buckets", { floor: i & 7, room: (i >> 3) & 7 }, { hp: i & 15 }),
  );

  r.figure("always() holding", alwaysOps, "ops/s");
  r.figure("sometimes() already hit", sometimesOps, "ops/s");
  r.figure("sometimesGreaterThan() below watermark", numericOps, "ops/s");
  r.figure("sometimesEach() one bucket, 2 keys", eachOneOps, "ops/s");
  r.figure("sometimesEach() 64 buckets, 2 keys + quality", eachManyOps, "ops/s");
  r.ratio(
    "always() / empty loop body",
    alwaysOps / baseline,
    "cost of an always() against a bare loop iteration",
  );
  r.ratio(
    "sometimesEach(64) / always()",
    eachManyOps / alwaysOps,
    "bucket lookup and quality vs a plain counter",
  );
  if (sink < 0) r.figure("sink", sink, "");
  setAssertionHooks(null);
  resetAssertions();
}) satisfies BenchSuite;

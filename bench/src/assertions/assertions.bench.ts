// Hot-path cost of the assertion functions: how many calls per second a workload can make
// before assertions dominate. Measures an always() that holds, a sometimes() already hit, a
// numeric sometimes below its watermark, and sometimesEach() on one bucket and cycling over 64
// buckets with a quality score. The table is the default SharedArrayBuffer one (Atomics on
// every counter).
import {
  always,
  createAssertionTable,
  installAssertionTable,
  resetAssertions,
  setAssertionHooks,
  sometimes,
  sometimesEach,
  sometimesGreaterThan,
} from "@moonpool/assertions";
import type { BenchSuite } from "../harness.ts";
import { measure } from "../harness.ts";

export default (async (r) => {
  installAssertionTable(createAssertionTable());
  resetAssertions();
  setAssertionHooks({ onViolation: () => {}, onDiscovery: () => {} });
  let i = 0;

  const baseline = measure(() => (i++ & 1) === 0);
  const alwaysOps = measure(() => always(i++ >= 0, "bench: always holds"));
  const sometimesOps = measure(() => sometimes(i++ >= 0, "bench: sometimes already hit"));
  const numericOps = measure(() => sometimesGreaterThan(i++ & 1023, 2000, "bench: numeric sometimes"));
  const eachOneOps = measure(() => sometimesEach("bench: each, one bucket", { floor: 1, room: 2 }));
  const eachManyOps = measure(() => {
    const n = i++;
    sometimesEach("bench: each, 64 buckets", { floor: n & 7, room: (n >> 3) & 7 }, { hp: n & 15 });
  });

  r.figure("always() holding", alwaysOps, "ops/s");
  r.figure("sometimes() already hit", sometimesOps, "ops/s");
  r.figure("sometimesGreaterThan() below watermark", numericOps, "ops/s");
  r.figure("sometimesEach() one bucket, 2 keys", eachOneOps, "ops/s");
  r.figure("sometimesEach() 64 buckets, 2 keys + quality", eachManyOps, "ops/s");
  r.ratio("always() / trivial closure", alwaysOps / baseline, "an always() call against a bare closure call");
  r.ratio(
    "sometimesEach(64) / always()",
    eachManyOps / alwaysOps,
    "bucket lookup and quality vs a plain counter",
  );
  setAssertionHooks(null);
  resetAssertions();
}) satisfies BenchSuite;

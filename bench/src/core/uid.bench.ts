// Core types: UID arithmetic, formatting and byte round trips (the hot paths of endpoint
// tokens in the transport).
import { UID } from "@moonpool/core";
import type { BenchSuite } from "../harness.ts";
import { measure } from "../harness.ts";

export default (async (r) => {
  const base = new UID(0x0123_4567_89ab_cdefn, 0xfedc_ba98_7654_3210n);
  let i = 0;
  r.figure(
    "UID.adjusted(i)",
    measure(() => base.adjusted((i++ & 0xff) + 1)),
    "ops/s",
  );
  r.figure(
    "UID.toString()",
    measure(() => base.toString()),
    "ops/s",
  );
  r.figure(
    "UID.fromBytes(toBytes())",
    measure(() => UID.fromBytes(base.toBytes())),
    "ops/s",
  );
}) satisfies BenchSuite;

// Cost of a BUGGIFY site per call, for each way of naming the site: a label (one Map lookup), a
// tagged template (one WeakMap lookup; no stack), and no argument (a one-frame stack capture on
// the calls whose fire coin lands, 25% of live calls by default). Also the inert cost outside a simulation, and a full
// `new Error().stack` for scale.
import { buggify, buggifyWithProb, installChaosRuntime } from "@moonpool/chaos";
import type { BenchSuite } from "../harness.ts";
import { measure } from "../harness.ts";

/** A tiny xorshift source standing in for the simulation's counted stream. */
function fastRandom(): () => number {
  let s = 0x2545f491;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export default (async (r) => {
  const minMs = 400;
  const outsideLabel = measure(() => buggify("bench.site"), { minMs });
  const outsideBare = measure(() => buggify(), { minMs });

  const random = fastRandom();
  installChaosRuntime({ random, chaosActive: () => true, buggifyActivation: 1 });
  try {
    const label = measure(() => buggify("bench.site"), { minMs });
    const tagged = measure(() => buggify`bench.tagged`, { minMs });
    const bare = measure(() => buggify(), { minMs });
    const bareEveryCall = measure(() => buggifyWithProb(1), { minMs });
    const fullStack = measure(() => new Error("x").stack, { minMs });

    r.figure("buggify(label) outside a simulation", outsideLabel, "calls/s");
    r.figure("buggify() outside a simulation", outsideBare, "calls/s");
    r.figure("buggify(label) in a simulation", label, "calls/s");
    r.figure("buggify`label` (tagged template) in a simulation", tagged, "calls/s");
    r.figure("buggify() without label in a simulation", bare, "calls/s");
    r.figure("buggify() without label: mean cost per call (captures on 25% of calls)", 1e6 / bare, "µs");
    r.figure(
      "site identification by stack capture (buggifyWithProb(1) unlabeled)",
      1e6 / bareEveryCall,
      "µs",
    );
    r.figure("new Error().stack (full capture, for scale)", 1e6 / fullStack, "µs");
    r.ratio(
      "label vs no-label",
      label / bare,
      "buggify(label) calls/s / buggify() calls/s (in a simulation)",
    );
    r.ratio(
      "tagged vs no-label",
      tagged / bare,
      "buggify`label` calls/s / buggify() calls/s (in a simulation)",
    );
    r.ratio("no-label vs full stack", bare / fullStack, "buggify() calls/s / new Error().stack per s");
  } finally {
    installChaosRuntime(null);
  }
}) satisfies BenchSuite;

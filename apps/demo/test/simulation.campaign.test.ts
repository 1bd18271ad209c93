// `pnpm test:campaigns`: the correct counter cluster over 200 seeds of chaos, as a `simTest`: a
// failing seed fails the test with the exact `MOONPOOL_SEED=... npx vitest run -t ...` line.
import { simTest } from "@moonpool/cli/vitest";
import { counterSimulation } from "../src/simulation.ts";

simTest(
  "counter cluster campaign: the fsync node passes network and storage chaos and reboots",
  () => counterSimulation({ durability: "fsync" }),
  { seed: 1000, seeds: 200, timeout: 600_000 },
);

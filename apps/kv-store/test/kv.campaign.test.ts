// `pnpm test:campaigns`: the correct store over 1,000 seeds of chaos, on two worker threads (the
// report is the same for any number of workers; two halve the longest test of the suite).
import { runFile } from "@moonpool/sim";
import { describe, expect, it } from "vitest";

describe("kv-store campaign", () => {
  it("the correct store passes 1,000 seeds with network and storage chaos and zone outages", async () => {
    const report = await runFile(new URL("../src/kv.sim.ts", import.meta.url), {
      seed: 1000,
      iterations: 1000,
      workers: 2,
      logSeeds: false,
    });
    expect(report.seeds).toHaveLength(1000);
    expect(report.failed, report.format()).toBe(0);
  });
});

// Campaign (slow project): pipelined RPC bursts under random closes, partitions and link cuts
// over many seeds, in watched worker threads. Every request mode promises "never duplicates".
import { runFile } from "@moonpool/sim";
import { describe, expect, it } from "vitest";

const SEEDS = Math.max(1, Math.round(24 * Number(process.env.MOONPOOL_CAMPAIGN_SCALE ?? 1)));

describe("delivery guarantees campaign", () => {
  it(`pipelined calls never run twice: ${SEEDS} seeds`, async () => {
    const report = await runFile(new URL("./sim/pipelinedRpc.sim.ts", import.meta.url), {
      seeds: Array.from({ length: SEEDS }, (_, i) => 3000 + i),
      workers: 2,
      seedTimeoutMs: 60_000,
      logSeeds: false,
    });
    expect(report.seeds.length).toBe(SEEDS);
    expect(report.failed, report.format()).toBe(0);
    const assertion = (m: string) => report.assertions.find((a) => a.message === m);
    expect(assertion("a pipelined call was answered")?.status).toBe("pass");
    expect(assertion("a pipelined call failed")?.status).toBe("pass");
  });
});

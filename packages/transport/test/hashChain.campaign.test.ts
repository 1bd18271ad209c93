// Campaign (slow project): the hash-chain transport simulation over many seeds with every
// network fault family (random or swarm per seed), reboots (graceful and crash) and BUGGIFY.
// Seeds run in worker threads under a watchdog: a seed that hangs (even one waiting forever
// with no CPU use, which no in-thread check can see) fails with its replay command instead of
// hanging the test.
import { runFile } from "@moonpool/sim";
import { describe, expect, it } from "vitest";

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
// `MOONPOOL_CAMPAIGN_SCALE=10 pnpm test:campaigns` runs a long campaign; the default keeps CI short.
const SEEDS = Math.max(1, Math.round(50 * Number(process.env.MOONPOOL_CAMPAIGN_SCALE ?? 1)));

function campaign(file: string, seeds: number[]) {
  return runFile(new URL(`./sim/${file}`, import.meta.url), {
    seeds,
    workers: 2,
    seedTimeoutMs: 60_000,
    logSeeds: false,
  });
}

describe("hash chain campaign", () => {
  it(`random network chaos + attrition + BUGGIFY: ${SEEDS} seeds`, async () => {
    const report = await campaign("hashChainRandom.sim.ts", range(1000, SEEDS));
    expect(report.seeds.length).toBe(SEEDS);
    expect(report.failed, report.format()).toBe(0);
    const assertion = (m: string) => report.assertions.find((a) => a.message === m);
    for (const covered of [
      "reply received",
      "maybe delivered observed",
      "server buggify dropped promise",
      "a peer lost a connection",
      "a peer dropped a connection on a corrupted frame",
    ]) {
      expect(assertion(covered)?.status, covered).toBe("pass");
    }
    expect(assertion("wrong endpoint never succeeds")?.fail ?? 0).toBe(0);
    expect(assertion("reply h is fold(prev, block)")?.fail ?? 0).toBe(0);
  });

  it(`swarm network chaos + attrition + BUGGIFY: ${SEEDS} seeds`, async () => {
    const report = await campaign("hashChainSwarm.sim.ts", range(2000, SEEDS));
    expect(report.seeds.length).toBe(SEEDS);
    expect(report.failed, report.format()).toBe(0);
  });
});

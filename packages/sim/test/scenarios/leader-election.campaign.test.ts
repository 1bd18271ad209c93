// `pnpm test:campaigns`: majority-quorum election over 300 seeds (and 200 more with network chaos) of random partitions.
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";
import { electionNode, electionObserver, oneLeaderPerTerm, randomPartitions } from "./leader-election.ts";

describe("leader election campaign", () => {
  it("majority-quorum election holds one leader per term over 300 seeds (and 200 more with network chaos)", async () => {
    const report = await new SimulationBuilder()
      .processes(3, () => electionNode("quorum"))
      .workload(() => electionObserver(5_000))
      .fault("random partitions", randomPartitions)
      .invariant("at most one leader per term", oneLeaderPerTerm())
      .chaosDuration(5_000)
      .seed(500)
      .iterations(300)
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
  });

  it("and with random network chaos and BUGGIFY on top of the partitions", async () => {
    const report = await new SimulationBuilder()
      .processes(3, () => electionNode("quorum"))
      .workload(() => electionObserver(5_000, 10_000))
      .fault("random partitions", randomPartitions)
      .invariant("at most one leader per term", oneLeaderPerTerm())
      .chaos({ network: "random", buggify: true })
      .chaosDuration(5_000)
      .seed(900)
      .iterations(200)
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
  });
});

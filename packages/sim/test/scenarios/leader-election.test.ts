// A split-brain hunt: naive lease-less leader election breaks "one leader per term" under
// partitions, and the simulation finds it; Raft-style majority voting survives hundreds of seeds.
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";
import {
  type ElectionAlgorithm,
  electionNode,
  electionObserver,
  oneLeaderPerTerm,
  randomPartitions,
} from "./leader-election.ts";

const CHAOS_MS = 5_000;

function election(algorithm: ElectionAlgorithm, record = true): SimulationBuilder {
  const builder = new SimulationBuilder()
    .processes(3, () => electionNode(algorithm))
    .workload(() => electionObserver(CHAOS_MS))
    .fault("random partitions", randomPartitions)
    .invariant("at most one leader per term", oneLeaderPerTerm())
    .chaosDuration(CHAOS_MS)
    .logSeeds(false);
  return record ? builder.recordTraces() : builder;
}

type Event = { name: string; timeMs: number; fields: Record<string, unknown> };

describe("leader election under partitions", () => {
  it("finds split brain in naive election caused by a partition, and the seed replays exactly", async () => {
    const report = await election("naive").seed(1).iterations(20).run();
    // A failure after the first election (1 s) can only come from the partitions.
    const failing = report.seeds.find((s) => !s.ok && s.simulatedMs > 1_000);
    if (!failing) throw new Error(`no partition-induced split brain in 20 seeds:\n${report.format()}`);
    expect(failing.kind).toBe("invariant");
    expect(failing.error).toMatch(/split brain: node-\d and node-\d are both leader of term \d+/);
    const trace = report.traces?.[String(failing.seed)] as Event[];
    const partitions = trace.filter((e) => e.name === "sim_fault" && e.fields.kind === "partition");
    expect(partitions.length).toBeGreaterThan(0);
    expect(partitions[0]?.timeMs).toBeLessThan(failing.simulatedMs);

    const replay = await election("naive").seeds([failing.seed]).run();
    expect(replay.seeds[0]?.ok).toBe(false);
    expect(replay.seeds[0]?.traceHash).toBe(failing.traceHash);
    expect(replay.seeds[0]?.error).toBe(failing.error);
  });

  it("partitions are what make naive election fail after its first election", async () => {
    const calm = await new SimulationBuilder()
      .processes(3, () => electionNode("naive"))
      .workload(() => electionObserver(CHAOS_MS))
      .invariant("at most one leader per term", oneLeaderPerTerm())
      .seed(1)
      .iterations(40)
      .logSeeds(false)
      .run();
    const partitioned = await election("naive").seed(1).iterations(40).run();
    // Without faults only the start-up race (two simultaneous first timeouts) can split it.
    expect(calm.seeds.filter((s) => !s.ok && s.simulatedMs > 1_000)).toEqual([]);
    expect(partitioned.seeds.filter((s) => !s.ok && s.simulatedMs > 1_000).length).toBeGreaterThan(5);
    expect(partitioned.failed).toBeGreaterThan(2 * calm.failed);
  });

  it("majority-quorum election: partitions force re-elections, never two leaders of one term", async () => {
    const report = await election("quorum").seed(1).iterations(20).run();
    expect(report.failed, report.format()).toBe(0);
    const elections = Object.values(report.traces ?? {}).map(
      (t) => (t as Event[]).filter((e) => e.name === "became_leader").length,
    );
    expect(Math.min(...elections)).toBeGreaterThan(1);
  });

  it("chaos's own random partitions (no hand-written injector) also find it; quorum survives them", async () => {
    const withChaosPartitions = (algorithm: ElectionAlgorithm) =>
      new SimulationBuilder()
        .processes(3, () => electionNode(algorithm))
        .workload(() => electionObserver(CHAOS_MS))
        .invariant("at most one leader per term", oneLeaderPerTerm())
        .chaos({
          network: {
            partition: { probability: 0.8, checkEveryMs: 300, duration: { minMs: 300, maxMs: 2_000 } },
          },
          buggify: false,
        })
        .chaosDuration(CHAOS_MS)
        .seed(1)
        .iterations(20)
        .logSeeds(false)
        .recordTraces();
    const naive = await withChaosPartitions("naive").run();
    const late = naive.seeds.filter((s) => !s.ok && s.simulatedMs > 1_000);
    expect(late.length).toBeGreaterThan(2);
    for (const s of late) {
      const trace = naive.traces?.[String(s.seed)] as Event[];
      const cut = trace.find((e) => e.name === "sim_fault" && e.fields.kind === "random_partition");
      expect(cut?.timeMs).toBeLessThan(s.simulatedMs);
    }
    const quorum = await withChaosPartitions("quorum").run();
    expect(quorum.failed, quorum.format()).toBe(0);
  });

  // A few hundred more seeds (and network chaos on top) in leader-election.campaign.test.ts.
  it("majority-quorum election passes 50 more seeds and elects a stable leader after each", async () => {
    const report = await election("quorum", false).seed(2).iterations(50).run();
    expect(report.failed, report.format()).toBe(0);
    expect(report.passed).toBe(50);
  }, 60_000);
});

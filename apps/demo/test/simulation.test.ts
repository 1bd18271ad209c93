// The same service in simulation: the correct node survives chaos; each buggy node is caught,
// and its failing seed replays to the same trace hash (in-process and from the .sim.ts file).
import { runFile } from "@moonpool/sim";
import { describe, expect, it } from "vitest";
import type { Durability } from "../src/durableCounter.ts";
import { counterSimulation, type SeedFigures } from "../src/simulation.ts";

async function firstFailure(durability: Durability, maxSeeds: number) {
  const report = await counterSimulation({ durability }).seed(1).iterations(maxSeeds).logSeeds(false).run();
  return { report, failing: report.seeds.find((s) => !s.ok) };
}

describe("counter cluster in simulation", () => {
  it("the fsync node passes seeds with network and storage chaos and reboots", async () => {
    const figures: SeedFigures[] = [];
    const report = await counterSimulation({ durability: "fsync" }, figures)
      .seed(1)
      .iterations(8)
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(figures).toHaveLength(8);
    // The chaos really happened: faults, reboots, failed and acknowledged increments.
    const total = (k: keyof SeedFigures) => figures.reduce((a, f) => a + f[k], 0);
    expect(total("faults")).toBeGreaterThan(0);
    expect(total("reboots")).toBeGreaterThan(0);
    expect(total("unacked")).toBeGreaterThan(0);
    expect(total("acks")).toBeGreaterThan(100);
  });

  it("catches the node that skips fsync, and the failing seed replays exactly", async () => {
    const { failing } = await firstFailure("no-fsync", 6);
    if (!failing) throw new Error("no-fsync bug not caught in 6 seeds");
    expect(failing.error).toMatch(/acknowledged value \d+ twice/);
    const replay = await counterSimulation({ durability: "no-fsync" })
      .seeds([failing.seed])
      .logSeeds(false)
      .run();
    expect(replay.seeds[0]?.ok).toBe(false);
    expect(replay.seeds[0]?.traceHash).toBe(failing.traceHash);
    // The simulation file the replay command names gives the same run.
    const fromFile = await runFile(new URL("../src/counter-bug.sim.ts", import.meta.url), {
      seeds: [failing.seed],
      logSeeds: false,
    });
    expect(fromFile.seeds[0]?.traceHash).toBe(failing.traceHash);
    expect(fromFile.replayCommand(failing.seed)).toContain(`--seed ${failing.seed}`);
  });

  it("catches the node that acknowledges before persisting, and the seed replays exactly", async () => {
    const { failing } = await firstFailure("ack-before-persist", 12);
    if (!failing) throw new Error("write-behind bug not caught in 12 seeds");
    expect(failing.error).toMatch(/acknowledged value \d+ twice/);
    const replay = await counterSimulation({ durability: "ack-before-persist" })
      .seeds([failing.seed])
      .logSeeds(false)
      .run();
    expect(replay.seeds[0]?.traceHash).toBe(failing.traceHash);
  });
});

// `pnpm test:campaigns`: the correct counter cluster over 200 seeds of chaos.
import { describe, expect, it } from "vitest";
import { counterSimulation } from "../src/simulation.ts";

describe("counter cluster campaign", () => {
  it("the fsync node passes 200 seeds with network and storage chaos and reboots", async () => {
    const report = await counterSimulation({ durability: "fsync" })
      .seed(1000)
      .iterations(200)
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
  });
});

// `pnpm test:campaigns`: the correct store over 1,000 seeds of chaos.
import { describe, expect, it } from "vitest";
import { kvSimulation } from "../src/simulation.ts";

describe("kv-store campaign", () => {
  it("the correct store passes 1,000 seeds with network and storage chaos and zone outages", async () => {
    const report = await kvSimulation().seed(1000).iterations(1000).logSeeds(false).run();
    expect(report.failed, report.format()).toBe(0);
  });
});

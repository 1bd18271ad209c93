// `pnpm demo`: both halves run and are printed side by side with figures that come from the runs.
import { describe, expect, it } from "vitest";
import { runDemo } from "../src/demo.ts";

describe("pnpm demo", () => {
  it("runs the store on real TCP and in simulation and prints them side by side", async () => {
    const lines: string[] = [];
    const { real, sim } = await runDemo({ realMs: 1_000, seeds: 3, print: (l) => lines.push(l) });
    const text = lines.join("\n");
    expect(real.ok).toBeGreaterThan(0);
    expect(real.verdict.ok).toBe(true);
    expect(sim).toMatchObject({ seeds: 3, failed: 0, linearizable: 3 });
    expect(sim.operations).toBeGreaterThan(0);
    expect(sim.faults).toBeGreaterThan(0);
    expect(sim.simulatedMs).toBeGreaterThan(sim.wallMs);
    expect(text).toMatch(/operations\s+\d+ ok, \d+ unavailable\s+\d+/);
    expect(text).toContain("3 of 3 histories linearizable");
    expect(text).toContain(`${sim.faults} sim_fault events`);
    expect(text).toContain("The other apps:");
  }, 120_000);
});

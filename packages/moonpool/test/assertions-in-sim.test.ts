// Where the layers meet: @moonpool/assertions wired into @moonpool/sim runs, through the facade.
// (packages/sim/test/runner/coverage.test.ts covers the runner side; these pin down the issue's
// exact contracts: which seeds fail, and what "every known sometimes was hit" means.)
import { afterEach, describe, expect, it } from "vitest";
import {
  always,
  clearAssertionCatalog,
  registerAssertion,
  sometimes,
  validateAssertionContracts,
} from "../src/index.ts";
import { SimulationBuilder } from "../src/sim.ts";

const quiet = () => new SimulationBuilder().logSeeds(false);

afterEach(() => clearAssertionCatalog());

describe("assertions in simulation runs", () => {
  it("an always that fails only on some seeds fails exactly those seeds", async () => {
    const violatedAt: number[] = []; // indexes of the seeds (in run order) where v was 0
    let index = 0;
    const report = await quiet()
      .workload({
        name: "w",
        async run(ctx) {
          const v = ctx.random.int(0, 4);
          if (v === 0) violatedAt.push(index);
          index++;
          always(v !== 0, "v is never zero", { v });
        },
      })
      .iterations(40)
      .run();
    expect(report.iterations).toBe(40);
    // Both kinds of seed occur, so the comparison below means something.
    expect(violatedAt.length).toBeGreaterThan(0);
    expect(violatedAt.length).toBeLessThan(40);
    const expected = violatedAt.map((i) => report.seeds[i]!.seed);
    expect(report.failingSeeds).toEqual(expected);
    expect(report.seeds.filter((s) => !s.ok).map((s) => s.seed)).toEqual(expected);
    for (const s of report.seeds.filter((row) => !row.ok)) {
      expect(s.error).toMatch(/assertion violated: always "v is never zero" \{"v":0\}/);
    }
    const row = report.assertions.find((a) => a.message === "v is never zero");
    expect(row).toMatchObject({ kind: "always", status: "fail", fail: expected.length });
    expect(row!.pass).toBe(40 - expected.length);
  });

  it("a registered sometimes that is never evaluated keeps untilCoverageStable going", async () => {
    registerAssertion("sometimes", "a branch the workload never reaches");
    const report = await quiet()
      .workload({ name: "w", run: async () => sometimes(true, "easy") })
      .untilCoverageStable(2, 12)
      .run();
    expect(report.iterations).toBe(12);
    expect(report.coverage?.stable).toBe(false);
    expect(report.coverage?.unhit).toBe(1);
    expect(report.assertions.find((a) => a.message === "a branch the workload never reaches")?.status).toBe(
      "miss",
    );
    const contracts = validateAssertionContracts();
    expect(contracts.violations).toEqual([]);
    expect(contracts.coverageGaps.map((g) => g.message)).toEqual(["a branch the workload never reaches"]);
  });
});

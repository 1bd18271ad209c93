import { always, sometimes } from "@moonpool/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const quiet = () => new SimulationBuilder().logSeeds(false);

describe("assertions", () => {
  it("a violated always() fails that seed only and shows in the assertion table", async () => {
    const report = await quiet()
      .workload({
        name: "w",
        async run(ctx) {
          const v = ctx.random.int(0, 3);
          always(v !== 0, "v is never zero", { v });
          sometimes(v === 2, "v is sometimes two");
        },
      })
      .iterations(30)
      .run();
    expect(report.failed).toBeGreaterThan(0);
    expect(report.passed).toBeGreaterThan(0);
    expect(report.seeds.find((s) => !s.ok)?.error).toMatch(/assertion violated: always "v is never zero"/);
    const row = report.assertions.find((a) => a.message === "v is never zero")!;
    expect(row.status).toBe("fail");
    expect(row.fail).toBe(report.failed);
    expect(report.assertions.find((a) => a.message === "v is sometimes two")?.status).toBe("pass");
    expect(report.format({ color: false })).toMatch(/FAIL \[always\s*\] "v is never zero"/);
  });
});

describe("assertions with checkDeterminism", () => {
  it("the re-runs do not count in the assertion table", async () => {
    const report = await quiet()
      .workload({ name: "w", run: async () => sometimes(true, "counted once per seed") })
      .iterations(4)
      .checkDeterminism()
      .run();
    expect(report.divergences).toEqual([]);
    expect(report.assertions.find((a) => a.message === "counted once per seed")?.pass).toBe(4);
  });
});

describe("untilCoverageStable", () => {
  it("stops early on an easy workload", async () => {
    const report = await quiet()
      .workload({ name: "easy", run: async () => sometimes(true, "always easy") })
      .untilCoverageStable(3, 500)
      .run();
    expect(report.coverage?.stable).toBe(true);
    expect(report.iterations).toBe(4);
  });

  it("keeps going until a rare (1 in 5 seeds) sometimes fires", async () => {
    const firedAt: number[] = [];
    let seedIndex = 0;
    const report = await quiet()
      .workload({
        name: "rare",
        async run(ctx) {
          const i = seedIndex++;
          sometimes(true, "common");
          const hit = ctx.random.int(0, 5) === 0;
          if (hit) firedAt.push(i);
          sometimes(hit, "rare event");
        },
      })
      .untilCoverageStable(2, 500)
      .run();
    expect(report.coverage?.stable).toBe(true);
    expect(firedAt.length).toBeGreaterThan(0);
    // it did not stop before the rare assertion fired, then waited a full plateau
    expect(report.iterations).toBeGreaterThanOrEqual(firedAt[0]! + 1 + 2);
    expect(report.assertions.find((a) => a.message === "rare event")?.status).toBe("pass");
  });

  it("runs to the maximum when a sometimes never fires, and says so", async () => {
    const report = await quiet()
      .workload({ name: "never", run: async () => sometimes(false, "never happens") })
      .untilCoverageStable(2, 25)
      .run();
    expect(report.iterations).toBe(25);
    expect(report.coverage?.stable).toBe(false);
    expect(report.coverage?.note).toMatch(/1 of 1 .* never hit/);
    expect(report.format({ color: false })).toMatch(/Coverage not stable/);
  });

  it("a run without coverage assertions says so instead of looping", async () => {
    const report = await quiet()
      .workload({ name: "plain", run: async () => {} })
      .untilCoverageStable(3, 1_000)
      .run();
    expect(report.iterations).toBe(4);
    expect(report.coverage?.note).toMatch(/no sometimes\/reachable assertion/);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { SimulationBuilder, type Workload } from "../../src/index.ts";
import { SimulationReport } from "../../src/runner/report.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

// Named functions, so each stack has a frame this test can look for.
function throwFromTask(): never {
  throw new Error("boom in a task");
}
function rejectUnhandled(): void {
  void Promise.reject(new Error("nobody caught me"));
}
function throwFromShutdown(): never {
  throw new Error("listener blew up");
}

const workload = (run: Workload["run"]): Workload => ({ name: "w", run });

async function failingSeed(run: Workload["run"]) {
  const report = await new SimulationBuilder().logSeeds(false).workload(workload(run)).seeds([5]).run();
  expect(report.failed).toBe(1);
  return report;
}

describe("a failing seed keeps its stack", () => {
  it("a throwing task: the row, format() and toJSON() carry its stack and task name", async () => {
    const report = await failingSeed(async (ctx) => {
      await ctx.task.spawn("worker-task", async () => throwFromTask()).join();
    });
    const row = report.seeds[0]!;
    expect(row.error).toMatch(/^seed 5: /);
    expect(row.stack).toContain("throwFromTask");
    const text = report.format({ color: false });
    expect(text).toContain("boom in a task");
    expect(text).toMatch(/\n {6}at throwFromTask .*report-stack\.test\.ts/);
    const json = report.toJSON() as { seeds: { stack?: string; error?: string }[] };
    expect(json.seeds[0]!.stack).toContain("throwFromTask");
    expect(json.seeds[0]!.error).toBe(row.error);
    // A worker sends the JSON back: the stack survives the round trip.
    expect(SimulationReport.fromJSON(json).format({ color: false })).toContain("at throwFromTask");
  });

  it("a task that fails unjoined names the task in the message and keeps the cause's frames", async () => {
    const report = await failingSeed(async (ctx) => {
      ctx.task.spawn("background", async () => throwFromTask());
      await ctx.time.sleep(10);
    });
    const row = report.seeds[0]!;
    expect(row.error).toMatch(/background/);
    expect(row.stack).toContain("throwFromTask");
    expect(report.format({ color: false })).toMatch(/seed 5: .*background[\s\S]*at throwFromTask/);
  });

  it("an unhandled rejection keeps the rejected error's stack", async () => {
    const report = await failingSeed(async (ctx) => {
      rejectUnhandled();
      await ctx.time.sleep(10);
    });
    expect(report.seeds[0]!.stack).toContain("rejectUnhandled");
    expect(report.format({ color: false })).toContain("at rejectUnhandled");
  });

  it("a throwing shutdown listener keeps the listener's stack", async () => {
    const report = await failingSeed(async (ctx) => {
      ctx.shutdown.addEventListener("abort", () => throwFromShutdown());
      await ctx.time.sleep(10);
    });
    expect(report.seeds[0]!.stack).toContain("throwFromShutdown");
    expect(report.format({ color: false })).toContain("at throwFromShutdown");
  });

  it("format() leaves out node_modules and Node-internal frames and the repeated header", () => {
    const report = new SimulationReport({
      baseSeed: 0,
      wallMs: 1,
      assertions: [],
      seeds: [
        {
          seed: 9,
          ok: false,
          events: 1,
          simulatedMs: 0,
          wallMs: 1,
          traceHash: "h",
          error: 'seed 9: task "a/t" failed: Error: x',
          stack: [
            'SimulationError: seed 9: task "a/t" failed: Error: x',
            "caused by: Error: x",
            "    at userCode (/app/src/thing.ts:3:9)",
            "    at lib (/app/node_modules/lib/index.js:1:1)",
            "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
          ].join("\n"),
        },
      ],
    });
    const lines = report.format({ color: false }).split("\n");
    const at = lines.findIndex((l) => l.includes("✗ seed 9"));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      "    caused by: Error: x",
      "      at userCode (/app/src/thing.ts:3:9)",
      "    replay: moonpool replay <file> --seed 9",
    ]);
  });
});

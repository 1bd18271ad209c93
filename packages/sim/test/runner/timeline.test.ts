import { assertionReport, resetAssertions } from "@moonpool/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { runFile, SimulationBuilder, type TimelinePoint, timelineRunner } from "../../src/index.ts";
import { chooseExecutor } from "./executor-choice.ts";
import { drawsWorkload } from "./fixtures/draws.sim.ts";

beforeAll(chooseExecutor);

const FIXTURE = new URL("./fixtures/draws.sim.ts", import.meta.url);
const build = () => new SimulationBuilder().logSeeds(false).workload(drawsWorkload);
const SEED = 4242;

async function drawnValues(recipe: string): Promise<number[]> {
  const report = await build().recordTraces().replay(SEED, recipe);
  const events = (report.traces?.[String(SEED)] ?? []) as { name: string; fields?: { v?: number } }[];
  return events.filter((e) => e.name === "draw").map((e) => Number(e.fields?.v));
}

/** Live calls per assertion message of one timeline. */
async function liveCalls(points: TimelinePoint[]) {
  resetAssertions();
  const seen: { message: string; bucket?: string; at: { count: number; ordinal: number } }[] = [];
  const t = await timelineRunner(build())(SEED, points, {
    onDiscovery: (d, at) => seen.push({ message: d.message, ...(d.bucket ? { bucket: d.bucket } : {}), at }),
  });
  const calls = Object.fromEntries(assertionReport().map((e) => [e.message, e.pass + e.fail]));
  return { t, calls, seen };
}

describe("timelines", () => {
  it("a child's trace equals its parent's up to the split point, then diverges", async () => {
    const parent = await drawnValues("");
    const child = await drawnValues("5@77");
    expect(parent.length).toBe(20);
    expect(child.slice(0, 5)).toEqual(parent.slice(0, 5));
    expect(child.slice(5)).not.toEqual(parent.slice(5));
    // A grandchild shares the child's prefix, then diverges from it.
    const grandchild = await drawnValues("5@77 -> 4@78");
    expect(grandchild.slice(0, 9)).toEqual(child.slice(0, 9));
    expect(grandchild.slice(9)).not.toEqual(child.slice(9));
  });

  it("goes live right after the assertion call that split, before any draw", async () => {
    // Each step draws, then calls "step" and "low draw". Call 5 of the root segment is step 2's
    // "step" (3 draws taken); the "low draw" right after it, with no draw in between, is the child's.
    const afterStep = await liveCalls([{ count: 3, ordinal: 5, seed: 77 }]);
    expect(afterStep.t.live).toBe(true);
    expect(afterStep.t.prefixDraws).toBe(3);
    expect(afterStep.calls.step).toBe(17);
    expect(afterStep.calls["low draw"]).toBe(18);
    const afterLow = await liveCalls([{ count: 3, ordinal: 6, seed: 77 }]);
    expect(afterLow.calls.step).toBe(17);
    expect(afterLow.calls["low draw"]).toBe(17);
    // Positions: the child's "low draw" is call 1 of its segment, step 3's bucket call 2 after one draw.
    const step3 = afterStep.seen.find((s) => s.bucket === "i=3");
    expect(step3?.at).toEqual({ count: 1, ordinal: 2 });
    expect(afterStep.seen.some((s) => s.bucket === "i=2")).toBe(false);
    // A nested child split at that discovery goes live right after it.
    const nested = await liveCalls([
      { count: 3, ordinal: 5, seed: 77 },
      { count: 1, ordinal: 2, seed: 88 },
    ]);
    expect(nested.t.prefixDraws).toBe(4);
    expect(nested.calls.step).toBe(16);
    expect(nested.calls["low draw"]).toBe(17);
    // A count-only recipe (text form) goes live at the first call after the reseeded draw.
    const countOnly = await liveCalls([{ count: 3, seed: 77 }]);
    expect(countOnly.calls.step).toBe(17);
    expect(countOnly.calls["low draw"]).toBe(17);
  });

  it("the root timeline is live from the start and counts every call", async () => {
    const root = await liveCalls([]);
    expect(root.t.prefixDraws).toBe(0);
    expect(root.calls.step).toBe(20);
    expect(root.t.draws).toBe(20);
  });

  it("a recipe past the end of the run never goes live", async () => {
    const late = await liveCalls([{ count: 500, ordinal: 1, seed: 3 }]);
    expect(late.t.live).toBe(false);
    expect(late.calls.step ?? 0).toBe(0);
  });

  it("replays a recipe identically alone, in a batch, in a worker, and as a builder replay", async () => {
    const points = [
      { count: 3, ordinal: 5, seed: 77 },
      { count: 1, ordinal: 2, seed: 88 },
    ];
    const run = timelineRunner(build());
    const alone = await run(SEED, points);
    const again = await run(SEED, points);
    expect(again.traceHash).toBe(alone.traceHash);
    // In a batch: other timelines and seeds before it change nothing.
    await run(1, []);
    await run(SEED, [{ count: 2, seed: 5 }]);
    const batched = await run(SEED, points);
    expect(batched.traceHash).toBe(alone.traceHash);
    // Suppressing the prefix's assertions does not touch the trace: a plain replay agrees.
    const replay = await build().replay(SEED, "3@77 -> 1@88");
    expect(replay.seeds[0]?.traceHash).toBe(alone.traceHash);
    const inWorker = await runFile(FIXTURE, { seeds: [SEED], recipe: "3@77 -> 1@88", logSeeds: false });
    expect(inWorker.seeds[0]?.traceHash).toBe(alone.traceHash);
    // And the recipe matters: the root timeline differs.
    expect((await run(SEED, [])).traceHash).not.toBe(alone.traceHash);
  });

  it("rejects bad split points with errors naming them", async () => {
    const run = timelineRunner(build());
    await expect(run(1, [{ count: -1, seed: 1 }])).rejects.toThrow(/points\[0\]\.count/);
    await expect(run(1, [{ count: 1, seed: 1, ordinal: 0 }])).rejects.toThrow(/points\[0\]\.ordinal/);
    await expect(run(-1, [])).rejects.toThrow(/timeline\(seed\)/);
    expect(() => build().withRecipe("1@x")).toThrow(/withRecipe\(recipe\)/);
  });
});

describe("replay commands of a recipe run", () => {
  it("a failing seed's replay command carries the recipe (and plain runs do not)", async () => {
    const failing = () =>
      new SimulationBuilder().logSeeds(false).workload({
        name: "fails",
        async run(ctx) {
          ctx.random.int(0, 10);
          throw new Error("planted");
        },
      });
    const withRecipe = await failing().replay(5, "1@42");
    expect(withRecipe.replayCommand(5)).toBe("moonpool replay <file> --seed 5 --recipe 1@42");
    expect(JSON.stringify(withRecipe.toJSON())).toContain('"recipe":"1@42"');
    const plain = await failing().seeds([5]).run();
    expect(plain.replayCommand(5)).toBe("moonpool replay <file> --seed 5");
  });
});

describe("timeline observer: onCall", () => {
  it("sees every live assertion call, with the split point a child would take there", async () => {
    resetAssertions();
    const root: { count: number; ordinal: number }[] = [];
    await timelineRunner(build())(SEED, [], { onCall: (at) => root.push(at) });
    // 20 steps, each: one draw, then "step" and "low draw", plus the always of step 15.
    expect(root.length).toBe(41);
    expect(root[4]).toEqual({ count: 3, ordinal: 5 });
    // A child split at call 5 sees only the calls after it, numbered in its own segment.
    resetAssertions();
    const child: { count: number; ordinal: number }[] = [];
    await timelineRunner(build())(SEED, [{ count: 3, ordinal: 5, seed: 77 }], {
      onCall: (at) => child.push(at),
    });
    expect(child.length).toBe(36);
    expect(child[0]).toEqual({ count: 0, ordinal: 1 });
  });
});

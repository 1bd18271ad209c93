// A workload instance is shared by a run's seeds: its fields are restored before every seed, so a
// seed fails or passes the same alone or after others, and its replay command reproduces it.
import { describe, expect, it } from "vitest";
import { SimulationBuilder, type Workload } from "../../src/index.ts";

/** Fails once it has seen three seeds' worth of items: only in a batch, unless restored. */
function accumulating(): Workload & {
  seen: number[];
  stats: { calls: number };
  tags: Map<string, number[]>;
} {
  return {
    name: "acc",
    seen: [],
    stats: { calls: 0 },
    tags: new Map(),
    async run(ctx) {
      this.seen.push(ctx.random.int(0, 100));
      this.stats.calls += 1;
      this.tags.set(`t${this.stats.calls}`, [this.stats.calls]);
      (this as unknown as Record<string, unknown>).extra = "added during a seed";
      if (this.seen.length >= 3) throw new Error(`saw ${this.seen.length} items`);
    },
  };
}

describe("a workload instance", () => {
  it("gives the same verdict and hash for a seed alone and in a batch", async () => {
    const batch = await new SimulationBuilder()
      .logSeeds(false)
      .workload(accumulating())
      .seeds([11, 12, 13])
      .run();
    const alone = await new SimulationBuilder().logSeeds(false).workload(accumulating()).seeds([13]).run();
    expect(batch.seeds.map((s) => s.ok)).toEqual([true, true, true]);
    expect(alone.seeds[0]).toMatchObject({ ok: true, traceHash: batch.seeds[2]!.traceHash });
  });

  it("is back to its first state before each seed, fields added during a seed removed", async () => {
    const w = accumulating();
    const starts: string[] = [];
    const spy: Workload = {
      name: "spy",
      async setup() {
        starts.push(
          JSON.stringify({ seen: w.seen, calls: w.stats.calls, tags: [...w.tags], extra: "extra" in w }),
        );
      },
      async run() {},
    };
    await new SimulationBuilder().logSeeds(false).workload(w).workload(spy).seeds([1, 2]).run();
    expect(starts).toEqual([
      '{"seen":[],"calls":0,"tags":[],"extra":false}',
      '{"seen":[],"calls":0,"tags":[],"extra":false}',
    ]);
  });

  it("is refused, naming the factory form, when a field cannot be restored", () => {
    class Client implements Workload {
      name = "client";
      #count = 0;
      async run() {
        this.#count++;
      }
    }
    const b = new SimulationBuilder();
    expect(() => b.workload(new Client())).toThrow(/workload\(w\).*Client instance.*pass a factory/);
    const withSocket = { name: "s", conn: new (class Conn {})(), async run() {} };
    expect(() => b.workload(withSocket)).toThrow(/Conn instance at conn/);
    const nestedFn = { name: "n", handlers: { onData: () => {} }, async run() {} };
    expect(() => b.workload(nestedFn)).toThrow(/function at handlers.onData/);
    expect(() => b.workload(() => new Client())).not.toThrow();
  });
});

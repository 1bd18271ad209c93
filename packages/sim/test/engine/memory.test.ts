import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { runOk } from "./helpers.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("memory", () => {
  it("tasks left pending at the end of a seed are garbage collected", async () => {
    const refs: WeakRef<object>[] = [];
    for (let seed = 0; seed < 5; seed++) {
      await runOk(seed, async (kernel, actors) => {
        const a = actors.createActor("a", "x");
        for (let i = 0; i < 10; i++) {
          const state = { payload: new Array(1_000).fill(seed) };
          refs.push(new WeakRef(state));
          a.task.spawn(`stuck${i}`, async () => {
            await kernel.waker<void>("never").promise;
            state.payload.push(1);
          });
          a.task.spawn(`sleeper${i}`, async () => {
            await a.time.sleep(1e9);
            state.payload.push(2);
          });
        }
        await a.time.sleep(1);
      });
    }
    // WeakRefs are kept alive until the current job ends: collect from a later macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});

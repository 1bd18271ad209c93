// The browser host drains the same seeds to the same traces as the Node host: the engine and
// the web-standard hermetic globals are host-neutral, only the drain primitives differ. (The
// page test in apps/browser runs it in Chromium; here it runs under Node's MessageChannel.)
import { describe, expect, it } from "vitest";
import { createRunSeed, DEFAULT_BUDGETS, runSeed } from "../../src/engine/executor.ts";
import type { RunSeed, SeedRunOptions } from "../../src/engine/kernel.ts";
import { browserHost } from "../../src/host/browser-host.ts";

const options = (seed: number): SeedRunOptions => ({
  seed,
  hermetic: true,
  budgets: DEFAULT_BUDGETS,
  onQuiescent: () => false,
  onTrace: () => {},
});

/** Three actors racing on timers, Math.random, Date.now, crypto and setTimeout. */
async function race(run: RunSeed, seed: number): Promise<{ hash: string; seen: string[] }> {
  const seen: string[] = [];
  const outcome = await run(options(seed), async (_kernel, actors) => {
    const tasks = ["a", "b", "c"].map(async (name, i) => {
      const actor = actors.createActor(name, `10.0.0.${i + 1}`);
      for (let k = 0; k < 5; k++) {
        await actor.time.sleep(Math.floor(Math.random() * 50));
        await new Promise((r) => setTimeout(r, 3));
        const bytes = crypto.getRandomValues(new Uint8Array(2));
        seen.push(`${name}@${Date.now()}:${bytes.join(".")}:${performance.now()}`);
      }
    });
    await Promise.all(tasks);
  });
  if (!outcome.ok) throw outcome.error;
  return { hash: outcome.engineHash, seen };
}

describe("browser host", () => {
  it("gives the Node host's trace hash and observations for the same seeds", async () => {
    const onBrowser = createRunSeed(browserHost);
    for (const seed of [1, 2, 3, 42]) {
      const node = await race(runSeed, seed);
      const browser = await race(onBrowser, seed);
      expect(browser).toEqual(node);
      expect(node.seen).toHaveLength(15);
      expect(node.hash).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("restores the real globals after a seed", async () => {
    const realNow = Date.now;
    const realRandom = Math.random;
    await race(createRunSeed(browserHost), 7);
    expect(Date.now).toBe(realNow);
    expect(Math.random).toBe(realRandom);
    expect(Date.now()).toBeGreaterThan(1_700_000_000_000);
  });

  it("reports an unhandled error in a task as the seed's failure", async () => {
    const outcome = await createRunSeed(browserHost)(options(3), async (_k, actors) => {
      const a = actors.createActor("a", "10.0.0.1");
      await a.time.sleep(10);
      throw new Error("boom in the browser");
    });
    expect(outcome.ok).toBe(false);
    expect(String(outcome.error)).toContain("boom in the browser");
  });
});

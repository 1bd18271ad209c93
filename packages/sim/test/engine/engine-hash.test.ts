import { describe, expect, it } from "vitest";
import type { Main } from "./helpers.ts";
import { runOk } from "./helpers.ts";

const workload: Main = async (_k, actors) => {
  const a = actors.createActor("a", "10.0.0.1");
  const b = actors.createActor("b", "10.0.0.2");
  const hs = [a, b, a].map((actor, i) =>
    actor.task.spawn(`w${i}`, async () => {
      for (let k = 0; k < 20; k++) await actor.time.sleep(actor.random.int(1, 50));
    }),
  );
  for (const h of hs) await h.join();
};

describe("engine hash", () => {
  it("is the same for a seed alone or after other seeds; differs between seeds", async () => {
    const alone = (await runOk(42, workload)).engineHash;
    for (let s = 0; s < 5; s++) await runOk(s, workload);
    const afterOthers = (await runOk(42, workload)).engineHash;
    expect(afterOthers).toBe(alone);
    expect(alone).toMatch(/^[0-9a-f]{16}$/);
    expect((await runOk(43, workload)).engineHash).not.toBe(alone);
  });
});

describe("engine hash across processes", () => {
  it("a seed gives the same hash in a fresh process", async () => {
    const { execFileSync } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const fixture = fileURLToPath(new URL("./fixtures/hash-seed.ts", import.meta.url));
    const inChild = (seed: number) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ["--conditions=@moonpool/source", "--import", "tsx", fixture, String(seed)],
          {
            encoding: "utf8",
          },
        ),
      ) as { ok: boolean; engineHash: string; draws: number };
    const a = inChild(5);
    const b = inChild(5);
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
    expect(inChild(6).engineHash).not.toBe(a.engineHash);
  });
});

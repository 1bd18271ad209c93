import { describe, expect, it } from "vitest";
import { runOk } from "./helpers.ts";

/** 16 tasks that each append their id after every wake; returns the interleaving. */
async function race16(seed: number): Promise<string> {
  const order: number[] = [];
  await runOk(seed, async (_kernel, actors) => {
    const a = actors.createActor("racer", "10.0.0.1");
    const handles = Array.from({ length: 16 }, (_, i) =>
      a.task.spawn(`t${i}`, async () => {
        for (let k = 0; k < 3; k++) {
          order.push(i);
          await a.task.yieldNow();
        }
      }),
    );
    for (const h of handles) await h.join();
  });
  return order.join(",");
}

describe("scheduler", () => {
  it("replays the same interleaving for the same seed", async () => {
    const first = await race16(7);
    expect(first.split(",")).toHaveLength(48);
    expect(await race16(7)).toBe(first);
  });

  it("explores different interleavings for different seeds", async () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 10; seed++) orders.add(await race16(seed));
    expect(orders.size).toBe(10);
  });

  it("yieldNow re-queues the task behind other ready tasks", async () => {
    // A spins on yieldNow until B has run; B only runs if the scheduler picks it among the ready wakes.
    for (let seed = 0; seed < 20; seed++) {
      let spins = 0;
      await runOk(seed, async (_k, actors) => {
        const a = actors.createActor("a", "10.0.0.1");
        let bRan = false;
        const spinner = a.task.spawn("spinner", async () => {
          while (!bRan) {
            spins++;
            await a.task.yieldNow();
          }
        });
        const b = a.task.spawn("b", async () => {
          bRan = true;
        });
        await Promise.all([spinner.join(), b.join()]);
      });
      expect(spins).toBeLessThan(100);
    }
  });
});

describe("random streams in a seed", () => {
  it("scheduling and select never draw from the counted stream", async () => {
    const outcome = await runOk(3, async (_k, actors) => {
      const a = actors.createActor("a", "x");
      const hs = Array.from({ length: 16 }, (_, i) =>
        a.task.spawn(`t${i}`, async () => {
          await a.task.yieldNow();
          await a.task.select([(s) => a.time.sleep(1, s), (s) => a.time.sleep(1, s)]);
        }),
      );
      for (const h of hs) await h.join();
    });
    expect(outcome.draws).toBe(0);
  });

  it("reseed points apply to the seed's counted stream", async () => {
    const draws = async (reseeds: { count: number; seed: number }[]) => {
      const out: number[] = [];
      await runOk(
        4,
        async (_k, actors) => {
          const a = actors.createActor("a", "x");
          for (let i = 0; i < 4; i++) out.push(a.random.int(0, 1_000_000_000));
        },
        { reseeds },
      );
      return out;
    };
    const plain = await draws([]);
    const branched = await draws([{ count: 2, seed: 99 }]);
    expect(branched.slice(0, 2)).toEqual(plain.slice(0, 2));
    expect(branched.slice(2)).not.toEqual(plain.slice(2));
    expect(await draws([{ count: 2, seed: 99 }])).toEqual(branched);
  });
});

describe("the counted main stream", () => {
  /** Draws `perActor` values from each of `actors` actors, killing each one after its draws. */
  const drawAcrossActors = async (actorCount: number, perActor: number, killEach: boolean) => {
    const out: number[] = [];
    const outcome = await runOk(11, async (_k, actors) => {
      for (let i = 0; i < actorCount; i++) {
        // A "reboot": the same process name and IP again, with fresh providers.
        const actor = actors.createActor("server", "10.0.1.1");
        for (let d = 0; d < perActor; d++) out.push(actor.random.int(0, 1_000_000_000));
        if (killEach) actor.kill("reboot");
      }
    });
    return { out, draws: outcome.draws };
  };

  it("is never rewound by creating providers or by reboots", async () => {
    const single = await drawAcrossActors(1, 12, false);
    const rebooted = await drawAcrossActors(4, 3, true);
    const fresh = await drawAcrossActors(6, 2, false);
    expect(new Set(single.out).size).toBe(12);
    expect(rebooted.out).toEqual(single.out);
    expect(fresh.out).toEqual(single.out);
    expect(rebooted.draws).toBe(12);
  });

  it("a reseed point `count@seed` takes effect across a reboot, at the exact draw count", async () => {
    const draw = async (reseeds: { count: number; seed: number }[]) => {
      const out: number[] = [];
      await runOk(
        12,
        async (_k, actors) => {
          const first = actors.createActor("server", "10.0.1.1");
          out.push(first.random.int(0, 1e9), first.random.int(0, 1e9), first.random.int(0, 1e9));
          first.kill("reboot");
          const second = actors.createActor("server", "10.0.1.1");
          out.push(second.random.int(0, 1e9), second.random.int(0, 1e9));
        },
        { reseeds },
      );
      return out;
    };
    const plain = await draw([]);
    const split = await draw([{ count: 3, seed: 5 }]);
    expect(split.slice(0, 3)).toEqual(plain.slice(0, 3));
    expect(split.slice(3)).not.toEqual(plain.slice(3));
    // The same recipe reproduces the same timeline; another reseed value gives another one.
    expect(await draw([{ count: 3, seed: 5 }])).toEqual(split);
    expect((await draw([{ count: 3, seed: 6 }])).slice(3)).not.toEqual(split.slice(3));
  });
});

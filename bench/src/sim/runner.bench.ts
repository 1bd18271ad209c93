// Runner throughput: seeds per second for a small 3-actor simulation (goal >= 2,000/s on one
// core), and the 3-task lost-update race explored by the simulator side by side with
// fast-check's scheduler on the same race.
import { SimulationBuilder, type Workload } from "@moonpool/sim";
import fc from "fast-check";
import type { BenchSuite } from "../harness.ts";

/** Runs `seeds` seeds of a fresh builder and returns [seeds/s, failed seeds]. */
async function seedsPerSecond(make: () => SimulationBuilder, seeds: number): Promise<[number, number]> {
  const start = performance.now();
  const report = await make().logSeeds(false).iterations(seeds).run();
  const seconds = (performance.now() - start) / 1000;
  return [report.iterations / seconds, report.failed];
}

const threeActors = () =>
  new SimulationBuilder()
    .processes(1, () => ({
      name: "server",
      async run(ctx) {
        while (!ctx.shutdown.aborted) await ctx.time.sleep(10, ctx.shutdown).catch(() => {});
      },
    }))
    .workloads(2, (i) => ({
      name: `client-${i}`,
      async run(ctx) {
        for (let k = 0; k < 3; k++) {
          await ctx.time.sleep(ctx.random.int(1, 5));
          ctx.state.set(`c${i}`, k);
        }
      },
    }));

/** Lost updates seen by the race workload (counted, as on the fast-check side, not thrown). */
const raceCount = { lost: 0 };

const race = (): Workload => ({
  name: "race",
  async run(ctx) {
    let counter = 0;
    const inc = async () => {
      // A seeded number of scheduling points first, so the race is intermittent (see race.sim.ts).
      for (let n = ctx.random.int(0, 3); n > 0; n--) await ctx.task.yieldNow();
      const seen = counter;
      await ctx.task.yieldNow();
      counter = seen + 1;
    };
    const tasks = [ctx.task.spawn("a", inc), ctx.task.spawn("b", inc), ctx.task.spawn("c", inc)];
    for (const t of tasks) await t.join();
    if (counter !== 3) raceCount.lost++;
  },
});

/** fast-check's scheduler on the same race: [runs/s, runs that lost an update]. */
async function fastCheckRace(runs: number): Promise<[number, number]> {
  let lost = 0;
  const start = performance.now();
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
      async (s, waits) => {
        let counter = 0;
        const inc = async (waitCount: number) => {
          for (let n = waitCount; n > 0; n--) await s.schedule(Promise.resolve());
          const seen = counter;
          await s.schedule(Promise.resolve());
          counter = seen + 1;
        };
        const tasks = waits.map(inc);
        await s.waitAll();
        await Promise.all(tasks);
        if (counter !== 3) lost++;
      },
    ),
    { numRuns: runs },
  );
  return [runs / ((performance.now() - start) / 1000), lost];
}

export default (async (r) => {
  await seedsPerSecond(threeActors, 3_000); // warm-up (JIT)
  const [small] = await seedsPerSecond(threeActors, 4_000);
  r.figure("sim runner: 3-actor workload", small, "seeds/s");

  await seedsPerSecond(() => new SimulationBuilder().workload(race), 2_000);
  raceCount.lost = 0;
  const [raceRate] = await seedsPerSecond(() => new SimulationBuilder().workload(race), 4_000);
  const raceFailed = raceCount.lost;
  await fastCheckRace(500);
  const [fcRate, fcLost] = await fastCheckRace(4_000);
  r.figure("sim runner: 3-task lost-update race", raceRate, "seeds/s");
  r.figure("sim runner: race seeds that found the lost update", (raceFailed / 4_000) * 100, "%");
  r.figure("fast-check scheduler: 3-task lost-update race", fcRate, "runs/s");
  r.figure("fast-check scheduler: runs that found the lost update", (fcLost / 4_000) * 100, "%");
  r.ratio(
    "race: sim seeds/s / fast-check runs/s",
    raceRate / fcRate,
    "same 3-task race, one interleaving per seed/run, lost updates counted on both sides",
  );
}) satisfies BenchSuite;

// simTest as a user writes it (run by ../vitest.test.ts in a child vitest).

import { simTest } from "@moonpool/cli/vitest";
import { SimulationBuilder } from "@moonpool/sim";

const dice = () =>
  new SimulationBuilder().workload({
    name: "dice",
    async run(ctx) {
      const roll = ctx.random.int(0, 6);
      await ctx.time.sleep(roll);
      ctx.trace("rolled", { roll });
      if (roll === 0) throw new Error(`rolled a zero`);
    },
  });

const calm = () =>
  new SimulationBuilder().workload({
    name: "calm",
    async run(ctx) {
      await ctx.time.sleep(ctx.random.int(1, 5));
    },
  });

simTest("calm never fails", calm, { seeds: 5 });
simTest("dice sometimes roll a zero", dice, { seeds: 20 });

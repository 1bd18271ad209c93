// Slow seeds where every third one fails: --fail-fast stops at the first failure.
import { SimulationBuilder } from "@moonpool/sim";

export default () =>
  new SimulationBuilder()
    .workload({
      name: "busy",
      async run(ctx) {
        let x = ctx.random.int(0, 3);
        const fails = x === 0;
        for (let i = 0; i < 10_000_000; i++) x = (x * 31 + i) % 1_000_003;
        if (fails) throw new Error("unlucky");
      },
    })
    .iterations(300);

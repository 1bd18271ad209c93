// Seeds that each burn ~30 ms of CPU, so a run is still going when the test presses Ctrl-C.
import { SimulationBuilder } from "@moonpool/sim";

export default () =>
  new SimulationBuilder()
    .workload({
      name: "busy",
      async run(ctx) {
        let x = ctx.random.int(0, 10);
        for (let i = 0; i < 30_000_000; i++) x = (x * 31 + i) % 1_000_003;
        ctx.trace("burned", { x });
      },
    })
    .iterations(500);

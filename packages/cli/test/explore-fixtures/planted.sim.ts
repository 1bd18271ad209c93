// Two 10% gates behind sometimes marks; passing both is the bug (1% per plain seed).
import { always, reachable, sometimes } from "@moonpool/assertions";
import { SimulationBuilder } from "@moonpool/sim";

export default () =>
  new SimulationBuilder().workload(() => ({
    name: "planted",
    async run(ctx) {
      reachable("entry");
      const a = ctx.random.random() < 0.1;
      sometimes(a, "gate a");
      if (!a) return;
      const b = ctx.random.random() < 0.1;
      sometimes(b, "gate b");
      always(!b, "planted bug");
    },
  }));

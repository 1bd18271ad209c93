// Small workloads for explorer tests (moonpool's explorer scenarios, section 3.4 of the reference).
import { always, reachable, sometimes } from "@moonpool/assertions";
import { SimulationBuilder } from "@moonpool/sim";

/**
 * `run_adaptive_dungeon_floors`: `floors` floors, each cleared with p = 1/5 at its single
 * attempt; a `sometimes` mark per floor; clearing all floors is the bug (0.2^floors per seed).
 * `marks` adds a `reachable` before any draw and one at the very end.
 */
export function floorsSimulation(floors = 5, marks = false): SimulationBuilder {
  return new SimulationBuilder().logSeeds(false).workload(() => ({
    name: "floors",
    async run(ctx) {
      if (marks) reachable("start");
      let floor = 0;
      while (floor < floors && ctx.random.int(0, 5) === 0) {
        floor++;
        sometimes(true, `floor ${floor} cleared`);
      }
      always(floor < floors, "all floors cleared");
      if (marks) reachable("end");
    },
  }));
}

/**
 * The planted bug: two gates at 10% each guarded by sometimes marks (1% per plain seed), after
 * a mark every root timeline reaches.
 */
export function plantedSimulation(): SimulationBuilder {
  return new SimulationBuilder().logSeeds(false).workload(() => ({
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
}

// moonpool's maze workload (moonpool-sim-examples/src/maze.rs), ported exactly: 4 locks, each
// behind 5 gates that pass with p = 0.05, with dependencies between locks. A `sometimesEach`
// before every gate gives the explorer a split point right where a rare draw decides; random
// seeds alone practically never open all four (about 1e-16 per seed).
import { always, sometimes, sometimesEach } from "@moonpool/assertions";
import type { RandomProvider } from "@moonpool/core";

/** Probability that one gate passes. */
export const GATE_P = 0.05;
/** Gates per lock. */
export const GATES = 5;
/** Steps per run. */
export const MAX_STEPS = 500;

/** How a maze run ended. */
export type MazeResult = "done" | "bug";

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** The maze's state machine over a random stream (the simulation's counted stream). */
export class Maze {
  /** Open locks, one bit each. */
  locks = 0;
  steps = 0;
  private readonly random: RandomProvider;

  constructor(random: RandomProvider) {
    this.random = random;
  }

  private isOpen(id: number): boolean {
    return (this.locks & (1 << id)) !== 0;
  }

  private tryOpen(id: number): void {
    const open = popcount(this.locks);
    for (let depth = 1; depth <= GATES; depth++) {
      sometimesEach("gate", { lock: id, depth, locks: open });
      if (this.random.random() >= GATE_P) return;
    }
    this.locks |= 1 << id;
    sometimesEach("lock opens", { lock: id, locks: open });
  }

  /** One step; "bug" when all four locks are open, "done" at the step limit, else null. */
  step(): MazeResult | null {
    this.steps++;
    this.random.random(); // state mixing: one draw thrown away, as moonpool does
    if (!this.isOpen(0)) this.tryOpen(0);
    if (this.isOpen(0) && !this.isOpen(1)) this.tryOpen(1);
    if (!this.isOpen(2)) this.tryOpen(2);
    if (this.isOpen(0) && this.isOpen(2) && !this.isOpen(3)) this.tryOpen(3);
    if (this.locks === 0b1111) {
      sometimes(true, "all locks open");
      return "bug";
    }
    return this.steps >= MAX_STEPS ? "done" : null;
  }

  /** Runs to the end. */
  run(): MazeResult {
    for (;;) {
      const r = this.step();
      if (r !== null) return r;
    }
  }
}

/** Runs one maze and asserts the planted bug is never reached (a violation fails the seed). */
export function runMaze(random: RandomProvider): MazeResult {
  const result = new Maze(random).run();
  always(result !== "bug", "maze bug: all 4 locks opened");
  return result;
}

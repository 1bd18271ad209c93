// PCT scheduling (Burckhardt, Kothari, Musuvathi, Nagarakatte: "A Randomized Scheduler with
// Probabilistic Guarantees of Finding Bugs", ASPLOS 2010). Each task gets a random initial
// priority (>= depth); the highest-priority ready waker always runs; after step k_i of the
// depth - 1 change points drawn in [1, steps], the task that ran drops to priority depth - i,
// below every initial priority. Guarantee: a bug of depth d in a program of n tasks and k steps
// is found with probability >= 1 / (n * k^(d - 1)). Draws come from the scheduling stream only.
import type { StreamRandom } from "./random-streams.ts";
import type { SimTask } from "./task.ts";
import type { SimWaker } from "./waker.ts";

/** A PCT scheduler for one seed. */
export class PctPolicy {
  private readonly random: StreamRandom;
  private readonly depth: number;
  private readonly priorities = new Map<SimTask, number>();
  /** Change points (1-based step numbers), ascending; `nextChange` indexes the next one. */
  private readonly changes: number[];
  private nextChange = 0;
  private steps = 0;

  constructor(random: StreamRandom, depth: number, steps: number) {
    this.random = random;
    this.depth = depth;
    const changes: number[] = [];
    for (let i = 1; i < depth; i++) changes.push(1 + random.index(steps));
    this.changes = changes.sort((a, b) => a - b);
  }

  /** Index in `ready` of the waker to resume: the one whose task has the highest priority. */
  pick(ready: readonly SimWaker<unknown>[]): number {
    let best = 0;
    let bestPriority = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < ready.length; i++) {
      const p = this.priorityOf((ready[i] as SimWaker<unknown>).task);
      if (p > bestPriority) {
        bestPriority = p;
        best = i;
      }
    }
    return best;
  }

  /** Called after resuming a waker of `task`: applies a change point when this step is one. */
  resumed(task: SimTask | null): void {
    this.steps++;
    while (this.nextChange < this.changes.length && this.changes[this.nextChange] === this.steps) {
      this.nextChange++;
      if (task !== null) this.priorities.set(task, this.depth - this.nextChange);
    }
  }

  private priorityOf(task: SimTask | null): number {
    // Device code outside any task always goes first: it only moves data between tasks.
    if (task === null) return Number.POSITIVE_INFINITY;
    let p = this.priorities.get(task);
    if (p === undefined) {
      p = this.depth + this.random.random();
      this.priorities.set(task, p);
    }
    return p;
  }
}

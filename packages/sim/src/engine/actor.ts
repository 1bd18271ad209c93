// An actor scope: the tasks of one process or workload, with providers bound to it. Killing the
// actor drops its tasks for good (a reboot or the end of a seed).
import type { RandomProvider, TaskProvider, TimeProvider } from "@moonpool/core";
import type { ActorScope, SimRandom } from "./kernel.ts";
import { SimTaskProvider } from "./sim-task.ts";
import { SimTimeProvider } from "./sim-time.ts";
import type { SimTask } from "./task.ts";
import type { SimWorld } from "./world.ts";

/** Engine implementation of `ActorScope`. */
export class SimActor implements ActorScope {
  readonly id: number;
  readonly name: string;
  readonly ip: string;
  readonly time: TimeProvider;
  readonly task: TaskProvider;
  readonly random: SimRandom;
  /** Live tasks, in spawn order. */
  readonly live = new Set<SimTask>();
  killed = false;

  /** True once killed (events guarded by the actor are dropped). */
  get dead(): boolean {
    return this.killed;
  }
  private readonly world: SimWorld;

  constructor(world: SimWorld, id: number, name: string, ip: string, driftMs: number) {
    this.world = world;
    this.id = id;
    this.name = name;
    this.ip = ip;
    this.time = new SimTimeProvider(world, this, driftMs);
    this.task = new SimTaskProvider(world, this);
    this.random = new GuardedRandom(world);
  }

  /** Kills every task now; the actor accepts no new task afterwards (a reboot creates a new actor). */
  kill(reason: string): void {
    this.world.killActor(this, reason);
    this.killed = true;
  }

  liveTasks(): { name: string; awaiting: string }[] {
    return [...this.live].map((t) => ({ name: t.name, awaiting: t.describeAwaiting() }));
  }
}

/** The counted stream as an actor sees it: same draws, plus the outside-a-drain check. */
class GuardedRandom implements SimRandom {
  private readonly world: SimWorld;
  constructor(world: SimWorld) {
    this.world = world;
  }
  get draws(): number {
    return this.world.random.draws;
  }
  get drawsSinceReseed(): number {
    return this.world.random.drawsSinceReseed;
  }
  random(): number {
    this.world.checkLive("random.random");
    return this.world.random.random();
  }
  int(min: number, maxExclusive: number): number {
    this.world.checkLive("random.int");
    return this.world.random.int(min, maxExclusive);
  }
  bool(p?: number): boolean {
    this.world.checkLive("random.bool");
    return this.world.random.bool(p);
  }
  bytes(n: number): Uint8Array {
    this.world.checkLive("random.bytes");
    return this.world.random.bytes(n);
  }
  pick<T>(items: readonly T[]): T {
    this.world.checkLive("random.pick");
    return this.world.random.pick(items);
  }
}

export type { RandomProvider };

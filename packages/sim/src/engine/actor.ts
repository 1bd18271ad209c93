// An actor scope: the tasks of one process or workload, with providers bound to it. Killing the
// actor drops its tasks for good (a reboot or the end of a seed).
import type { RandomProvider, TaskProvider, TimeProvider } from "@moonpool/core";
import { ActorDeviceOwner, type DeviceOwner } from "./device-owner.ts";
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
  #owner: ActorDeviceOwner | null = null;
  nodeNet: (() => object) | null = null;

  constructor(world: SimWorld, id: number, name: string, ip: string, driftMs: number) {
    this.world = world;
    this.id = id;
    this.name = name;
    this.ip = ip;
    this.time = new SimTimeProvider(world, this, driftMs);
    this.task = new SimTaskProvider(world, this);
    this.random = new GuardedRandom(world, this);
  }

  /** What devices act for: their events, wakers and callbacks die with this actor. */
  get owner(): DeviceOwner {
    this.#owner ??= new ActorDeviceOwner(this.world, this);
    return this.#owner;
  }

  /** Kills every task now; the actor accepts no new task afterwards (a reboot creates a new actor). */
  kill(reason: string): void {
    this.world.killActor(this, reason);
    this.killed = true;
    if (this.#owner !== null) this.#owner.task.dead = true;
  }

  liveTasks(): { name: string; awaiting: string }[] {
    return [...this.live].map((t) => ({ name: t.name, awaiting: t.describeAwaiting() }));
  }
}

/**
 * The counted stream as an actor sees it: same draws, plus the outside-a-drain check; a killed
 * actor's draws are refused (they would shift every later decision of the live ones).
 */
class GuardedRandom implements SimRandom {
  private readonly world: SimWorld;
  private readonly actor: SimActor;
  constructor(world: SimWorld, actor: SimActor) {
    this.world = world;
    this.actor = actor;
  }
  private check(api: string): void {
    this.world.checkLive(api);
    if (this.actor.killed) throw new Error(`${api} refused: actor "${this.actor.name}" was killed`);
  }
  get draws(): number {
    return this.world.random.draws;
  }
  get drawsSinceReseed(): number {
    return this.world.random.drawsSinceReseed;
  }
  random(): number {
    this.check("random.random");
    return this.world.random.random();
  }
  int(min: number, maxExclusive: number): number {
    this.check("random.int");
    return this.world.random.int(min, maxExclusive);
  }
  bool(p?: number): boolean {
    this.check("random.bool");
    return this.world.random.bool(p);
  }
  bytes(n: number): Uint8Array {
    this.check("random.bytes");
    return this.world.random.bytes(n);
  }
  pick<T>(items: readonly T[]): T {
    this.check("random.pick");
    return this.world.random.pick(items);
  }
}

export type { RandomProvider };

/**
 * The public shapes of a simulation: processes (the system under test), workloads (the test
 * drivers), the context each of them receives, fault injectors and invariants.
 */
import type {
  AttritionConfig,
  BuggifyConfig,
  ChaosSurfaceInput,
  CorrelatedBurstsConfig,
  Locality,
  NetworkChaosConfig,
  StorageChaosConfig,
} from "@moonpool/chaos";
import type { Providers } from "@moonpool/core";
import type { PartitionOptions } from "../network/SimNetwork.ts";
import type { RebootKind } from "./devices.ts";
import type { TraceFields, TraceQuery } from "./trace.ts";

/**
 * The system under test. The factory given to `SimulationBuilder.processes` is called on every
 * boot: a reboot gets a new instance, so in-memory state is lost and only storage persists.
 */
export interface Process {
  readonly name: string;
  /** Runs until the process stops; should return soon after `ctx.shutdown` aborts. */
  run(ctx: SimContext): Promise<void>;
}

/**
 * A test driver. `setup` runs for every workload before any `run`; the first `run` to finish
 * aborts every other actor's `shutdown`; `check` runs once the simulation is quiescent.
 */
export interface Workload {
  readonly name: string;
  setup?(ctx: SimContext): Promise<void>;
  run(ctx: SimContext): Promise<void>;
  /**
   * Liveness and end-state checks: runs after every workload's `run`, once the chaos window is
   * over and every rebooted process is back, while the processes still run (their shutdown
   * comes after the checks). Throw to fail the seed.
   */
  check?(ctx: SimContext): Promise<void>;
}

/** What a process or workload sees: its providers (scoped to its IP) and the simulation. */
export interface SimContext extends Providers {
  readonly providers: Providers;
  readonly ip: string;
  readonly name: string;
  /** A process: its own reboot or the end of the run. A workload: the end of the run. */
  readonly shutdown: AbortSignal;
  /** Every other actor (processes and workloads) with its IP. */
  peers(): { name: string; ip: string }[];
  /** The IP of the actor called `name`; throws listing the known names for an unknown one. */
  peer(name: string): string;
  /** Records a structured event in this seed's trace (scalars only; bigints allowed). */
  trace(name: string, fields?: TraceFields): void;
  /** A store shared by every actor of the seed (fresh each seed). */
  readonly state: Map<string, unknown>;
}

/** What a fault injector (`SimulationBuilder.fault`) can do. */
export interface FaultContext {
  readonly time: Providers["time"];
  readonly random: Providers["random"];
  /** The processes of this seed (live or rebooting), with their locality and tags. */
  processes(): ProcessInfo[];
  /**
   * Blocks traffic from `fromIp` to `toIp` (one direction) for `ms`, or until healed. By default
   * nothing is lost: segments are held and delivered, in order, after the heal (TCP
   * retransmitting through the outage), and connects wait for the heal up to their timeout.
   * `{ mode: "drop" }` discards the segments instead: a connection that lost some fails with
   * ETIMEDOUT on the sending side after the retransmission timeout, and its peer learns of it
   * only through its own traffic (answered by an RST) or timeouts.
   */
  partition(fromIp: string, toIp: string, ms?: number, options?: PartitionOptions): void;
  /** Partitions both directions (see `partition`). */
  partitionBoth(a: string, b: string, ms?: number, options?: PartitionOptions): void;
  /** Heals both directions between `a` and `b`. */
  heal(a: string, b: string): void;
  /**
   * Reboots the process at `ip`: "graceful" aborts its shutdown signal and kills it after a
   * grace period; "crash" kills it now; "wipe" crashes it and deletes its storage. It comes back
   * after a recovery delay as a new instance. Returns false when it was already down.
   */
  reboot(ip: string, kind: RebootKind): boolean;
  /** Aborts when the chaos window ends. */
  readonly chaosEnded: AbortSignal;
}

/** Checked after every engine event; throw to fail the seed. */
export type InvariantCheck = (trace: TraceQuery, nowMs: number) => void;

/** A fault injector: runs during the chaos window. */
export type FaultInjector = (fault: FaultContext) => Promise<void>;

/** A process as fault injectors see it. */
export interface ProcessInfo {
  readonly name: string;
  readonly ip: string;
  /** Where it runs; without `processes(..., { locality })` each process is its own machine. */
  readonly locality: Locality | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Placement of a process group (`SimulationBuilder.processes(count, factory, options)`), read by
 * attrition scopes ("machine", "zone"), attrition tags and correlated bursts.
 */
export interface ProcessOptions {
  /**
   * `"datacenter/zone/machine"` (or a `Locality`) of the group's `i`-th process, or one value for
   * the whole group. Processes sharing a machine are rebooted together under the "machine" scope.
   */
  readonly locality?: string | Locality | ((i: number) => string | Locality);
  /** Tags matched by `chaos({ attrition: { tags } })`. */
  readonly tags?: Readonly<Record<string, string>> | ((i: number) => Readonly<Record<string, string>>);
}

/**
 * `SimulationBuilder.chaos()` options: each family is "random", "swarm", a partial config of
 * @moonpool/chaos (omitted fields at their defaults) or false. Resolved once per seed with
 * `resolveChaosConfig` on the seed's configuration stream.
 */
export interface ChaosOptions {
  readonly network?: ChaosSurfaceInput<NetworkChaosConfig>;
  readonly storage?: ChaosSurfaceInput<StorageChaosConfig>;
  /** Reboots driven by chaos's `AttritionPlanner` (see `AttritionConfig`, e.g. `{ maxDead: 1 }`). */
  readonly attrition?: ChaosSurfaceInput<AttritionConfig>;
  /** On by default once `.chaos()` is used; `true` = defaults. Also drives buggified sleep delays. */
  readonly buggify?: boolean | ChaosSurfaceInput<BuggifyConfig>;
  /** Correlated failure bursts multiplying fault probabilities (and attrition's choice of domain). */
  readonly bursts?: ChaosSurfaceInput<CorrelatedBurstsConfig>;
  /**
   * Operation swarm: `swarmOpEnabled(opId)` answers from a per-seed subset. Default: on when any
   * family above is "swarm".
   */
  readonly operations?: "swarm" | false;
}

/**
 * The public shapes of a simulation: processes (the system under test), workloads (the test
 * drivers), the context each of them receives, fault injectors and invariants.
 */
import type { Providers } from "@moonpool/core";
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
  /** The processes of this seed (live or rebooting). */
  processes(): { name: string; ip: string }[];
  /** Drops traffic from `fromIp` to `toIp` (one direction) for `ms`, or until healed. */
  partition(fromIp: string, toIp: string, ms?: number): void;
  /** Partitions both directions. */
  partitionBoth(a: string, b: string, ms?: number): void;
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

/** Reboot settings used by `reboot` and by attrition. Ranges are inclusive [min, max] in ms. */
export interface AttritionOptions {
  /** At most this many processes down at once (default 1). */
  readonly maxDead?: number;
  /** Relative weights of the reboot kinds (default 1 / 1 / 0). */
  readonly probGraceful?: number;
  readonly probCrash?: number;
  readonly probWipe?: number;
  /** Pause between two attrition rolls (default [1000, 5000]). */
  readonly intervalMs?: readonly [number, number];
  /** Delay before a rebooted process comes back (default [1000, 10000]). */
  readonly recoveryDelayMs?: readonly [number, number];
  /** Time a gracefully rebooted process gets before it is killed (default [2000, 5000]). */
  readonly gracePeriodMs?: readonly [number, number];
}

/** `SimulationBuilder.chaos()` options: each family is "random", "swarm" or a config object. */
export interface ChaosOptions {
  readonly network?: "random" | "swarm" | false | Record<string, unknown>;
  readonly storage?: "random" | "swarm" | false | Record<string, unknown>;
  readonly attrition?: "random" | "swarm" | false | AttritionOptions;
  readonly buggify?: boolean | { readonly probability?: number; readonly activation?: number };
}

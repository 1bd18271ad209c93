// The validated, immutable description of a simulation that the seed runner executes. The
// builder produces it; the worker and determinism paths re-run it.
import type { Locality } from "@moonpool/chaos";
import type { ReseedPoint, SchedulingOptions } from "../../engine/kernel.ts";
import type { ChaosOptions, FaultInjector, InvariantCheck, Process, Workload } from "../types.ts";

export interface ProcessGroup {
  readonly count: number | readonly [number, number];
  /** Called for every boot; the first boot's instance of a seed names the group. */
  readonly factory: () => Process;
  /** Locality of the group's i-th process (validated by the builder). */
  readonly locality?: (i: number) => Locality;
  readonly tags?: (i: number) => Readonly<Record<string, string>>;
}

export type WorkloadSource =
  | {
      readonly kind: "instance";
      readonly workload: Workload /** Restores its own fields (before every seed). */;
      readonly restore: () => void;
    }
  | { readonly kind: "factory"; readonly factory: () => Workload }
  | { readonly kind: "indexed"; readonly count: number; readonly factory: (i: number) => Workload };

export interface SimulationPlan {
  readonly processGroups: readonly ProcessGroup[];
  readonly workloads: readonly WorkloadSource[];
  readonly faults: readonly { readonly name: string; readonly inject: FaultInjector }[];
  readonly invariants: readonly { readonly name: string; readonly check: InvariantCheck }[];
  readonly chaos: ChaosOptions | undefined;
  readonly chaosDurationMs: number | undefined;
  readonly runTimeBudgetMs: number;
  readonly hermetic: boolean | "strict";
  /** Actors' console lines also go to the trace. */
  readonly consoleToTrace: boolean;
  readonly timeZone?: string;
  readonly locale?: string;
  /** Scheduling policy (undefined: uniform seeded draws, fast paths never yield). */
  readonly scheduling?: SchedulingOptions | undefined;
}

/** Per-seed knobs that are not part of the simulation itself. */
export interface SeedKnobs {
  /** Wall-clock budget for the seed (checked by the executor at every real yield). */
  readonly wallMs: number;
  /** Keep draw labels and per-event draw counts (determinism diagnosis). */
  readonly diagnose?: boolean;
  /** Reseed points of the counted stream (an exploration timeline's recipe). */
  readonly reseeds?: readonly ReseedPoint[];
}

// Shared between runFile (parent) and the worker: the request shape and module loading.
import type { SimulationBuilder } from "../builder.ts";

/** Overrides applied to the module's builder before it runs (the serialisable part of `runFile`'s options). */
export interface WorkerRunOptions {
  /** Base seed for derived seeds. */
  readonly seed?: number;
  /** Exactly these seeds (replay). */
  readonly seeds?: readonly number[];
  readonly iterations?: number;
  /** An exploration recipe every seed follows (`count@seed -> count@seed`). */
  readonly recipe?: string;
  /** `untilCoverageStable(plateau, max)`. */
  readonly untilStable?: readonly [number, number];
  /** Keep every seed's trace in `report.traces`. */
  readonly recordTraces?: boolean;
  /** Run every seed a second time alone in a fresh worker and compare the traces. */
  readonly checkDeterminism?: boolean;
  /** Print a line per seed on stderr (default: the module's choice, normally true). */
  readonly logSeeds?: boolean;
  /** How the file is named in replay commands (default: its path relative to the cwd). */
  readonly file?: string;
  /** Wall-clock cap of one seed in the worker's executor (the builder's `seedTimeout`). */
  readonly seedWallMs?: number;
}

export type WorkerRequest =
  | { readonly kind: "run"; readonly url: string; readonly options: WorkerRunOptions }
  | { readonly kind: "capture"; readonly url: string; readonly seed: number }
  /** A pool worker: plans, then runs the seeds the coordinator hands it (see worker-pool.ts). */
  | { readonly kind: "pool"; readonly url: string; readonly options: WorkerRunOptions };

/** Messages from runFile's coordinator to a pool worker. */
export type PoolCommand =
  | { readonly type: "seeds"; readonly seeds: readonly number[] }
  | { readonly type: "finish" };

/** `code` of the error a worker reports when the module itself throws while it loads. */
export const IMPORT_FAILED = "MOONPOOL_IMPORT_FAILED";

/** `code` of the error a worker reports when the module is not a simulation. */
export const NOT_A_SIMULATION = "MOONPOOL_NOT_A_SIMULATION";

/**
 * Imports a simulation module and returns its builder: the default export is a
 * SimulationBuilder or a (possibly async) function returning one. Anything else throws an error
 * with code `NOT_A_SIMULATION` saying what the module holds instead.
 */
export async function loadSimulationModule(url: string): Promise<SimulationBuilder> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (thrown) {
    const cause = thrown instanceof Error ? thrown : new Error(String(thrown));
    // Where it threw (first stack frame), so the one-line CLI message points at the bug.
    const at = /\n\s+at (?:.*?\()?([^()\s]+:\d+:\d+)\)?/.exec(cause.stack ?? "")?.[1];
    const where = at === undefined ? "" : ` (at ${at})`;
    const error = new Error(`the simulation module failed to import: ${cause.message}${where}`, { cause });
    (error as { code?: string }).code = IMPORT_FAILED;
    if (cause.stack !== undefined) error.stack = `${error.message}\n${cause.stack}`;
    throw error;
  }
  if (!("default" in mod) || mod.default === undefined) {
    const names = Object.keys(mod).filter((k) => k !== "default");
    throw notASimulation(
      `it has no default export (${names.length === 0 ? "it exports nothing" : `its exports: ${names.join(", ")}`})`,
    );
  }
  const exported = mod.default;
  if (typeof exported === "function") {
    const value = await (exported as () => unknown)();
    if (isBuilder(value)) return value;
    throw notASimulation(`its default export is a function that returned ${describeValue(value)}`);
  }
  if (isBuilder(exported)) return exported;
  throw notASimulation(`its default export is ${describeValue(exported)}`);
}

function notASimulation(found: string): Error {
  const error = new Error(
    `not a simulation module: the default export must be a SimulationBuilder or a function returning one, but ${found}`,
  );
  (error as Error & { code?: string }).code = NOT_A_SIMULATION;
  return error;
}

/** "a number (42)", "an object with keys a, b", "a Foo instance", "null", ... */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case "string":
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
    case "number":
    case "boolean":
    case "bigint":
      return `a ${typeof value} (${String(value)})`;
    case "function":
      return `a function${value.name ? ` (${value.name})` : ""}`;
    case "object": {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
      if (typeof ctor === "string" && ctor !== "Object") return `a ${ctor} instance`;
      const keys = Object.keys(value as object);
      return keys.length === 0 ? "an empty object" : `an object with keys ${keys.slice(0, 8).join(", ")}`;
    }
    default:
      return `a ${typeof value}`;
  }
}

function isBuilder(value: unknown): value is SimulationBuilder {
  const v = value as Partial<SimulationBuilder> | null;
  return (
    v !== null && typeof v === "object" && typeof v.run === "function" && typeof v.seedPlan === "function"
  );
}

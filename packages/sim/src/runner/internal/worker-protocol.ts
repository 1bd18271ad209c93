// Shared between runFile (parent) and the worker: the request shape and module loading.
import type { SimulationBuilder } from "../builder.ts";

/** Overrides applied to the module's builder before it runs. */
export interface WorkerRunOptions {
  readonly seed?: number;
  readonly seeds?: readonly number[];
  readonly iterations?: number;
  readonly untilStable?: readonly [number, number];
  readonly recordTraces?: boolean;
  readonly checkDeterminism?: boolean;
  readonly logSeeds?: boolean;
  readonly file?: string;
}

export type WorkerRequest =
  | { readonly kind: "run"; readonly url: string; readonly options: WorkerRunOptions }
  | { readonly kind: "capture"; readonly url: string; readonly seed: number }
  | { readonly kind: "plan"; readonly url: string; readonly options: WorkerRunOptions };

/**
 * Imports a simulation module and returns its builder: the default export is a
 * SimulationBuilder or a (possibly async) function returning one.
 */
export async function loadSimulationModule(url: string): Promise<SimulationBuilder> {
  const mod = (await import(url)) as { default?: unknown };
  let value = mod.default;
  if (typeof value === "function") value = await (value as () => unknown)();
  if (!isBuilder(value)) {
    throw new TypeError(
      `${url}: the default export must be a SimulationBuilder or a function returning one, got ${value === undefined ? "nothing" : typeof value}`,
    );
  }
  return value;
}

function isBuilder(value: unknown): value is SimulationBuilder {
  const v = value as Partial<SimulationBuilder> | null;
  return (
    v !== null && typeof v === "object" && typeof v.run === "function" && typeof v.seedPlan === "function"
  );
}

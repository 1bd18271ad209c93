// Shared helpers for the engine tests.
import { DEFAULT_BUDGETS, runSeed } from "../../src/engine/executor.ts";
import type { ActorFactory, SeedOutcome, SeedRunOptions, SimKernel } from "../../src/engine/kernel.ts";

export type Main = (kernel: SimKernel, actors: ActorFactory) => Promise<void>;

/** Options for one seed with the defaults the tests use. */
export function options(seed: number, overrides: Partial<SeedRunOptions> = {}): SeedRunOptions {
  return {
    seed,
    hermetic: true,
    budgets: DEFAULT_BUDGETS,
    onQuiescent: () => false,
    onTrace: () => {},
    ...overrides,
  };
}

/** Runs one seed with default options. */
export function run(seed: number, main: Main, overrides: Partial<SeedRunOptions> = {}): Promise<SeedOutcome> {
  return runSeed(options(seed, overrides), main);
}

/** Runs one seed and throws its error when it failed. */
export async function runOk(
  seed: number,
  main: Main,
  overrides: Partial<SeedRunOptions> = {},
): Promise<SeedOutcome> {
  const outcome = await run(seed, main, overrides);
  if (!outcome.ok) throw outcome.error;
  return outcome;
}

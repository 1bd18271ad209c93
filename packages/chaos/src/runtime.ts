// The process-wide hook through which a running simulation lends its randomness to chaos code
// (buggify, swarm masks). It lives on globalThis so two copies of this package in one process
// (the CLI's and the user's) still see the same simulation. Outside a simulation there is no
// runtime and every chaos helper is inert.

/** What a running simulation offers chaos code for the current seed. */
export interface ChaosRuntime {
  /** A draw in [0, 1) from the seed's counted main stream. */
  random(): number;
  /** False in the quiet tail after the chaos window: buggify stops firing. */
  chaosActive(): boolean;
  /** Buggify fire probability while a site is active (default 0.25). */
  readonly buggifyProbability?: number;
  /** Probability that a site is activated for the seed (default 0.5). */
  readonly buggifyActivation?: number;
  /** False turns buggify off for the seed (e.g. `.chaos({ buggify: false })`). */
  readonly buggifyEnabled?: boolean;
  /** Swarm: the seed's enabled operation ids, or undefined when swarm is off. */
  swarmOpEnabled?(opId: string): boolean;
}

const RUNTIME = Symbol.for("moonpool.chaos.runtime");
type Holder = { [RUNTIME]?: { runtime: ChaosRuntime | null; epoch: number } };

function holder(): { runtime: ChaosRuntime | null; epoch: number } {
  const g = globalThis as Holder;
  g[RUNTIME] ??= { runtime: null, epoch: 0 };
  return g[RUNTIME];
}

/**
 * Installs (at seed start) or removes (at seed end, `null`) the chaos runtime. Every install
 * starts a new epoch: per-seed state such as buggify site activation is forgotten.
 */
export function installChaosRuntime(runtime: ChaosRuntime | null): void {
  const h = holder();
  h.runtime = runtime;
  h.epoch += 1;
}

/** The runtime of the running simulation, or null outside one. */
export function currentChaosRuntime(): ChaosRuntime | null {
  return holder().runtime;
}

/** Increments whenever a runtime is installed or removed; per-seed caches key on it. */
export function chaosEpoch(): number {
  return holder().epoch;
}

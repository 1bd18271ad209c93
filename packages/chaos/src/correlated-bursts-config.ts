import { drawBetween, type RandomSource } from "./random-source.ts";

/**
 * Correlated, cascading failures: fault intensity follows a superposition of ON/OFF sources
 * whose ON and OFF period lengths are Pareto-distributed with shape `a = 3 - 2H`. The aggregate is
 * long-range dependent with Hurst exponent H (Taqqu, Willinger, Sherman 1997), so faults cluster
 * in time; each source belongs to one failure domain, so they also cluster across the machines of
 * a domain. See `CorrelatedBursts`.
 */
export interface CorrelatedBurstsConfig {
  /** Hurst exponent in (0.5, 1): higher means longer memory, burstier faults. Default 0.8. */
  readonly hurst: number;
  /** ON/OFF sources per failure domain. Default 4. */
  readonly sourcesPerDomain: number;
  /** Mean ON period in ms. Default 2000. */
  readonly meanOnMs: number;
  /** Mean OFF period in ms. Default 6000. */
  readonly meanOffMs: number;
  /** Fault probability multiplier when all of a domain's sources are OFF. Default 0.25. */
  readonly quietMultiplier: number;
  /** Fault probability multiplier when all of a domain's sources are ON. Default 6. */
  readonly burstMultiplier: number;
  /**
   * Weight of the cluster-wide intensity in a domain's multiplier (the rest is the domain's own
   * sources): 0 = domains independent, 1 = one shared intensity. Default 0.3 (cascades spill over).
   */
  readonly globalCoupling: number;
}

/** Defaults for correlated bursts (used for every field a config object leaves out). */
export function defaultCorrelatedBursts(): CorrelatedBurstsConfig {
  return {
    hurst: 0.8,
    sourcesPerDomain: 4,
    meanOnMs: 2000,
    meanOffMs: 6000,
    quietMultiplier: 0.25,
    burstMultiplier: 6,
    globalCoupling: 0.3,
  };
}

/** Bursts with H in [0.6, 0.95] and periods drawn per seed. */
export function randomCorrelatedBursts(rng: RandomSource): CorrelatedBurstsConfig {
  return {
    ...defaultCorrelatedBursts(),
    hurst: drawBetween(rng, 0.6, 0.95),
    meanOnMs: drawBetween(rng, 500, 5000),
    meanOffMs: drawBetween(rng, 2000, 20_000),
    globalCoupling: drawBetween(rng, 0, 0.6),
  };
}

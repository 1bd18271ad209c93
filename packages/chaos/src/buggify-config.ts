import { drawBetween, type RandomSource } from "./random-source.ts";

/** BUGGIFY for one seed. */
export interface BuggifyConfig {
  /** False: every `buggify()` returns false for the seed. Default true once `.chaos()` is used. */
  readonly enabled: boolean;
  /** Probability that a site is activated for the seed, decided at its first visit. Default 0.5. */
  readonly activation: number;
  /** Fire probability of an active `buggify()` site (`buggifyWithProb` uses its own p). Default 0.25. */
  readonly probability: number;
}

/** BUGGIFY's defaults (FoundationDB's and moonpool's runner values). */
export function defaultBuggify(): BuggifyConfig {
  return { enabled: true, activation: 0.5, probability: 0.25 };
}

/** BUGGIFY with activation in [0.25, 0.75] and fire probability in [0.1, 0.4], drawn per seed. */
export function randomBuggify(rng: RandomSource): BuggifyConfig {
  return { enabled: true, activation: drawBetween(rng, 0.25, 0.75), probability: drawBetween(rng, 0.1, 0.4) };
}

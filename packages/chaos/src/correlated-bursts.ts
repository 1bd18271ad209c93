import type { CorrelatedBurstsConfig } from "./correlated-bursts-config.ts";
import { drawChance, type RandomSource } from "./random-source.ts";

/** Pareto shape `a = 3 - 2H` for a Hurst exponent H in (0.5, 1); a is in (1, 2). */
export function paretoShapeForHurst(hurst: number): number {
  return 3 - 2 * hurst;
}

/**
 * One Pareto(shape, scale) draw with the given mean (needs shape > 1): scale is
 * `mean * (shape - 1) / shape`, and the draw is `scale / (1 - u)^(1 / shape)`. Heavy-tailed:
 * for shape < 2 the variance is infinite.
 */
export function samplePareto(shape: number, mean: number, rng: RandomSource): number {
  const scale = (mean * (shape - 1)) / shape;
  return scale / (1 - rng.random()) ** (1 / shape);
}

interface Source {
  on: boolean;
  /** End of the current period, in ms. */
  until: number;
}

/**
 * A burst process: `sourcesPerDomain` ON/OFF sources per failure domain, each alternating ON and
 * OFF periods drawn from Pareto distributions of shape `a = 3 - 2H`. The number of ON sources over
 * time is long-range dependent with Hurst exponent H: bursts of faults come in bursts of bursts,
 * on every time scale. A domain's fault multiplier follows its own sources (so faults cluster on
 * the machines of one domain) blended with the cluster-wide intensity (`globalCoupling`, so a
 * burst in one domain raises the odds elsewhere: a cascade).
 *
 * Time only moves forward: query with non-decreasing `nowMs`. Draws happen lazily as time
 * advances past period ends, from the random source given at construction.
 *
 * ```ts
 * const bursts = new CorrelatedBursts(defaultCorrelatedBursts(), ["dc1/z1", "dc1/z2"], rng);
 * const p = bursts.scale(cfg.clog.writeProbability, "dc1/z1", now);
 * ```
 */
export class CorrelatedBursts {
  readonly config: CorrelatedBurstsConfig;
  readonly domains: readonly string[];
  readonly #rng: RandomSource;
  readonly #shape: number;
  readonly #sources: Source[] = [];
  readonly #domainIndex = new Map<string, number>();
  #now = 0;

  constructor(config: CorrelatedBurstsConfig, domains: readonly string[], rng: RandomSource) {
    if (domains.length === 0) throw new RangeError("CorrelatedBursts: domains must not be empty");
    this.config = config;
    this.domains = domains;
    this.#rng = rng;
    this.#shape = paretoShapeForHurst(config.hurst);
    const pOn = config.meanOnMs / (config.meanOnMs + config.meanOffMs);
    for (const [i, d] of domains.entries()) this.#domainIndex.set(d, i);
    for (let i = 0; i < domains.length * config.sourcesPerDomain; i++) {
      const on = drawChance(rng, pOn);
      // Start part-way through a period so the sources are not synchronized at t = 0.
      const until = this.#period(on) * rng.random();
      this.#sources.push({ on, until });
    }
  }

  #period(on: boolean): number {
    return samplePareto(this.#shape, on ? this.config.meanOnMs : this.config.meanOffMs, this.#rng);
  }

  /** Moves every source forward to `nowMs` (earlier times are ignored). */
  advanceTo(nowMs: number): void {
    if (nowMs <= this.#now) return;
    this.#now = nowMs;
    for (const s of this.#sources) {
      while (s.until <= nowMs) {
        s.on = !s.on;
        s.until += this.#period(s.on);
      }
    }
  }

  /** Fraction of all sources ON at `nowMs`, in [0, 1]. */
  intensity(nowMs: number): number {
    this.advanceTo(nowMs);
    let on = 0;
    for (const s of this.#sources) if (s.on) on++;
    return on / this.#sources.length;
  }

  /** Fraction of `domain`'s sources ON at `nowMs`; unknown domains get the cluster-wide intensity. */
  domainIntensity(domain: string, nowMs: number): number {
    this.advanceTo(nowMs);
    const index = this.#domainIndex.get(domain);
    if (index === undefined) return this.intensity(nowMs);
    const k = this.config.sourcesPerDomain;
    let on = 0;
    for (let i = index * k; i < (index + 1) * k; i++) if (this.#sources[i]!.on) on++;
    return on / k;
  }

  /**
   * Fault probability multiplier for `domain` at `nowMs`: from `quietMultiplier` (nothing ON) to
   * `burstMultiplier` (everything ON), on the blend of the domain's and the global intensity.
   */
  multiplier(domain: string, nowMs: number): number {
    const c = this.config;
    const x =
      (1 - c.globalCoupling) * this.domainIntensity(domain, nowMs) + c.globalCoupling * this.intensity(nowMs);
    return c.quietMultiplier + (c.burstMultiplier - c.quietMultiplier) * x;
  }

  /** `p` scaled by `multiplier(domain, nowMs)`, capped at 1. */
  scale(p: number, domain: string, nowMs: number): number {
    return Math.min(1, p * this.multiplier(domain, nowMs));
  }
}

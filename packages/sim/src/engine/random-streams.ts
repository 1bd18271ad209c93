// The random streams of one seed: the counted main stream (every in-run decision, with reseed
// breakpoints for exploration) and uncounted streams (scheduling, select, swarm) that never
// shift the main stream's draw count.
import {
  checkCount,
  checkIntRange,
  checkProbability,
  InvalidArgumentError,
  type RandomProvider,
} from "@moonpool/core";
import type { ReseedPoint, SimRandom } from "./kernel.ts";
import { drawBytes, drawFloat, drawInt, Sfc32 } from "./prng.ts";

/** A `RandomProvider` over one sub-stream, without draw counting. */
export class StreamRandom implements RandomProvider {
  protected readonly g: Sfc32;

  constructor(seed: number, salt: number) {
    this.g = new Sfc32(seed, salt);
  }

  /** Hook for counting; the base stream counts nothing. */
  protected tick(): void {}

  random(): number {
    this.tick();
    return drawFloat(this.g);
  }

  int(min: number, maxExclusive: number): number {
    checkIntRange(min, maxExclusive);
    this.tick();
    return drawInt(this.g, min, maxExclusive);
  }

  bool(p = 0.5): boolean {
    checkProbability("bool(p)", p);
    this.tick();
    return drawFloat(this.g) < p;
  }

  bytes(n: number): Uint8Array {
    checkCount("bytes(n)", n);
    this.tick();
    return drawBytes(this.g, new Uint8Array(n));
  }

  /** Fills an existing array with random bytes (crypto.getRandomValues in hermetic mode). */
  fill(out: Uint8Array): Uint8Array {
    this.tick();
    return drawBytes(this.g, out);
  }

  pick<T>(items: readonly T[]): T {
    if (!Array.isArray(items) || items.length === 0) {
      throw new InvalidArgumentError("pick(items)", "expected a non-empty array");
    }
    this.tick();
    return items[drawInt(this.g, 0, items.length)] as T;
  }

  /** An index in [0, n) without argument checks (the scheduler's hot path). */
  index(n: number): number {
    this.tick();
    return drawInt(this.g, 0, n);
  }
}

/**
 * The counted main stream. `draws` counts provider-level draws (one per `random`, `int`, `bool`,
 * `bytes`, `pick`, whatever their size). Reseed points apply in order; each `count` is relative
 * to the previous reseed (moonpool's `count@seed -> count@seed` recipes): once `count` draws were
 * taken since the last (re)seed, the stream restarts from `seed`.
 */
export class CountedRandom extends StreamRandom implements SimRandom {
  private total = 0;
  private sinceReseed = 0;
  private readonly points: readonly ReseedPoint[];
  private nextPoint = 0;
  private readonly salt: number;

  constructor(seed: number, salt: number, reseeds: readonly ReseedPoint[] = []) {
    super(seed, salt);
    this.salt = salt;
    reseeds.forEach((p, i) => {
      if (!Number.isSafeInteger(p.count) || p.count < 0) {
        throw new InvalidArgumentError(
          `reseeds[${i}].count`,
          `expected a non-negative safe integer, got ${p.count}`,
        );
      }
      if (!Number.isSafeInteger(p.seed) || p.seed < 0) {
        throw new InvalidArgumentError(
          `reseeds[${i}].seed`,
          `expected a non-negative safe integer, got ${p.seed}`,
        );
      }
    });
    this.points = reseeds;
  }

  /** Draws taken from the counted stream so far in this seed (never reset). */
  get draws(): number {
    return this.total;
  }

  /** Draws taken since the last reseed point (or since the start). */
  get drawsSinceReseed(): number {
    return this.sinceReseed;
  }

  protected override tick(): void {
    const point = this.points[this.nextPoint];
    if (point !== undefined && this.sinceReseed === point.count) {
      this.g.reseed(point.seed, this.salt);
      this.sinceReseed = 0;
      this.nextPoint++;
      // A zero count followed by another zero count applies both at once.
      this.tick();
      return;
    }
    this.sinceReseed++;
    this.total++;
  }
}

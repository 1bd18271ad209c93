import { drawBetween, type RandomSource } from "./random-source.ts";

/** One process's drifting clock: `timer(now)` maps true virtual time to what the process reads. */
export interface DriftClock {
  /**
   * The drifted time for true virtual time `nowMs`. Always within [nowMs, nowMs + maxDriftMs]
   * and never smaller than a previous result (monotonic, provided `nowMs` never goes back).
   */
  timer(nowMs: number): number;
  /** The current offset `timer - now` of the last reading, in ms. */
  readonly offsetMs: number;
}

/**
 * How fast a clock's offset may shrink, as a fraction of elapsed true time (0.5 = the clock runs
 * at no less than half speed while catching up). Shrinking faster would break monotonicity.
 */
const MAX_SLEW = 0.5;

/**
 * A per-process drifting clock (create one per process, so processes disagree with each other,
 * not only with true time). The offset starts uniform in [0, maxDriftMs] and wanders toward a
 * fresh random target at every reading, ahead at any speed and back at most `MAX_SLEW` of the
 * elapsed time, then is clamped to the bound. One draw per reading; none when `maxDriftMs` is 0
 * (then `timer(now) === now`).
 */
export function createDriftClock(maxDriftMs: number, rng: RandomSource): DriftClock {
  if (maxDriftMs <= 0) {
    return {
      timer: (nowMs) => nowMs,
      get offsetMs() {
        return 0;
      },
    };
  }
  let offset = drawBetween(rng, 0, maxDriftMs);
  let lastNow = Number.NEGATIVE_INFINITY;
  let lastReading = Number.NEGATIVE_INFINITY;
  return {
    timer(nowMs: number): number {
      const elapsed = lastNow === Number.NEGATIVE_INFINITY ? 0 : Math.max(0, nowMs - lastNow);
      const target = rng.random() * maxDriftMs;
      // Move halfway to the target, but never back faster than MAX_SLEW * elapsed.
      const wanted = offset + (target - offset) / 2;
      offset = Math.max(wanted, offset - MAX_SLEW * elapsed);
      offset = Math.min(Math.max(offset, 0), maxDriftMs);
      lastNow = nowMs;
      // The max with the previous reading keeps it monotonic even if offset just shrank.
      lastReading = Math.min(Math.max(nowMs + offset, lastReading), nowMs + maxDriftMs);
      offset = lastReading - nowMs;
      return lastReading;
    },
    get offsetMs() {
      return offset;
    },
  };
}

import { describe, expect, it } from "vitest";
import { createDriftClock } from "../src/clock-drift.ts";
import { seededRandom } from "./seeded-random.ts";

/** Readings of one clock at irregular, non-decreasing true times. */
function readings(maxDriftMs: number, seed: number, n = 5000): { now: number; timer: number }[] {
  const rng = seededRandom(seed);
  const steps = seededRandom(seed + 1000);
  const clock = createDriftClock(maxDriftMs, rng);
  const out = [];
  let now = 0;
  for (let i = 0; i < n; i++) {
    // Mostly small steps, sometimes none (several readings at one instant), sometimes large.
    const u = steps.random();
    now += u < 0.2 ? 0 : u < 0.9 ? u * 5 : u * 500;
    out.push({ now, timer: clock.timer(now) });
  }
  return out;
}

describe("createDriftClock", () => {
  it("is monotonic and bounded in [now, now + maxDrift]", () => {
    for (const seed of [1, 2, 3]) {
      const rs = readings(100, seed);
      let monotonic = true;
      let bounded = true;
      for (let i = 0; i < rs.length; i++) {
        const r = rs[i]!;
        bounded &&= r.timer >= r.now && r.timer <= r.now + 100;
        if (i > 0) monotonic &&= r.timer >= rs[i - 1]!.timer;
      }
      expect(monotonic).toBe(true);
      expect(bounded).toBe(true);
    }
  });

  it("actually drifts: offsets spread over the bound", () => {
    const offsets = readings(100, 4).map((r) => r.timer - r.now);
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(50);
  });

  it("gives each process its own skew", () => {
    const a = readings(100, 5, 50).map((r) => r.timer - r.now);
    const b = readings(100, 6, 50).map((r) => r.timer - r.now);
    const differences = a.map((x, i) => Math.abs(x - b[i]!));
    expect(Math.max(...differences)).toBeGreaterThan(10);
  });

  it("is the identity with no drift, drawing nothing", () => {
    const rng = seededRandom(7);
    const clock = createDriftClock(0, rng);
    expect([0, 5, 5, 100].map((t) => clock.timer(t))).toEqual([0, 5, 5, 100]);
    expect(rng.draws).toBe(0);
  });

  it("is deterministic for a seed", () => {
    expect(readings(100, 8, 200)).toEqual(readings(100, 8, 200));
    expect(readings(100, 8, 200)).not.toEqual(readings(100, 9, 200));
  });
});

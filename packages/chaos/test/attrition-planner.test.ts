import { describe, expect, it } from "vitest";
import type { Locality } from "../src/attrition-config.ts";
import { type AttritionCandidate, AttritionPlanner } from "../src/attrition-planner.ts";
import { attritionConfig } from "../src/resolve.ts";
import { seededRandom } from "./seeded-random.ts";

/** 2 zones x 2 machines x 2 processes = 8 processes, tagged by role. */
function cluster(): AttritionCandidate[] {
  const out: AttritionCandidate[] = [];
  let i = 0;
  for (const zone of ["z1", "z2"]) {
    for (const machine of ["m1", "m2"]) {
      for (let p = 0; p < 2; p++) {
        const locality: Locality = { datacenter: "dc1", zone, machine };
        out.push({
          ip: `10.0.1.${++i}`,
          alive: true,
          locality,
          tags: { role: i % 2 === 0 ? "storage" : "proxy" },
        });
      }
    }
  }
  return out;
}

/** Simulates the attrition loop over a timeline, checking maxDead at every instant. */
function simulate(planner: AttritionPlanner, procs: AttritionCandidate[], seed: number, steps = 500) {
  const rng = seededRandom(seed);
  const state = procs.map((p) => ({ ...p, alive: true, restartAt: 0 }));
  let now = 0;
  let maxSeenDead = 0;
  const plans = [];
  for (let s = 0; s < steps; s++) {
    now += planner.nextAttemptDelayMs(rng);
    for (const p of state) if (!p.alive && p.restartAt <= now) p.alive = true;
    const plan = planner.choose(state, rng);
    if (plan) {
      plans.push(plan);
      for (const ip of plan.targets) {
        const p = state.find((x) => x.ip === ip)!;
        expect(p.alive).toBe(true);
        p.alive = false;
        p.restartAt = now + plan.gracePeriodMs + plan.restartDelayMs;
      }
    }
    maxSeenDead = Math.max(maxSeenDead, state.filter((p) => !p.alive).length);
  }
  return { plans, maxSeenDead };
}

describe("AttritionPlanner", () => {
  it("never exceeds maxDead, and reaches it", () => {
    for (const maxDead of [1, 2, 3]) {
      const planner = new AttritionPlanner(attritionConfig({ maxDead }));
      const { plans, maxSeenDead } = simulate(planner, cluster(), maxDead);
      expect(maxSeenDead).toBeLessThanOrEqual(maxDead);
      expect(maxSeenDead).toBe(maxDead);
      expect(plans.length).toBeGreaterThan(50);
    }
  });

  it("returns null when the dead budget is used up", () => {
    const planner = new AttritionPlanner(attritionConfig({ maxDead: 1 }));
    const procs = cluster().map((p, i) => ({ ...p, alive: i !== 0 }));
    expect(planner.choose(procs, seededRandom(1))).toBeNull();
  });

  it("machine scope reboots a whole machine, zone scope a whole zone, within maxDead", () => {
    const machine = new AttritionPlanner(attritionConfig({ maxDead: 2, scope: "machine" }));
    const m = simulate(machine, cluster(), 5);
    expect(m.plans.length).toBeGreaterThan(10);
    for (const plan of m.plans) {
      expect(plan.targets).toHaveLength(2);
      expect(plan.domain).toMatch(/^dc1\/z\d\/m\d$/);
    }
    const zoneTooBig = new AttritionPlanner(attritionConfig({ maxDead: 3, scope: "zone" }));
    expect(simulate(zoneTooBig, cluster(), 6).plans).toHaveLength(0);
    const zone = new AttritionPlanner(attritionConfig({ maxDead: 4, scope: "zone" }));
    const z = simulate(zone, cluster(), 7);
    expect(z.plans.length).toBeGreaterThan(10);
    expect(z.plans.every((p) => p.targets.length === 4)).toBe(true);
    expect(new Set(z.plans.map((p) => p.domain))).toEqual(new Set(["dc1/z1", "dc1/z2"]));
  });

  it("a process without locality is its own machine", () => {
    const planner = new AttritionPlanner(attritionConfig({ maxDead: 1, scope: "machine" }));
    const plan = planner.choose([{ ip: "a", alive: true }], seededRandom(1))!;
    expect(plan.targets).toEqual(["a"]);
  });

  it("only targets processes carrying the configured tags", () => {
    const planner = new AttritionPlanner(attritionConfig({ maxDead: 2, tags: { role: "storage" } }));
    const { plans } = simulate(planner, cluster(), 8);
    const storage = new Set(
      cluster()
        .filter((p) => p.tags?.role === "storage")
        .map((p) => p.ip),
    );
    expect(plans.length).toBeGreaterThan(10);
    expect(plans.every((p) => p.targets.every((ip) => storage.has(ip)))).toBe(true);
  });

  it("draws kinds by weight and timings from the configured ranges", () => {
    const planner = new AttritionPlanner(
      attritionConfig({
        maxDead: 8,
        weights: { graceful: 1, crash: 2, wipe: 1 },
        gracePeriod: { minMs: 10, maxMs: 20 },
        restartDelay: { minMs: 30, maxMs: 40 },
      }),
    );
    const rng = seededRandom(9);
    const plans = [...Array(4000)].map(() => planner.choose(cluster(), rng)!);
    const share = (k: string) => plans.filter((p) => p.kind === k).length / plans.length;
    expect(share("graceful")).toBeCloseTo(0.25, 1);
    expect(share("crash")).toBeCloseTo(0.5, 1);
    expect(share("wipe")).toBeCloseTo(0.25, 1);
    const timingsOk = plans.every(
      (p) =>
        (p.kind === "graceful" ? p.gracePeriodMs >= 10 && p.gracePeriodMs <= 20 : p.gracePeriodMs === 0) &&
        p.restartDelayMs >= 30 &&
        p.restartDelayMs <= 40,
    );
    expect(timingsOk).toBe(true);
    const zero = new AttritionPlanner(attritionConfig({ weights: { graceful: 0, crash: 0, wipe: 0 } }));
    expect(zero.chooseKind(rng)).toBe("crash");
  });

  it("is deterministic for a seed", () => {
    const planner = new AttritionPlanner(attritionConfig({ maxDead: 2 }));
    const a = simulate(planner, cluster(), 10).plans;
    const b = simulate(planner, cluster(), 10).plans;
    expect(a).toEqual(b);
    expect(simulate(planner, cluster(), 11).plans).not.toEqual(a);
  });
});

describe("AttritionPlanner weighted choice (correlated bursts)", () => {
  it("picks domains in proportion to their weight, never a zero-weight one while another has weight", () => {
    const planner = new AttritionPlanner(attritionConfig({ scope: "machine", maxDead: 2 }));
    const rng = seededRandom(3);
    const counts = new Map<string, number>();
    const weight = (domain: string) => (domain === "dc1/z1/m1" ? 3 : domain === "dc1/z2/m2" ? 1 : 0);
    for (let i = 0; i < 4_000; i++) {
      const plan = planner.choose(cluster(), rng, weight)!;
      counts.set(plan.domain, (counts.get(plan.domain) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["dc1/z1/m1", "dc1/z2/m2"]);
    const ratio = counts.get("dc1/z1/m1")! / counts.get("dc1/z2/m2")!;
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(3.5);
  });

  it("falls back to a uniform choice when every weight is 0", () => {
    const planner = new AttritionPlanner(attritionConfig({ scope: "machine", maxDead: 2 }));
    const rng = seededRandom(4);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(planner.choose(cluster(), rng, () => 0)!.domain);
    expect(seen.size).toBe(4);
  });
});

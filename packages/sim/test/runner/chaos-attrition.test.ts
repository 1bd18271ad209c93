import { InvalidArgumentError } from "@moonpool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type ProcessInfo, SimulationBuilder } from "../../src/index.ts";
import { type Ev, stubbornProcess, tracesOf, waiter } from "./chaos-helpers.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

/** Reboots (sim_fault kind "reboot") and restarts (boots after the first) of each IP, in order. */
function downIntervals(events: readonly Ev[]): { maxDead: number; reboots: Ev[] } {
  const dead = new Set<string>();
  let maxDead = 0;
  const reboots: Ev[] = [];
  for (const e of events) {
    if (e.name === "sim_fault" && e.fields.kind === "reboot") {
      dead.add(e.fields.ip as string);
      reboots.push(e);
      maxDead = Math.max(maxDead, dead.size);
    } else if (e.name === "process_boot" && (e.fields.generation as number) > 1) {
      dead.delete(e.fields.ip as string);
    }
  }
  return { maxDead, reboots };
}

describe("attrition through AttritionPlanner", () => {
  it("graceful reboot: shutdown signal, grace period, kill, then restart, in virtual time", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(2, () => stubbornProcess())
      .workload(waiter(40_000))
      .chaos({
        attrition: {
          maxDead: 1,
          weights: { graceful: 1, crash: 0, wipe: 0 },
          interval: { minMs: 3_000, maxMs: 3_000 },
          gracePeriod: { minMs: 1_000, maxMs: 1_000 },
          restartDelay: { minMs: 2_000, maxMs: 2_000 },
        },
        buggify: false,
      })
      .chaosDuration(20_000)
      .seeds([1, 2, 3])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    for (const events of tracesOf(report).values()) {
      const reboots = events.filter((e) => e.name === "sim_fault" && e.fields.kind === "reboot");
      expect(reboots.length).toBeGreaterThan(0);
      for (const r of reboots) {
        const ip = r.fields.ip as string;
        expect(r.fields.reboot).toBe("graceful");
        const after = events.filter((e) => e.seq > r.seq && e.fields.ip === ip);
        const seen = after.find((e) => e.name === "shutdown_seen")!;
        const down = after.find((e) => e.name === "process_down")!;
        const boot = after.find((e) => e.name === "process_boot")!;
        expect(seen.timeMs).toBeCloseTo(r.timeMs, 5); // the signal comes first, at once
        expect(down.timeMs).toBeCloseTo(r.timeMs + 1_000, 5); // then the kill after the grace period
        expect(boot.timeMs).toBeCloseTo(r.timeMs + 3_000, 5); // then the restart
        // the slow shutdown never finished: the kill ended it
        expect(after.some((e) => e.name === "clean_exit" && e.timeMs < down.timeMs + 1)).toBe(false);
      }
      // reboots only inside the chaos window
      expect(reboots.every((r) => r.timeMs <= 20_000)).toBe(true);
    }
  });

  it("crash reboot kills at once and restarts after the restart delay; wipe is traced as such", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(3, () => stubbornProcess())
      .workload(waiter(30_000))
      .chaos({
        attrition: {
          maxDead: 1,
          weights: { graceful: 0, crash: 1, wipe: 1 },
          interval: { minMs: 500, maxMs: 2_000 },
          restartDelay: { minMs: 700, maxMs: 700 },
        },
        buggify: false,
      })
      .chaosDuration(15_000)
      .seeds([4, 5])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    const kinds = new Set<unknown>();
    for (const events of tracesOf(report).values()) {
      for (const r of events.filter((e) => e.name === "sim_fault" && e.fields.kind === "reboot")) {
        kinds.add(r.fields.reboot);
        const later = events.filter((e) => e.timeMs >= r.timeMs && e.fields.ip === r.fields.ip);
        const down = later.find((e) => e.name === "process_down")!;
        expect(down.timeMs).toBeCloseTo(r.timeMs, 5);
        expect(down.fields.kind).toBe(r.fields.reboot);
        expect(later.find((e) => e.name === "process_boot")!.timeMs).toBeCloseTo(r.timeMs + 700, 5);
        expect(later.some((e) => e.name === "shutdown_seen" && e.timeMs === r.timeMs)).toBe(false);
      }
    }
    expect([...kinds].sort()).toEqual(["crash", "wipe"]);
  });

  it("maxDead is respected under heavy attrition, and reached", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(6, () => stubbornProcess())
      .workload(waiter(40_000))
      .chaos({
        attrition: {
          maxDead: 2,
          weights: { graceful: 1, crash: 1, wipe: 0 },
          interval: { minMs: 1, maxMs: 50 },
          gracePeriod: { minMs: 0, maxMs: 2_000 },
          restartDelay: { minMs: 100, maxMs: 3_000 },
        },
        buggify: false,
      })
      .chaosDuration(30_000)
      .iterations(10)
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    let reachedMax = 0;
    for (const events of tracesOf(report).values()) {
      const { maxDead, reboots } = downIntervals(events);
      expect(maxDead).toBeLessThanOrEqual(2);
      expect(reboots.length).toBeGreaterThan(10);
      if (maxDead === 2) reachedMax++;
    }
    expect(reachedMax).toBe(10);
  });

  it("machine and zone scopes reboot whole failure domains; f.processes() shows locality and tags", async () => {
    // 8 processes: machines m0..m3 with 2 processes each; zone z0 = m0, m1; zone z1 = m2, m3.
    const locality = (i: number) => `dc1/z${Math.floor(i / 4)}/m${Math.floor(i / 2)}`;
    const run = async (scope: "machine" | "zone", maxDead: number) => {
      let seen: ProcessInfo[] = [];
      const report = await new SimulationBuilder()
        .logSeeds(false)
        .processes(8, () => stubbornProcess(), { locality, tags: (i) => ({ parity: String(i % 2) }) })
        .workload(waiter(30_000))
        .fault("observer", async (f) => {
          seen = f.processes();
        })
        .chaos({
          attrition: {
            maxDead,
            scope,
            weights: { graceful: 0, crash: 1, wipe: 0 },
            interval: { minMs: 200, maxMs: 1_000 },
            restartDelay: { minMs: 500, maxMs: 1_500 },
          },
          buggify: false,
        })
        .chaosDuration(20_000)
        .seeds([7, 8])
        .recordTraces()
        .run();
      expect(report.failed).toBe(0);
      return { report, seen };
    };

    const machine = await run("machine", 2);
    expect(machine.seen.map((p) => p.locality?.machine)).toEqual([
      "m0",
      "m0",
      "m1",
      "m1",
      "m2",
      "m2",
      "m3",
      "m3",
    ]);
    expect(machine.seen[3]!.locality).toEqual({ datacenter: "dc1", zone: "z0", machine: "m1" });
    expect(machine.seen[3]!.tags).toEqual({ parity: "1" });
    const ipToMachine = new Map(machine.seen.map((p) => [p.ip, p.locality!.machine]));
    const ipToZone = new Map(machine.seen.map((p) => [p.ip, p.locality!.zone]));
    for (const events of tracesOf(machine.report).values()) {
      const plans = events.filter((e) => e.name === "attrition");
      expect(plans.length).toBeGreaterThan(3);
      for (const plan of plans) {
        const hit = events.filter(
          (e) => e.name === "sim_fault" && e.fields.kind === "reboot" && e.timeMs === plan.timeMs,
        );
        expect(hit).toHaveLength(2);
        expect(new Set(hit.map((e) => ipToMachine.get(e.fields.ip as string))).size).toBe(1);
        expect(plan.fields.domain).toBe(
          `dc1/${ipToZone.get(hit[0]!.fields.ip as string)}/${ipToMachine.get(hit[0]!.fields.ip as string)}`,
        );
      }
      expect(downIntervals(events).maxDead).toBeLessThanOrEqual(2);
    }

    const zone = await run("zone", 4);
    for (const events of tracesOf(zone.report).values()) {
      const plans = events.filter((e) => e.name === "attrition");
      expect(plans.length).toBeGreaterThan(3);
      for (const plan of plans) {
        const hit = events.filter(
          (e) => e.name === "sim_fault" && e.fields.kind === "reboot" && e.timeMs === plan.timeMs,
        );
        expect(hit).toHaveLength(4);
        expect(new Set(hit.map((e) => ipToZone.get(e.fields.ip as string))).size).toBe(1);
      }
    }
  });

  it("attrition tags only reboot matching processes", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(4, () => stubbornProcess(), { tags: (i) => ({ role: i < 2 ? "storage" : "proxy" }) })
      .workload(waiter(30_000))
      .chaos({
        attrition: { tags: { role: "storage" }, interval: { minMs: 100, maxMs: 500 } },
        buggify: false,
      })
      .chaosDuration(20_000)
      .seeds([9])
      .recordTraces()
      .run();
    const reboots = tracesOf(report)
      .get(9)!
      .filter((e) => e.name === "sim_fault" && e.fields.kind === "reboot");
    expect(reboots.length).toBeGreaterThan(3);
    expect(new Set(reboots.map((e) => e.fields.ip))).toEqual(new Set(["10.0.1.1", "10.0.1.2"]));
  });

  it("rejects an unknown attrition key naming it, and lists the known ones", () => {
    // The runner-only names (probCrash, intervalMs, ...) were removed: they are now unknown keys.
    for (const key of ["probCrash", "intervalMs", "recoveryDelayMs", "maxdead"]) {
      let error: unknown;
      try {
        new SimulationBuilder().chaos({ attrition: { maxDead: 1, [key]: 1 } as never });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(`chaos.attrition.${key}`);
      expect((error as InvalidArgumentError).message).toContain(`chaos.attrition.${key}`);
      expect((error as InvalidArgumentError).message).toMatch(/unknown key.*maxDead.*weights.*interval/);
    }
    expect(() =>
      new SimulationBuilder().chaos({ attrition: { weights: { graceful: 1, krash: 1 } } as never }),
    ).toThrow(/chaos\.attrition\.weights\.krash/);
    expect(() => new SimulationBuilder().chaos({ attrition: { maxDead: -1 } })).toThrow(
      /chaos\.attrition\.maxDead/,
    );
  });

  it("{ maxDead: 1 } alone reboots with the default weights and timings", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(2, () => stubbornProcess())
      .workload(waiter(40_000))
      .chaos({ attrition: { maxDead: 1 }, buggify: false })
      .chaosDuration(30_000)
      .seeds([1, 2])
      .recordTraces()
      .run();
    expect(report.failed, report.format()).toBe(0);
    for (const events of tracesOf(report).values()) {
      const { maxDead, reboots } = downIntervals(events);
      expect(reboots.length).toBeGreaterThan(0);
      expect(maxDead).toBe(1);
    }
  });

  it("rejects bad locality naming the argument", () => {
    const b = new SimulationBuilder();
    expect(() => b.processes(2, () => stubbornProcess(), { locality: "dc1/z1" })).toThrow(
      /processes\(options\.locality\)/,
    );
    expect(() => b.processes(2, () => stubbornProcess("x"), { bogus: 1 } as never)).toThrow(/options\.bogus/);
  });
});

import { buggify, chaosActive, swarmOpEnabled, swarmOpMask } from "@moonpool/chaos";
import { beforeAll, describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";
import { stubbornProcess, tracesOf, waiter } from "./chaos-helpers.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

/** Reads `timer() - now()` every 10 ms for 2 s and traces each offset. */
const clockReader = (name: string): Process => ({
  name,
  async run(ctx) {
    for (let i = 0; i < 200 && !ctx.shutdown.aborted; i++) {
      await ctx.time.sleep(10, ctx.shutdown).catch(() => {});
      ctx.trace("clock", { offset: ctx.time.timer() - ctx.time.now(), timer: ctx.time.timer() });
    }
    await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
  },
});

describe("clock drift from the chaos config", () => {
  it("each process's timer() drifts on its own, bounded and monotonic", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(3, () => clockReader("clock"))
      .workload(waiter(3_000))
      .chaos({ network: { clockDrift: { maxDriftMs: 50 } }, buggify: false })
      .chaosDuration(1_000)
      .seeds([1, 2])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    for (const events of tracesOf(report).values()) {
      const byProcess = new Map<string, { offset: number; timer: number }[]>();
      for (const e of events.filter((x) => x.name === "clock")) {
        const list = byProcess.get(e.source) ?? [];
        list.push(e.fields as { offset: number; timer: number });
        byProcess.set(e.source, list);
      }
      expect(byProcess.size).toBe(3);
      const series = [...byProcess.values()];
      for (const readings of series) {
        expect(readings).toHaveLength(200);
        for (let i = 0; i < readings.length; i++) {
          expect(readings[i]!.offset).toBeGreaterThanOrEqual(0);
          expect(readings[i]!.offset).toBeLessThanOrEqual(50);
          if (i > 0) expect(readings[i]!.timer).toBeGreaterThanOrEqual(readings[i - 1]!.timer);
        }
        expect(Math.max(...readings.map((r) => r.offset))).toBeGreaterThan(5);
      }
      // independent clocks: the processes disagree with each other
      expect(series[0]!.map((r) => r.offset)).not.toEqual(series[1]!.map((r) => r.offset));
      // every drifting actor (3 processes, 1 workload) is announced as a fault invariants can read
      const drifts = events.filter((e) => e.name === "sim_fault" && e.fields.kind === "clock_drift");
      expect(drifts.map((e) => e.fields.maxDriftMs)).toEqual([50, 50, 50, 50]);
      expect(new Set(drifts.map((e) => e.fields.ip)).size).toBe(4);
    }
  });

  it("a process booted in the quiet tail gets an exact clock", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => clockReader("clock"))
      .workload({
        name: "rebooter",
        async run(ctx) {
          await ctx.time.sleep(15_000);
        },
      })
      .fault("late reboot", async (f) => {
        // fault actors stop with the window: crash just before it; the restart (>= 1 s) is after
        await f.time.sleep(900);
        f.reboot(f.processes()[0]!.ip, "crash");
      })
      .chaos({ network: { clockDrift: { maxDriftMs: 50 } }, buggify: false })
      .chaosDuration(1_000)
      .seeds([1])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    const events = tracesOf(report).get(1)!;
    const secondBoot = events.filter((e) => e.name === "process_boot")[1]!;
    expect(secondBoot.timeMs).toBeGreaterThan(1_000);
    const after = events.filter((e) => e.name === "clock" && e.seq > secondBoot.seq);
    expect(after.length).toBeGreaterThan(10);
    expect(after.every((e) => e.fields.offset === 0)).toBe(true);
    expect(events.filter((e) => e.name === "sim_fault" && e.fields.kind === "clock_drift")).toHaveLength(2);
  });

  it("without drift in the config, timer() is now()", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => clockReader("clock"))
      .workload(waiter(3_000))
      .seeds([1])
      .recordTraces()
      .run();
    const offsets = tracesOf(report)
      .get(1)!
      .filter((e) => e.name === "clock")
      .map((e) => e.fields.offset);
    expect(offsets).toHaveLength(200);
    expect(offsets.every((o) => o === 0)).toBe(true);
  });
});

const OPS = ["get", "put", "delete", "scan", "cas", "append", "watch", "batch"];
const opRecorder: Workload = {
  name: "ops",
  async run(ctx) {
    ctx.trace("ops", { enabled: OPS.filter(swarmOpEnabled).join(",") });
  },
};

describe("operation swarm", () => {
  const run = (seeds: number[], operations?: "swarm") =>
    new SimulationBuilder()
      .logSeeds(false)
      .workload(opRecorder)
      .chaos(operations ? { operations, buggify: false } : { buggify: false })
      .seeds(seeds)
      .recordTraces()
      .run();
  const subsets = (report: Awaited<ReturnType<typeof run>>) =>
    new Map(
      [...tracesOf(report)].map(([seed, events]) => [
        seed,
        events.find((e) => e.name === "ops")!.fields.enabled as string,
      ]),
    );

  it("swarmOpEnabled gives a per-seed stable subset (swarmOpMask of the seed) when swarm is on", async () => {
    const seeds = Array.from({ length: 12 }, (_, i) => 100 + i);
    const first = subsets(await run(seeds, "swarm"));
    const again = subsets(await run([...seeds].reverse(), "swarm"));
    expect(again).toEqual(first);
    for (const [seed, enabled] of first) {
      expect(enabled).toBe(OPS.filter((op) => swarmOpMask(seed, op)).join(","));
    }
    expect(new Set(first.values()).size).toBeGreaterThan(3);
    expect([...first.values()].some((s) => s !== OPS.join(","))).toBe(true);
    // outside the simulation every operation is enabled again
    expect(OPS.every(swarmOpEnabled)).toBe(true);
  });

  it("is off (every operation enabled) without swarm, and on with any 'swarm' family", async () => {
    const off = subsets(await run([1, 2, 3]));
    expect([...off.values()].every((s) => s === OPS.join(","))).toBe(true);
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload(opRecorder)
      .chaos({ network: "swarm", buggify: false })
      .chaosDuration(10)
      .seeds([5])
      .recordTraces()
      .run();
    expect(subsets(report).get(5)).toBe(OPS.filter((op) => swarmOpMask(5, op)).join(","));
  });
});

/** Sleeps 1 ms 4,000 times and traces each measured sleep. */
const sleeper: Workload = {
  name: "sleeper",
  async run(ctx) {
    for (let i = 0; i < 4_000; i++) {
      const before = ctx.time.now();
      await ctx.time.sleep(1);
      ctx.trace("slept", { ms: ctx.time.now() - before, active: chaosActive() });
    }
  },
};

describe("buggified sleep delays and the quiet tail", () => {
  it("sleeps sometimes get extra delay while buggify is on, never after the chaos window", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .workload(sleeper)
      .chaos({ network: { sleepDelay: { probability: 1, maxMs: 100 } } })
      .chaosDuration(2_000)
      .seeds([1, 2, 3])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    for (const events of tracesOf(report).values()) {
      const slept = events
        .filter((e) => e.name === "slept")
        .map((e) => e.fields as { ms: number; active: boolean });
      const inWindow = slept.filter((s) => s.active);
      const tail = slept.filter((s) => !s.active);
      expect(tail.length).toBeGreaterThan(100);
      expect(inWindow.filter((s) => s.ms >= 2).length).toBeGreaterThan(0);
      expect(tail.every((s) => Math.abs(s.ms - 1) < 1e-9)).toBe(true);
      expect(
        events.filter((e) => e.name === "sim_fault" && e.fields.kind === "sleep_delay").length,
      ).toBeGreaterThan(0);
    }
    // buggify off: no delays at all
    const off = await new SimulationBuilder()
      .logSeeds(false)
      .workload(sleeper)
      .chaos({ network: { sleepDelay: { probability: 1, maxMs: 100 } }, buggify: false })
      .chaosDuration(2_000)
      .seeds([1])
      .recordTraces()
      .run();
    const slept = tracesOf(off)
      .get(1)!
      .filter((e) => e.name === "slept")
      .map((e) => e.fields.ms as number);
    expect(slept.every((ms) => Math.abs(ms - 1) < 1e-9)).toBe(true);
  });

  it("quiet tail: no reboot, fault or buggify after chaosDuration; every process is back for the check", async () => {
    let checked = 0;
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(4, () => stubbornProcess())
      .workload({
        name: "liveness",
        async run(ctx) {
          await ctx.time.sleep(25_000);
        },
        async check() {
          expect(chaosActive()).toBe(false);
          expect(Array.from({ length: 200 }, (_, i) => buggify(`tail-${i}`)).some(Boolean)).toBe(false);
          checked++;
        },
      })
      .fault("partitioner", async (f) => {
        const ips = f.processes().map((p) => p.ip);
        while (!f.chaosEnded.aborted) {
          f.partitionBoth(ips[0]!, ips[1]!);
          await f.time.sleep(500, f.chaosEnded);
        }
      })
      .chaos({
        attrition: {
          maxDead: 2,
          interval: { minMs: 10, maxMs: 300 },
          restartDelay: { minMs: 100, maxMs: 4_000 },
          gracePeriod: { minMs: 100, maxMs: 2_000 },
        },
        network: { sleepDelay: { probability: 1, maxMs: 50 } },
        bursts: { meanOnMs: 500, meanOffMs: 500 },
      })
      .chaosDuration(10_000)
      .seeds([11, 12, 13])
      .recordTraces()
      .run();
    expect(report.failed).toBe(0);
    expect(checked).toBe(3);
    for (const events of tracesOf(report).values()) {
      const end = events.find((e) => e.name === "chaos_end")!;
      expect(end.timeMs).toBe(10_000);
      const after = events.filter((e) => e.seq > end.seq);
      // partitions heal when the window closes; nothing new is injected afterwards
      const healed = after.filter((e) => e.name === "sim_fault" && e.fields.kind === "partition_healed");
      expect(healed.length).toBeGreaterThan(0);
      expect(healed.every((e) => e.timeMs === 10_000)).toBe(true);
      const injected = after.filter(
        (e) => (e.name === "sim_fault" && e.fields.kind !== "partition_healed") || e.name === "attrition",
      );
      expect(injected.map((e) => `${e.timeMs} ${e.source} ${JSON.stringify(e.fields)}`)).toEqual([]);
      expect(after.some((e) => e.name === "partition")).toBe(false);
      const reboots = events.filter((e) => e.name === "sim_fault" && e.fields.kind === "reboot").length;
      const boots = events.filter((e) => e.name === "process_boot").length;
      expect(reboots).toBeGreaterThan(5);
      expect(boots).toBe(4 + reboots); // every rebooted process came back
      const lastBoot = Math.max(...events.filter((e) => e.name === "process_boot").map((e) => e.timeMs));
      expect(lastBoot).toBeLessThan(25_000);
    }
  });
});

describe("determinism of the chaos models", () => {
  const build = () =>
    new SimulationBuilder()
      .logSeeds(false)
      .processes(6, () => clockReader("node"), { locality: (i) => `dc1/z${i % 2}/m${i % 3}` })
      .workload(sleeper)
      .chaos({
        network: { clockDrift: { maxDriftMs: 30 }, sleepDelay: { probability: 0.5, maxMs: 40 } },
        attrition: { maxDead: 2, scope: "machine", interval: { minMs: 50, maxMs: 400 } },
        bursts: "random",
        operations: "swarm",
      })
      .chaosDuration(3_000);

  it("the same seed replays the same reboots, drift, delays and bursts", async () => {
    const a = await build().seeds([21, 22, 23]).recordTraces().run();
    const b = await build().seeds([21, 22, 23]).recordTraces().run();
    expect(b.seeds.map((s) => s.traceHash)).toEqual(a.seeds.map((s) => s.traceHash));
    expect(new Set(a.seeds.map((s) => s.traceHash)).size).toBe(3);
    const rebooted = [...tracesOf(a).values()].some((ev) => ev.some((e) => e.name === "sim_fault"));
    expect(rebooted).toBe(true);
    const checked = await build().seeds([21, 22]).checkDeterminism().run();
    expect(checked.divergences).toEqual([]);
  });
});

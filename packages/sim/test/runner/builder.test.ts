import { beforeAll, describe, expect, it } from "vitest";
import { type Process, type SimContext, SimulationBuilder, type Workload } from "../../src/index.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const quiet = () => new SimulationBuilder().logSeeds(false);

const idle = (name: string): Process => ({
  name,
  async run(ctx) {
    while (!ctx.shutdown.aborted) await ctx.time.sleep(100, ctx.shutdown).catch(() => {});
  },
});

describe("topology", () => {
  it("names processes and workloads and gives them IPs", async () => {
    const seen: { name: string; ip: string; peers: string[] }[] = [];
    const record = (ctx: SimContext) =>
      seen.push({ name: ctx.name, ip: ctx.ip, peers: ctx.peers().map((p) => p.name) });
    const report = await quiet()
      .processes(1, () => ({ name: "solo", run: async (ctx) => void record(ctx) }))
      .processes(3, () => ({ name: "node", run: async (ctx) => void record(ctx) }))
      .workload({ name: "driver", run: async (ctx) => void record(ctx) })
      .workloads(2, (i) => ({ name: `client${i}`, run: async (ctx) => void record(ctx) }))
      .run();
    expect(report.ok).toBe(true);
    const byName = Object.fromEntries(seen.map((s) => [s.name, s]));
    expect(byName.solo?.ip).toBe("10.0.1.1");
    expect(byName["node-0"]?.ip).toBe("10.0.1.2");
    expect(byName["node-2"]?.ip).toBe("10.0.1.4");
    expect(byName.driver?.ip).toBe("10.0.0.1");
    expect(byName.client1?.ip).toBe("10.0.0.3");
    expect(byName.driver?.peers).toEqual(["solo", "node-0", "node-1", "node-2", "client0", "client1"]);
  });

  it("peer() resolves names and lists the known ones for an unknown name", async () => {
    let error: unknown;
    let ip = "";
    await quiet()
      .processes(2, () => idle("db"))
      .workload({
        name: "w",
        async run(ctx) {
          ip = ctx.peer("db-1");
          try {
            ctx.peer("nope");
          } catch (e) {
            error = e;
          }
        },
      })
      .run();
    expect(ip).toBe("10.0.1.2");
    expect(String(error)).toMatch(/peer\(name\).*"nope".*db-0, db-1, w/);
  });

  it("a range of processes draws the count per seed and suffixes the names", async () => {
    const counts = new Set<number>();
    await quiet()
      .processes([1, 4], () => idle("n"))
      .workload({
        name: "w",
        run: async (ctx) => void counts.add(ctx.peers().filter((p) => p.name.startsWith("n-")).length),
      })
      .iterations(40)
      .run();
    expect([...counts].every((c) => c >= 1 && c <= 4)).toBe(true);
    expect(counts.size).toBeGreaterThan(1);
  });
});

describe("lifecycle", () => {
  it("processes boot before workloads; the first finished workload aborts the workloads' shutdown, the checks run, then the processes'", async () => {
    const log: string[] = [];
    const report = await quiet()
      .processes(1, () => ({
        name: "server",
        async run(ctx) {
          log.push("server boot");
          await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
          log.push(`server shutdown at ${ctx.time.now()}`);
        },
      }))
      .workload({
        name: "quick",
        async run(ctx) {
          log.push("quick start");
          await ctx.time.sleep(10);
        },
      })
      .workload({
        name: "slow",
        async run(ctx) {
          await ctx.time
            .sleep(1_000, ctx.shutdown)
            .catch(() => log.push(`slow aborted at ${ctx.time.now()}`));
        },
        async check(ctx) {
          log.push(`check at ${ctx.time.now()}`);
        },
      })
      .run();
    expect(report.ok).toBe(true);
    expect(log[0]).toBe("server boot");
    expect(log).toContain("quick start");
    expect(log).toContain("slow aborted at 10");
    expect(log.at(-2)).toBe("check at 10");
    expect(log.at(-1)).toBe("server shutdown at 10");
  });

  it("a run quiescent before its workloads finish aborts shutdown first, then reports a deadlock", async () => {
    const seen: string[] = [];
    const ok = await quiet()
      .workload({
        name: "waiter",
        async run(ctx) {
          await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
          seen.push("released by shutdown");
        },
      })
      .run();
    expect(ok.ok).toBe(true);
    expect(seen).toEqual(["released by shutdown"]);

    const stuck = await quiet()
      .workload({
        name: "stuck",
        run: (ctx) => ctx.task.spawn("forever", () => new Promise<void>(() => {})).join(),
      })
      .run();
    expect(stuck.ok).toBe(false);
    expect(stuck.seeds[0]?.error).toMatch(/deadlock/i);
    expect(stuck.seeds[0]?.error).toMatch(/seed 1/);
  });

  it("a throwing check() fails the seed", async () => {
    const report = await quiet()
      .workload({
        name: "w",
        run: async () => {},
        check: async () => {
          throw new Error("bad state");
        },
      })
      .run();
    expect(report.failed).toBe(1);
    expect(report.seeds[0]?.error).toMatch(/workload "w" check\(\) failed: bad state/);
  });

  it("throw of a non-Error becomes an Error that says so", async () => {
    const report = await quiet()
      .workload({
        name: "w",
        run: async () => {
          throw "a string";
        },
      })
      .run();
    expect(report.seeds[0]?.error).toMatch(/non-Error value \(string\): "a string"/);
  });

  it("a workload instance's fields are restored before every seed; a factory gives a fresh one per seed", async () => {
    const instance = {
      name: "inst",
      runs: 0,
      async run() {
        this.runs++;
      },
    };
    let created = 0;
    await quiet()
      .workload(instance)
      .workload(() => {
        created++;
        return { name: "fresh", run: async () => {} };
      })
      .iterations(5)
      .run();
    expect(instance.runs).toBe(1); // the last seed's run, from 0
    expect(created).toBe(5);
  });

  it("graceful reboot gives a new Process instance after the grace period and recovery delay", async () => {
    let instances = 0;
    const events: string[] = [];
    const report = await quiet()
      .processes(1, () => {
        const id = ++instances;
        return {
          name: "srv",
          async run(ctx: SimContext) {
            events.push(`boot ${id}`);
            await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
            events.push(`shutdown ${id}`);
          },
        };
      })
      .fault("reboot once", async (f) => {
        await f.time.sleep(100);
        expect(f.reboot("10.0.1.1", "graceful")).toBe(true);
        expect(f.reboot("10.0.1.1", "crash")).toBe(false);
      })
      .workload({ name: "w", run: (ctx) => ctx.time.sleep(60_000) })
      .recordTraces()
      .run();
    expect(report.ok).toBe(true);
    // the factory is also called once when the builder is configured, to read the name
    // the factory runs only inside the seed: the first boot is instance 1
    expect(events.slice(0, 3)).toEqual(["boot 1", "shutdown 1", "boot 2"]);
    const trace = report.traces?.[String(report.seeds[0]!.seed)] as { name: string; timeMs: number }[];
    const down = trace.find((e) => e.name === "process_down")!;
    expect(down.timeMs).toBeGreaterThanOrEqual(100 + 2_000);
    const boots = trace.filter((e) => e.name === "process_boot");
    expect(boots).toHaveLength(2);
    expect(boots[1]!.timeMs - down.timeMs).toBeGreaterThanOrEqual(1_000);
  });

  it("a crash reboot kills the process immediately (it never resumes)", async () => {
    const events: string[] = [];
    const report = await quiet()
      .processes(1, () => ({
        name: "srv",
        async run(ctx) {
          events.push("boot");
          await ctx.time.sleep(1_000);
          events.push("resumed after crash?!");
        },
      }))
      .fault("crash", async (f) => {
        await f.time.sleep(10);
        f.reboot("10.0.1.1", "crash");
      })
      .workload({ name: "w", run: (ctx) => ctx.time.sleep(5_000) })
      .run();
    expect(report.ok).toBe(true);
    expect(events[0]).toBe("boot");
    expect(events.filter((e) => e === "resumed after crash?!").length).toBeLessThanOrEqual(1);
    expect(events.filter((e) => e === "boot").length).toBeGreaterThanOrEqual(1);
  });
});

describe("invariants and trace", () => {
  it("an invariant failure fails only the seed where it breaks", async () => {
    const report = await quiet()
      .workload({
        name: "w",
        async run(ctx) {
          const n = ctx.random.int(0, 4);
          for (let i = 0; i < 3; i++) {
            await ctx.time.sleep(1);
            ctx.trace("tick", { n, i });
          }
        },
      })
      .invariant("n is never 0", (trace) => {
        const last = trace.last("tick");
        if (last && last.fields.n === 0) throw new Error(`n was 0 at tick ${last.fields.i}`);
      })
      .iterations(30)
      .run();
    expect(report.failed).toBeGreaterThan(0);
    expect(report.passed).toBeGreaterThan(0);
    for (const s of report.seeds.filter((x) => !x.ok))
      expect(s.error).toMatch(/invariant "n is never 0" failed at \d+ ms: n was 0 at tick 0/);
  });

  it("since() advances a cursor; snapshot() and count() see the whole seed", async () => {
    const sinceSizes: number[] = [];
    const cursor = {};
    await quiet()
      .workload({
        name: "w",
        async run(ctx) {
          for (let i = 0; i < 4; i++) {
            ctx.trace("step", { i, big: 10n ** 20n });
            await ctx.time.sleep(5);
          }
        },
      })
      .invariant("cursor", (trace) => {
        const fresh = trace.since("step", cursor);
        if (fresh.length > 0) sinceSizes.push(fresh.length);
        if (trace.snapshot("step").length !== trace.count("step")) throw new Error("snapshot/count mismatch");
      })
      .iterations(2)
      .run();
    // each seed starts the cursor over, and every event is seen once
    expect(sinceSizes.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it("trace() rejects non-scalar and cyclic fields naming the field", async () => {
    const errors: string[] = [];
    await quiet()
      .workload({
        name: "w",
        async run(ctx) {
          const cyclic: Record<string, unknown> = {};
          cyclic.self = cyclic;
          for (const fields of [{ obj: { a: 1 } }, { self: cyclic }, { u: undefined }]) {
            try {
              ctx.trace("e", fields as never);
            } catch (e) {
              errors.push(String(e));
            }
          }
          ctx.trace("ok", { big: 1n, s: "x", b: true, n: 1.5 });
        },
      })
      .run();
    expect(errors[0]).toMatch(/fields\.obj.*an object/);
    expect(errors[1]).toMatch(/fields\.self.*cyclic/);
    expect(errors[2]).toMatch(/fields\.u/);
  });
});

describe("bad input", () => {
  it("rejects bad arguments naming them", () => {
    const b = quiet();
    expect(() => b.iterations(0)).toThrow(/iterations\(n\)/);
    expect(() => b.seeds([-1])).toThrow(/seeds\[0\]/);
    expect(() => b.seeds([1, 2 ** 60])).toThrow(/seeds\[1\]/);
    expect(() => b.seeds([3, 3])).toThrow(/seeds\[1\].*twice/);
    expect(() => b.seed(1.5)).toThrow(/seed\(base\)/);
    expect(() => b.baseSeed(-1)).toThrow(/baseSeed\(base\)/);
    expect(() => b.processes(0, () => idle("x"))).toThrow(/processes\(count\)/);
    expect(() => b.processes([3, 1], () => idle("x"))).toThrow(/processes\(count\)/);
    expect(() => b.chaosDuration(Number.NaN)).toThrow(/chaosDuration\(ms\)/);
    expect(() => b.chaos({ netwrk: "random" } as never)).toThrow(/chaos\(options\.netwrk\)/);
    expect(() => b.untilCoverageStable(10, 5)).toThrow(/untilCoverageStable\(maxIterations\)/);
    expect(() => b.workload({ name: "", run: async () => {} })).toThrow(/workload\(w\)/);
  });

  it("a simulation without workload, or chaos without a window, fails at run()", async () => {
    await expect(
      quiet()
        .processes(1, () => idle("x"))
        .run(),
    ).rejects.toThrow(/at least one workload/);
    const w: Workload = { name: "w", run: async () => {} };
    await expect(
      quiet()
        .workload(w)
        .chaos({ attrition: { maxDead: 1 } })
        .run(),
    ).rejects.toThrow(/attrition chaos needs a chaos window.*chaosDuration/);
    await expect(quiet().workload(w).chaos({ network: "random", buggify: true }).run()).rejects.toThrow(
      /network chaos needs/,
    );
  });

  it("run() twice, or while another simulation runs, is a clear error", async () => {
    const b = quiet().workload({ name: "w", run: async () => {} });
    await b.run();
    await expect(b.run()).rejects.toThrow(/already called/);
    const slow = quiet()
      .workload({ name: "w", run: (ctx) => ctx.time.sleep(10) })
      .iterations(3);
    const first = slow.run();
    await expect(
      quiet()
        .workload({ name: "w", run: async () => {} })
        .run(),
    ).rejects.toThrow(/another simulation is already running/);
    expect((await first).ok).toBe(true);
  });
});

describe("seeds", () => {
  it("runs exactly the given seeds in order, and derives iteration seeds from the base seed", async () => {
    const explicit = await quiet()
      .workload({ name: "w", run: async () => {} })
      .seeds([7, 3, 99])
      .run();
    expect(explicit.seeds.map((s) => s.seed)).toEqual([7, 3, 99]);
    const a = await quiet()
      .workload({ name: "w", run: async () => {} })
      .seed(42)
      .iterations(5)
      .run();
    const b = await quiet()
      .workload({ name: "w", run: async () => {} })
      .baseSeed(42)
      .iterations(5)
      .run();
    expect(a.seeds.map((s) => s.seed)).toEqual(b.seeds.map((s) => s.seed));
    expect(a.seeds[0]?.seed).toBe(42);
    expect(new Set(a.seeds.map((s) => s.seed)).size).toBe(5);
    const dflt = await quiet()
      .workload({ name: "w", run: async () => {} })
      .run();
    expect(dflt.iterations).toBe(1);
    expect(dflt.seeds[0]?.seed).toBe(1);
  });
});

describe("console", () => {
  it("traceConsole() records actors' console lines in the trace", async () => {
    const report = await quiet()
      .workload({
        name: "talker",
        async run(ctx) {
          await ctx.time.sleep(5);
          console.log("hello from the simulation");
        },
      })
      .traceConsole()
      .recordTraces()
      .run();
    const trace = report.traces?.["1"] as { name: string; source: string; fields: Record<string, unknown> }[];
    const line = trace.find((e) => e.name === "console");
    expect(line?.fields.message).toMatch(/hello from the simulation/);
  });
});

describe("final invariant pass", () => {
  it("invariants also see events recorded by check() at the very end", async () => {
    const report = await quiet()
      .workload({
        name: "w",
        run: async () => {},
        check: async (ctx) => ctx.trace("verdict", { good: false }),
      })
      .invariant("verdicts are good", (trace) => {
        if (trace.last("verdict")?.fields.good === false) throw new Error("bad verdict");
      })
      .run();
    expect(report.failed).toBe(1);
    expect(report.seeds[0]?.error).toMatch(/invariant "verdicts are good" failed.*bad verdict/);
  });
});

describe("chaos window", () => {
  it("ends when the workloads finish first, without waiting for chaosDuration", async () => {
    let checkedAt = -1;
    const report = await quiet()
      .workload({
        name: "short",
        run: (ctx) => ctx.time.sleep(100),
        check: async (ctx) => {
          checkedAt = ctx.time.now();
        },
      })
      .fault("idle", (f) => f.time.sleep(1_000_000, f.chaosEnded).catch(() => {}))
      .chaos({ buggify: true })
      .chaosDuration(60_000)
      .recordTraces()
      .run();
    expect(report.ok).toBe(true);
    expect(checkedAt).toBe(100);
    const trace = (report.traces?.["1"] ?? []) as {
      name: string;
      timeMs: number;
      fields: { reason?: string };
    }[];
    const end = trace.find((e) => e.name === "chaos_end");
    expect(end?.timeMs).toBe(100);
    expect(end?.fields.reason).toBe("workloads finished");
  });
});

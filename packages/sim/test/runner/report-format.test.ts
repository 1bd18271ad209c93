import { always } from "@moonpool/assertions";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SimulationBuilder, type Workload } from "../../src/index.ts";
import { SimulationReport } from "../../src/runner/report.ts";
import { chooseExecutor } from "./executor-choice.ts";

beforeAll(chooseExecutor);

const ESC = "\x1b[";

function failingReport(): SimulationReport {
  return new SimulationReport({
    baseSeed: 0,
    wallMs: 1,
    assertions: [],
    seeds: [{ seed: 1, ok: false, events: 1, simulatedMs: 0, wallMs: 1, traceHash: "h", error: "seed 1: x" }],
  });
}

describe("format() colour default", () => {
  const tty = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
  const setTTY = (value: boolean) =>
    Object.defineProperty(process.stdout, "isTTY", { value, configurable: true, writable: true });

  afterEach(() => {
    vi.unstubAllEnvs();
    if (tty) Object.defineProperty(process.stdout, "isTTY", tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  });

  it("colours on a TTY when NO_COLOR and FORCE_COLOR are unset", () => {
    vi.stubEnv("NO_COLOR", undefined);
    vi.stubEnv("FORCE_COLOR", undefined);
    setTTY(true);
    expect(failingReport().format()).toContain(ESC);
  });

  it("does not colour when stdout is not a TTY", () => {
    vi.stubEnv("NO_COLOR", undefined);
    vi.stubEnv("FORCE_COLOR", undefined);
    setTTY(false);
    expect(failingReport().format()).not.toContain(ESC);
  });

  it("NO_COLOR turns colour off even on a TTY (and wins over FORCE_COLOR)", () => {
    vi.stubEnv("NO_COLOR", "1");
    vi.stubEnv("FORCE_COLOR", "1");
    setTTY(true);
    expect(failingReport().format()).not.toContain(ESC);
  });

  it("an empty NO_COLOR counts as unset; FORCE_COLOR colours without a TTY", () => {
    vi.stubEnv("NO_COLOR", "");
    vi.stubEnv("FORCE_COLOR", "1");
    setTTY(false);
    expect(failingReport().format()).toContain(ESC);
    vi.stubEnv("FORCE_COLOR", "0");
    expect(failingReport().format()).not.toContain(ESC);
  });

  it("an explicit color option overrides the environment", () => {
    vi.stubEnv("NO_COLOR", "1");
    expect(failingReport().format({ color: true })).toContain(ESC);
    vi.stubEnv("NO_COLOR", undefined);
    setTTY(true);
    expect(failingReport().format({ color: false })).not.toContain(ESC);
  });
});

const workload = (run: Workload["run"]): Workload => ({ name: "w", run });
const runOne = (run: Workload["run"], record = false) => {
  const builder = new SimulationBuilder().logSeeds(false).workload(workload(run)).seeds([3]);
  return (record ? builder.recordTraces() : builder).run();
};

describe("ctx.trace fields", () => {
  it("bigints are kept in the trace and written as decimal strings in JSON", async () => {
    const big = 2n ** 70n + 1n;
    const report = await runOne(async (ctx) => {
      ctx.trace("big", { value: big, small: -5n });
    }, true);
    expect(report.ok).toBe(true);
    const event = report.traces?.["3"]?.find((e) => (e as { name?: string }).name === "big") as
      | { fields: Record<string, unknown> }
      | undefined;
    expect(event?.fields).toEqual({ value: big.toString(10), small: "-5" });
    expect(JSON.parse(JSON.stringify(report.traces))["3"]).toEqual(report.traces?.["3"]);
  });

  it("a cyclic field fails the seed with a message naming the problem (no hang, no crash)", async () => {
    const report = await runOne(async (ctx) => {
      const fields: Record<string, unknown> = { ok: 1 };
      fields.self = fields;
      ctx.trace("loop", fields as never);
    });
    expect(report.failed).toBe(1);
    expect(report.seeds[0]!.error).toMatch(/trace.*cyclic/s);
    expect(() => JSON.stringify(report.toJSON())).not.toThrow();
    expect(report.format({ color: false })).toMatch(/✗ seed 3: .*cyclic/);
  });
});

describe("assertion details", () => {
  it("bigint details are written as decimal strings in the failure, the JSON and format()", async () => {
    const report = await runOne(async () => {
      always(false, "balance non-negative", { balance: -(2n ** 64n) });
    });
    expect(report.failed).toBe(1);
    const json = JSON.parse(JSON.stringify(report.toJSON())) as { seeds: { error: string }[] };
    expect(json.seeds[0]!.error).toContain('"balance":"-18446744073709551616"');
    expect(report.format({ color: false })).toContain("-18446744073709551616");
  });

  it("cyclic details still fail the seed with the assertion's message", async () => {
    const report = await runOne(async () => {
      const details: Record<string, unknown> = { a: 1 };
      details.self = details;
      always(false, "no cycles here", details);
    });
    expect(report.failed).toBe(1);
    expect(report.seeds[0]!.error).toMatch(/assertion violated: .*"no cycles here"/);
    expect(() => JSON.stringify(report.toJSON())).not.toThrow();
    expect(report.assertions.find((a) => a.message === "no cycles here")?.status).toBe("fail");
  });
});

describe("format() of a hang", () => {
  it("prints what every task was waiting on, not the engine's stack", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => ({
        name: "srv",
        async run(ctx) {
          const listener = await ctx.network.listen(`${ctx.ip}:1`);
          await listener.accept();
          await ctx.time.sleep(3_600_000);
        },
      }))
      .workload({
        name: "client",
        async run(ctx) {
          const conn = await ctx.network.connect(`${ctx.peer("srv")}:1`);
          await conn.read();
        },
      })
      .seeds([1])
      .run();
    const text = report.format({ color: false });
    expect(text).toMatch(/✗ seed 1: virtual-time budget of 3600000 ms exceeded/);
    expect(text).toMatch(
      /\n {4}live tasks \(3\):\n {6}main\/main: awaiting join "client.run"\n {6}client\/client.run: awaiting read /,
    );
    expect(text).toMatch(/ {6}srv\/srv.run: awaiting sleep 3600000 ms/);
    expect(text).not.toMatch(/at SimWorld\./);
  });
});

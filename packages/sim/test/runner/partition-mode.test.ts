// FaultContext.partition: held by default, dropped with { mode: "drop" }, through the runner.
import { describe, expect, it } from "vitest";
import { SimulationBuilder, type Workload } from "../../src/index.ts";

function pair(received: string[]): Workload[] {
  const server: Workload = {
    name: "server",
    async run(ctx) {
      const listener = await ctx.network.listen(`${ctx.ip}:80`);
      const conn = await listener.accept();
      const chunk = await ctx.time.timeout(30_000, conn.read()).catch((e: Error) => e.name);
      received.push(chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : String(chunk));
    },
  };
  const client: Workload = {
    name: "client",
    async run(ctx) {
      const conn = await ctx.network.connect(`${ctx.peer("server")}:80`);
      await ctx.time.sleep(200);
      await conn.write(new TextEncoder().encode("during"));
      await ctx.time.sleep(40_000);
    },
  };
  return [server, client];
}

async function run(mode: "hold" | "drop" | undefined): Promise<{ received: string[]; faults: unknown[] }> {
  const received: string[] = [];
  const [server, client] = pair(received);
  const builder = new SimulationBuilder()
    .logSeeds(false)
    .workload(server!)
    .workload(client!)
    .fault("cut", async (f) => {
      await f.time.sleep(100);
      // Workloads get 10.0.0.1 (server) and 10.0.0.2 (client), in order: cut client -> server.
      f.partition("10.0.0.2", "10.0.0.1", 1_000, mode === undefined ? undefined : { mode });
    })
    .seeds([1])
    .recordTraces();
  const report = await builder.run();
  expect(report.seeds[0]?.error ?? "ok").toBe("ok");
  const events = Object.values(report.traces ?? {}).flat() as {
    name: string;
    fields?: Record<string, unknown>;
  }[];
  return { received, faults: events.filter((e) => e.name === "sim_fault").map((e) => e.fields) };
}

describe("FaultContext.partition", () => {
  it("holds traffic by default: it is delivered after the heal", async () => {
    const { received } = await run(undefined);
    expect(received).toEqual(["during"]);
  });

  it('drops it with { mode: "drop" }: the receiver never gets it', async () => {
    const { received, faults } = await run("drop");
    // Not told either: its read runs into its own 30 s timeout.
    expect(received).toEqual(["TimeoutError"]);
    expect(faults).toContainEqual(expect.objectContaining({ kind: "partition", mode: "drop" }));
    expect(faults).toContainEqual(expect.objectContaining({ kind: "partition_drop" }));
  });
});

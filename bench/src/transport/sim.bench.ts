// The transport on the simulated network: RPC round trips per wall-clock second, and the time
// compression of a 60-simulated-second RPC workload with 5 ms one-way link latency (the same
// workload on real TCP with that latency would take 60 s of wall time).
import { performance } from "node:perf_hooks";
import { NetworkAddress } from "@moonpool/core";
import { type Process, SimulationBuilder, type Workload } from "@moonpool/sim";
import { defineService, method, NetTransport } from "@moonpool/transport";
import type { BenchSuite } from "../harness.ts";

const Echo = defineService("Echo", { echo: method<{ seq: number }, number>() });
const SIM_MS = 60_000;

async function simulate(latencyMs: number): Promise<{ rpcs: number; wallMs: number; simulatedMs: number }> {
  let rpcs = 0;
  const server: Process = {
    name: "server",
    async run(ctx) {
      const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4500` });
      const h = Echo.wellKnown(t, 4).serve({ echo: ({ seq }) => seq });
      await new Promise<void>((r) => ctx.shutdown.addEventListener("abort", () => r(), { once: true }));
      await h.stop();
      await t.close();
    },
  };
  const client: Workload = {
    name: "client",
    async run(ctx) {
      const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4501` });
      const api = Echo.clientWellKnown(t, NetworkAddress.parse(`${ctx.peer("server")}:4500`), 4);
      for (let i = 0; ctx.time.now() < SIM_MS; i++) {
        await api.echo.getReply({ seq: i });
        rpcs++;
      }
      await t.close();
    },
  };
  const fixed = (ms: number) => ({ kind: "fixed", ms }) as const;
  const started = performance.now();
  const report = await new SimulationBuilder()
    .processes(1, () => server)
    .workload(client)
    .chaos({
      network: {
        latency: {
          connect: fixed(latencyMs),
          accept: fixed(0.1),
          write: fixed(0.01),
          delivery: fixed(latencyMs),
        },
      },
    })
    .chaosDuration(SIM_MS)
    .seeds([1])
    .logSeeds(false)
    .run();
  const wallMs = performance.now() - started;
  if (report.failed > 0) throw new Error(report.format());
  return { rpcs, wallMs, simulatedMs: report.seeds[0]!.simulatedMs };
}

export default (async (r) => {
  const slow = await simulate(5);
  r.figure("sim: getReply round trips in 60 simulated s (5 ms latency)", slow.rpcs, "rpc");
  r.figure("sim: wall time of the 60 simulated s workload (5 ms latency)", slow.wallMs, "ms");
  r.figure(
    "sim: getReply round trips per wall second (5 ms latency)",
    (slow.rpcs * 1000) / slow.wallMs,
    "rpc/s",
  );
  r.ratio(
    "time compression (60 s at 5 ms latency)",
    slow.simulatedMs / slow.wallMs,
    "simulated ms per wall ms; real TCP with the same latency needs 60 s of wall time",
  );
}) satisfies BenchSuite;

// The transport on the simulated network: RPC round trips per wall-clock second, and the time
// compression of a 60-simulated-second RPC workload with 5 ms one-way link latency against the
// same workload on real loopback TCP with 5 ms added to each direction (measured in this run).
// The real run lasts REAL_MS of wall time (60 s would be too long for a suite); its RPC rate is
// what the whole 60 s workload would run at, so the projected real time is rpcs / that rate.
import { performance } from "node:perf_hooks";
import { NetworkAddress } from "@moonpool/core";
import { nodeProviders } from "@moonpool/core/node";
import { type Process, SimulationBuilder, type Workload } from "@moonpool/sim";
import { defineService, method, NetTransport } from "@moonpool/transport";
import type { BenchSuite } from "../harness.ts";
import { withLatency } from "./delayedNetwork.ts";

const Echo = defineService("Echo", { echo: method<{ seq: number }, number>() });
const SIM_MS = 60_000;
const LATENCY_MS = 5;
const REAL_MS = 3_000;

/** The same workload on real TCP with the same link latency, for REAL_MS of wall time. */
async function realTcp(latencyMs: number): Promise<{ rpcs: number; wallMs: number }> {
  const providers = withLatency(nodeProviders(), latencyMs);
  const server = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0" });
  const client = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0" });
  const h = Echo.wellKnown(server, 4).serve({ echo: ({ seq }) => seq });
  const api = Echo.clientWellKnown(client, NetworkAddress.parse(server.localAddress.toString()), 4);
  let rpcs = 0;
  const started = performance.now();
  for (let i = 0; performance.now() - started < REAL_MS; i++) {
    if ((await api.echo.getReply({ seq: i })) !== i) throw new Error("wrong echo");
    rpcs++;
  }
  const wallMs = performance.now() - started;
  await h.stop();
  await client.close();
  await server.close();
  return { rpcs, wallMs };
}

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
  const slow = await simulate(LATENCY_MS);
  const real = await realTcp(LATENCY_MS);
  const realRate = (real.rpcs * 1000) / real.wallMs;
  const realWallForSameWork = (slow.rpcs * 1000) / realRate;
  r.figure("sim: getReply round trips in 60 simulated s (5 ms latency)", slow.rpcs, "rpc");
  r.figure("sim: wall time of the 60 simulated s workload (5 ms latency)", slow.wallMs, "ms");
  r.figure(
    "sim: getReply round trips per wall second (5 ms latency)",
    (slow.rpcs * 1000) / slow.wallMs,
    "rpc/s",
  );
  r.figure("real TCP + 5 ms latency: getReply round trips per wall second", realRate, "rpc/s");
  r.figure("real TCP + 5 ms latency: wall time of the same workload (projected)", realWallForSameWork, "ms");
  r.ratio(
    "time compression vs real TCP (60 s workload, 5 ms latency)",
    realWallForSameWork / slow.wallMs,
    "wall time of the workload on real TCP with 5 ms links / wall time in simulation",
  );
  r.ratio(
    "simulated ms per wall ms (5 ms latency)",
    slow.simulatedMs / slow.wallMs,
    "virtual time covered per unit of wall time",
  );
}) satisfies BenchSuite;

// The transport on the simulated network: RPC round trips per wall-clock second, and the time
// compression of a 60-simulated-second RPC workload with 5 ms one-way link latency against the
// same workload on real loopback TCP with 5 ms added to each direction (measured in this run).
// The real run lasts REAL_MS of wall time (60 s would be too long for a suite); its RPC rate is
// what the whole 60 s workload would run at, so the projected real time is rpcs / that rate.
// Then the same sequential getReply loop with no added latency on either side: a seed of
// FAST_RPCS calls on a zero-latency simulated network against real loopback TCP, both warmed up
// and measured in alternating rounds (medians).
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
const FAST_RPCS = 10_000;
const FAST_ROUNDS = 5;

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

/**
 * One seed of the echo workload: `rpcs` sequential calls when given, otherwise calls until
 * SIM_MS of simulated time have passed.
 */
async function simulate(
  latencyMs: number,
  rpcCount?: number,
): Promise<{ rpcs: number; wallMs: number; simulatedMs: number }> {
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
      for (let i = 0; rpcCount === undefined ? ctx.time.now() < SIM_MS : i < rpcCount; i++) {
        if ((await api.echo.getReply({ seq: i })) !== i) throw new Error("wrong echo");
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
          accept: fixed(latencyMs === 0 ? 0 : 0.1),
          write: fixed(latencyMs === 0 ? 0 : 0.01),
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

/** Calls of `call` per second, awaited one at a time, over `ms` of wall time. */
async function loopRate(call: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    await call();
    n++;
  }
  return (n * 1000) / (performance.now() - started);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * Sequential getReply per wall second with no added latency: seeds of FAST_RPCS calls on a
 * zero-latency simulated network vs the same loop on real loopback TCP. Both are warmed up
 * (~2 s each), then measured in alternating rounds; medians.
 */
async function withoutLatency(): Promise<{ sim: number; real: number }> {
  const providers = nodeProviders();
  const server = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0" });
  const client = await NetTransport.listen(providers, { localAddress: "127.0.0.1:0" });
  const h = Echo.wellKnown(server, 4).serve({ echo: ({ seq }) => seq });
  const api = Echo.clientWellKnown(client, NetworkAddress.parse(server.localAddress.toString()), 4);
  let seq = 0;
  const real = async () => {
    const n = seq++;
    if ((await api.echo.getReply({ seq: n })) !== n) throw new Error("wrong echo");
  };
  const simRate = async () => {
    const { rpcs, wallMs } = await simulate(0, FAST_RPCS);
    return (rpcs * 1000) / wallMs;
  };
  await loopRate(real, 2000);
  for (const started = performance.now(); performance.now() - started < 2000; ) await simRate();
  const sims: number[] = [];
  const reals: number[] = [];
  for (let round = 0; round < FAST_ROUNDS; round++) {
    sims.push(await simRate());
    reals.push(await loopRate(real, 1000));
  }
  await h.stop();
  await client.close();
  await server.close();
  return { sim: median(sims), real: median(reals) };
}

export default (async (r) => {
  // The zero-latency comparison runs first: it warms up the transport, the engine and the
  // simulated network for the 5 ms figures too.
  const fast = await withoutLatency();
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
  r.figure("sim: getReply round trips per wall second (no added latency)", fast.sim, "rpc/s");
  r.figure("real loopback TCP: getReply round trips per wall second", fast.real, "rpc/s");
  r.ratio(
    "sim / real loopback getReply per wall second (no added latency)",
    fast.sim / fast.real,
    "same sequential getReply loop, zero-latency simulated network vs real loopback (goal >= 3x)",
  );
  r.ratio(
    "simulated ms per wall ms (5 ms latency)",
    slow.simulatedMs / slow.wallMs,
    "virtual time covered per unit of wall time",
  );
}) satisfies BenchSuite;

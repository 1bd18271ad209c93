// A transport simulation that counts executions: one server runs an `exec` method that traces
// every request id it runs; a client pipelines bursts of requests big enough to overflow the
// simulated socket window (so a write is admitted in pieces) through getReply/tryGetReply/
// getReplyUnlessFailedFor, under connection faults (random closes, partitions, link cuts).
//
// The invariant (over the trace): no request id runs twice (every request mode is documented
// "never duplicates"), every reply the client accepted names an id the server ran exactly
// once, and the reply carries the request's own id. `check()`: every call settled (reply or a
// typed error) and, when the run had no connection-breaking fault, every call was answered.

import { sometimes } from "@moonpool/assertions";
import { NetworkAddress } from "@moonpool/core";
import type { Process, SimContext, TraceEvent, TraceQuery, Workload } from "@moonpool/sim";
import { SimulationBuilder } from "@moonpool/sim";
import { defineService, method, NetTransport, ReplyError } from "../../src/index.ts";

export interface ExecRequest {
  id: number;
  pad: Uint8Array | number[];
}

export const Exec = defineService("Exec", { exec: method<ExecRequest, number>() });
export const EXEC_ID = 5;
export const EXEC_PORT = 4700;

/** The server: answers every request with its id, after tracing that it ran it. */
export function execServer(): Process {
  return {
    name: "server",
    async run(ctx: SimContext) {
      const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:${EXEC_PORT}` });
      const handle = Exec.wellKnown(t, EXEC_ID).serve({
        exec: (req) => {
          ctx.trace("exec", { id: req.id });
          return req.id;
        },
      });
      await new Promise<void>((resolve) => {
        if (ctx.shutdown.aborted) resolve();
        else ctx.shutdown.addEventListener("abort", () => resolve(), { once: true });
      });
      await handle.stop();
      await t.close();
    },
  };
}

export interface PipelineOptions {
  bursts: number;
  /** Requests in flight per burst. */
  burst: number;
  /** Padding per request, bytes (a burst of 64 x 2 KiB overflows a 64 KiB window). */
  padBytes: number;
  /** Per-call timeout. */
  timeoutMs: number;
}

const DEFAULTS: PipelineOptions = { bursts: 6, burst: 64, padBytes: 2048, timeoutMs: 8_000 };

/** The client: bursts of concurrent calls, each traced with its outcome. */
export function pipelineClient(options: Partial<PipelineOptions> = {}): Workload {
  const o = { ...DEFAULTS, ...options };
  let settled = 0;
  let answered = 0;
  let issued = 0;
  return {
    name: "client",
    async run(ctx: SimContext) {
      settled = 0;
      answered = 0;
      issued = 0;
      const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4701` });
      const api = Exec.clientWellKnown(
        t,
        NetworkAddress.parse(`${ctx.peer("server")}:${EXEC_PORT}`),
        EXEC_ID,
      );
      let id = 0;
      for (let b = 0; b < o.bursts && !ctx.shutdown.aborted; b++) {
        const calls: Promise<void>[] = [];
        for (let i = 0; i < o.burst; i++) {
          const req: ExecRequest = { id: ++id, pad: ctx.random.bytes(o.padBytes) };
          const mode = ctx.random.pick(["getReply", "getReply", "tryGetReply", "unlessFailedFor"] as const);
          const call =
            mode === "getReply"
              ? api.exec.getReply(req, { timeoutMs: o.timeoutMs })
              : mode === "tryGetReply"
                ? api.exec.tryGetReply(req, { timeoutMs: o.timeoutMs })
                : api.exec.getReplyUnlessFailedFor(req, 1_000, { timeoutMs: o.timeoutMs });
          issued++;
          calls.push(
            call.then(
              (got) => {
                settled++;
                answered++;
                ctx.trace("reply", { id: req.id, got, mode });
              },
              (error: unknown) => {
                settled++;
                const kind = error instanceof ReplyError ? error.kind : String(error);
                sometimes(true, "a pipelined call failed");
                ctx.trace("call_failed", { id: req.id, kind, mode });
              },
            ),
          );
        }
        await Promise.all(calls);
        await ctx.time.sleep(ctx.random.int(0, 300));
      }
      await t.close();
    },
    async check() {
      if (settled !== issued) throw new Error(`${issued - settled} of ${issued} calls never settled`);
      sometimes(answered > 0, "a pipelined call was answered");
    },
  };
}

const states = new WeakMap<TraceQuery, { cursor: object; runs: Map<number, number> }>();

/** No id runs twice; every accepted reply is its own request's and ran exactly once. */
export function execInvariant(trace: TraceQuery): void {
  let s = states.get(trace);
  if (!s) {
    s = { cursor: {}, runs: new Map() };
    states.set(trace, s);
  }
  for (const e of trace.since("exec", s.cursor) as TraceEvent[]) {
    const id = Number((e.fields as { id: number }).id);
    const runs = (s.runs.get(id) ?? 0) + 1;
    s.runs.set(id, runs);
    if (runs > 1) throw new Error(`request ${id} executed ${runs} times (duplicate delivery)`);
  }
  for (const e of trace.since("reply", s.cursor) as TraceEvent[]) {
    const f = e.fields as { id: number; got: number; mode: string };
    if (Number(f.got) !== Number(f.id)) throw new Error(`request ${f.id} got the reply of ${f.got}`);
    if (s.runs.get(Number(f.id)) !== 1) throw new Error(`request ${f.id} answered but never executed`);
  }
}

/** The pipelined-RPC simulation under connection faults (random closes, partitions, cuts). */
export function pipelinedRpcSimulation(options: Partial<PipelineOptions> = {}): SimulationBuilder {
  return new SimulationBuilder()
    .processes(1, execServer)
    .workload(pipelineClient(options))
    .invariant("pipelined RPC: no request runs twice, replies match", execInvariant)
    .chaos({
      network: {
        randomClose: { probability: 0.01, cooldownMs: 300, rstRatio: 0.5, oneSidedRatio: 0.66 },
        partition: { probability: 0.3, checkEveryMs: 500, duration: { minMs: 100, maxMs: 3_000 } },
        linkCut: { probability: 0.05, checkEveryMs: 500, duration: { minMs: 100, maxMs: 2_500 } },
      },
    })
    .chaosDuration(10_000)
    .logSeeds(false);
}

// Shared pieces of the chaos-* runner tests: an idle process, a waiting workload, trace access.
import type { Process, SimulationReport, Workload } from "../../src/index.ts";

export interface Ev {
  readonly seq: number;
  readonly name: string;
  readonly source: string;
  readonly timeMs: number;
  readonly fields: Record<string, unknown>;
}

/** The recorded trace of every seed, by seed. */
export function tracesOf(report: SimulationReport): Map<number, Ev[]> {
  const out = new Map<number, Ev[]>();
  for (const [seed, events] of Object.entries(report.traces ?? {})) out.set(Number(seed), events as Ev[]);
  return out;
}

/**
 * Runs until its shutdown signal, then traces "shutdown_seen" and keeps going for 60 s (a slow
 * shutdown): only the kill after the grace period ends it.
 */
export const stubbornProcess = (name = "node"): Process => ({
  name,
  async run(ctx) {
    await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
    ctx.trace("shutdown_seen", { ip: ctx.ip });
    await ctx.time.sleep(60_000);
    ctx.trace("clean_exit", { ip: ctx.ip });
  },
});

/** A workload that just lets virtual time pass. */
export const waiter = (ms: number): Workload => ({
  name: "waiter",
  async run(ctx) {
    await ctx.time.sleep(ms);
  },
});

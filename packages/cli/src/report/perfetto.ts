// A seed's timeline in the Chrome Trace Event Format, which ui.perfetto.dev and
// chrome://tracing open: one process (pid) per lane, up intervals as complete slices, down
// intervals and partitions as async slices, events and faults as instants, messages as flows,
// a "processes up" counter, virtual time as `ts` (µs).
import type { Timeline } from "./timeline.ts";

/** One trace event (the fields Perfetto reads). */
export interface TraceEventJson {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly dur?: number;
  readonly s?: string;
  readonly id?: string;
  readonly bp?: string;
  readonly args?: Record<string, unknown>;
}

/** The `{ traceEvents, displayTimeUnit }` document. */
export function perfettoTrace(t: Timeline): {
  traceEvents: TraceEventJson[];
  displayTimeUnit: "ms";
  otherData: object;
} {
  const pid = new Map(t.lanes.map((l, i) => [l.name, i + 1]));
  const us = (ms: number) => Math.round(ms * 1_000);
  const out: TraceEventJson[] = [];
  for (const l of t.lanes) {
    const p = pid.get(l.name)!;
    const label = l.ip === undefined ? `${l.name} (${l.kind})` : `${l.name} ${l.ip}`;
    out.push({ name: "process_name", ph: "M", ts: 0, pid: p, tid: 0, args: { name: label } });
    out.push({ name: "process_sort_index", ph: "M", ts: 0, pid: p, tid: 0, args: { sort_index: p } });
    out.push({ name: "thread_name", ph: "M", ts: 0, pid: p, tid: 1, args: { name: l.name } });
  }
  for (const u of t.up)
    out.push({
      name: u.label,
      cat: "lifecycle",
      ph: "X",
      ts: us(u.fromMs),
      dur: us(u.toMs - u.fromMs),
      pid: pid.get(u.lane)!,
      tid: 1,
    });
  let asyncId = 0;
  const span = (
    name: string,
    cat: string,
    lane: string,
    fromMs: number,
    toMs: number,
    args?: Record<string, unknown>,
  ) => {
    const id = `0x${(++asyncId).toString(16)}`;
    const p = pid.get(lane) ?? 1;
    out.push({ name, cat, ph: "b", ts: us(fromMs), pid: p, tid: 1, id, ...(args ? { args } : {}) });
    out.push({ name, cat, ph: "e", ts: us(toMs), pid: p, tid: 1, id });
  };
  for (const d of t.down) span(d.label, "fault", d.lane, d.fromMs, d.toMs);
  for (const p of t.partitions)
    span(`partition ${p.from} -> ${p.to}`, "partition", p.from, p.fromMs, p.toMs, { from: p.from, to: p.to });
  for (const e of t.events) {
    out.push({
      name: e.name === "sim_fault" ? `fault: ${String(e.fields.kind)}` : e.name,
      cat: e.category,
      ph: "i",
      s: e.category === "fault" ? "p" : "t",
      ts: us(e.timeMs),
      pid: pid.get(e.lane) ?? 1,
      tid: 1,
      args: { seq: e.seq, source: e.source, ...e.fields },
    });
  }
  t.messages.forEach((m, i) => {
    const id = `msg-${i}`;
    out.push({ name: m.name, cat: "message", ph: "s", ts: us(m.timeMs), pid: pid.get(m.from)!, tid: 1, id });
    out.push({
      name: m.name,
      cat: "message",
      ph: "f",
      bp: "e",
      ts: us(m.timeMs),
      pid: pid.get(m.to)!,
      tid: 1,
      id,
    });
  });
  // How many processes are up, over time (a counter track).
  const changes = [
    ...t.up.map((u) => ({ at: u.fromMs, d: 1 })),
    ...t.up.map((u) => ({ at: u.toMs, d: -1 })),
  ].sort((a, b) => a.at - b.at || a.d - b.d);
  let upNow = 0;
  const counterPid = t.lanes.length + 1;
  if (changes.length > 0)
    out.push({ name: "process_name", ph: "M", ts: 0, pid: counterPid, tid: 0, args: { name: "counters" } });
  for (const c of changes) {
    upNow += c.d;
    out.push({ name: "processes up", ph: "C", ts: us(c.at), pid: counterPid, tid: 0, args: { up: upNow } });
  }
  if (t.result !== undefined && !t.result.ok) {
    out.push({
      name: `FAILED: ${firstLine(t.result.error ?? "failed")}`,
      cat: "failure",
      ph: "i",
      s: "g",
      ts: us(t.endMs),
      pid: 1,
      tid: 1,
      args: { error: t.result.error ?? "", stack: t.result.stack ?? "", replay: t.result.replay ?? "" },
    });
  }
  return {
    traceEvents: out,
    displayTimeUnit: "ms",
    otherData: { file: t.file, seed: t.seed, traceHash: t.result?.traceHash ?? "", clock: "virtual time" },
  };
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

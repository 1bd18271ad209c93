// One seed's trace as a timeline: lanes (processes, workloads, the simulator), each process's
// up and down intervals, partitions, fault marks, messages between actors and the failure.
// Both the HTML page and the Perfetto export are drawn from it.
import type { TraceFileEvent, TraceFileResult } from "../trace-file.ts";

/** A row of the timeline. */
export interface Lane {
  readonly name: string;
  readonly kind: "process" | "workload" | "sim";
  /** The process's IP, when known. */
  readonly ip?: string;
}

/** A span of virtual time on one lane (ms). */
export interface Interval {
  readonly lane: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly label: string;
}

/** A directed partition between two lanes (or IPs when no process has them). */
export interface PartitionBand {
  readonly from: string;
  readonly to: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** An arrow: a user event naming its destination (`ctx.trace(name, { to: peer })`). */
export interface Message {
  readonly from: string;
  readonly to: string;
  readonly timeMs: number;
  readonly name: string;
  readonly seq: number;
}

/** An event placed on a lane. `category` decides how it is drawn. */
export interface PlacedEvent {
  readonly seq: number;
  readonly timeMs: number;
  readonly lane: string;
  readonly name: string;
  readonly source: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  readonly category: "user" | "lifecycle" | "fault" | "storage" | "sim";
}

/** The timeline of one seed. */
export interface Timeline {
  readonly file: string;
  readonly seed: string;
  readonly endMs: number;
  readonly lanes: readonly Lane[];
  readonly events: readonly PlacedEvent[];
  readonly up: readonly Interval[];
  readonly down: readonly Interval[];
  readonly partitions: readonly PartitionBand[];
  readonly messages: readonly Message[];
  readonly result: TraceFileResult | undefined;
}

const SIM_SOURCES = new Set(["sim", "network", "storage"]);
const SIM_LANE = "sim";

/** Builds the timeline of one seed's events. */
export function buildTimeline(
  file: string,
  seed: string,
  events: readonly TraceFileEvent[],
  result: TraceFileResult | undefined,
): Timeline {
  const processByIp = new Map<string, string>();
  const lanes = new Map<string, Lane>();
  const addLane = (lane: Lane) => {
    if (!lanes.has(lane.name)) lanes.set(lane.name, lane);
  };
  for (const e of events) {
    if (e.name === "process_boot" && typeof e.fields.name === "string") {
      const ip = typeof e.fields.ip === "string" ? e.fields.ip : undefined;
      if (ip !== undefined) processByIp.set(ip, e.fields.name);
      addLane({ name: e.fields.name, kind: "process", ...(ip !== undefined ? { ip } : {}) });
    }
  }
  for (const e of events) {
    if (!SIM_SOURCES.has(e.source)) addLane({ name: e.source, kind: "workload" });
    else if (e.name === "workload_done" && typeof e.fields.name === "string")
      addLane({ name: e.fields.name, kind: "workload" });
  }
  const endMs = Math.max(result?.simulatedMs ?? 0, ...events.map((e) => e.timeMs), 0);
  const laneOfIp = (ip: unknown) => (typeof ip === "string" ? (processByIp.get(ip) ?? undefined) : undefined);
  const placed: PlacedEvent[] = [];
  const up: Interval[] = [];
  const down: Interval[] = [];
  const partitions: PartitionBand[] = [];
  const messages: Message[] = [];
  const bootedAt = new Map<string, { at: number; generation: string }>();
  const downAt = new Map<string, { at: number; kind: string }>();
  const openPartitions = new Map<string, { from: string; to: string; at: number }>();
  let simLane = false;
  for (const e of events) {
    const ipLane = laneOfIp(e.fields.ip) ?? laneOfIp(e.fields.owner);
    let lane = SIM_SOURCES.has(e.source) ? ipLane : e.source;
    let category: PlacedEvent["category"] = SIM_SOURCES.has(e.source) ? "sim" : "user";
    if (e.name === "process_boot" && typeof e.fields.name === "string") {
      lane = e.fields.name;
      category = "lifecycle";
      const wasDown = downAt.get(lane);
      if (wasDown) {
        down.push({ lane, fromMs: wasDown.at, toMs: e.timeMs, label: `down (${wasDown.kind})` });
        downAt.delete(lane);
      }
      bootedAt.set(lane, { at: e.timeMs, generation: String(e.fields.generation ?? "") });
    } else if ((e.name === "process_down" || e.name === "process_exit") && ipLane !== undefined) {
      lane = ipLane;
      category = "lifecycle";
      closeUp(ipLane, e.timeMs);
      if (e.name === "process_down")
        downAt.set(ipLane, { at: e.timeMs, kind: String(e.fields.kind ?? "down") });
    } else if (e.name === "process_reboot") {
      category = "fault";
    } else if (e.name === "sim_fault") {
      const kind = String(e.fields.kind ?? "");
      category = e.source === "storage" ? "storage" : "fault";
      if (kind === "partition" || kind === "partition_healed") {
        const from = laneOfIp(e.fields.from) ?? String(e.fields.from);
        const to = laneOfIp(e.fields.to) ?? String(e.fields.to);
        const key = `${from}\u0000${to}`;
        lane = from;
        if (kind === "partition") openPartitions.set(key, { from, to, at: e.timeMs });
        else {
          const open = openPartitions.get(key);
          if (open) partitions.push({ from, to, fromMs: open.at, toMs: e.timeMs });
          openPartitions.delete(key);
        }
      }
    }
    if (lane === undefined || !lanes.has(lane)) {
      lane = SIM_LANE;
      simLane = true;
    }
    if (category === "user" && typeof e.fields.to === "string") {
      const to = lanes.has(e.fields.to) ? e.fields.to : laneOfIp(e.fields.to);
      if (to !== undefined && to !== lane)
        messages.push({ from: lane, to, timeMs: e.timeMs, name: e.name, seq: e.seq });
    }
    placed.push({
      seq: e.seq,
      timeMs: e.timeMs,
      lane,
      name: e.name,
      source: e.source,
      fields: e.fields,
      category,
    });
  }
  for (const lane of [...bootedAt.keys()]) closeUp(lane, endMs);
  for (const [lane, d] of downAt) down.push({ lane, fromMs: d.at, toMs: endMs, label: `down (${d.kind})` });
  for (const p of openPartitions.values())
    partitions.push({ from: p.from, to: p.to, fromMs: p.at, toMs: endMs });
  if (simLane) addLane({ name: SIM_LANE, kind: "sim" });
  return {
    file,
    seed,
    endMs,
    lanes: [...lanes.values()],
    events: placed,
    up: up.sort((a, b) => a.fromMs - b.fromMs),
    down,
    partitions,
    messages,
    result,
  };

  function closeUp(lane: string, at: number) {
    const b = bootedAt.get(lane);
    if (!b) return;
    up.push({ lane, fromMs: b.at, toMs: at, label: `up (generation ${b.generation})` });
    bootedAt.delete(lane);
  }
}

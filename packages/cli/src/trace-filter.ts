// `moonpool trace` filters: by actor, event name, virtual time window and text.
import type { TraceFileEvent } from "./trace-file.ts";

/** What to keep. Every given criterion must hold. */
export interface TraceFilter {
  /** The event's source is this actor, or one of its fields names it (a boot, a reboot). */
  readonly actor?: string;
  /** The event's name. */
  readonly name?: string;
  /** Virtual time window in ms, inclusive. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Case-insensitive text anywhere in the event's printed line. */
  readonly grep?: string;
}

/** The events of `events` that pass `filter`, in order. */
export function filterTrace(events: readonly TraceFileEvent[], filter: TraceFilter): TraceFileEvent[] {
  const grep = filter.grep?.toLowerCase();
  // A process is also named by its IP in sim events (partitions, reboots).
  const ips = new Set<string>();
  if (filter.actor !== undefined)
    for (const e of events)
      if (e.name === "process_boot" && e.fields.name === filter.actor && typeof e.fields.ip === "string")
        ips.add(e.fields.ip);
  return events.filter((e) => {
    if (filter.name !== undefined && e.name !== filter.name) return false;
    if (filter.fromMs !== undefined && e.timeMs < filter.fromMs) return false;
    if (filter.toMs !== undefined && e.timeMs > filter.toMs) return false;
    if (filter.actor !== undefined && e.source !== filter.actor) {
      const values = Object.values(e.fields);
      if (!values.some((v) => v === filter.actor || (typeof v === "string" && ips.has(v)))) return false;
    }
    if (grep !== undefined && !formatEvent(e).toLowerCase().includes(grep)) return false;
    return true;
  });
}

/** One event as a line: `   12.345 ms  #7 [client] request {"i":0}`. */
export function formatEvent(e: TraceFileEvent): string {
  const fields = Object.keys(e.fields).length === 0 ? "" : ` ${JSON.stringify(e.fields)}`;
  return `${e.timeMs.toFixed(3).padStart(12)} ms  #${e.seq} [${e.source}] ${e.name}${fields}`;
}

// Comparing two runs of one seed and describing their first divergence.
import type { Divergence } from "../report.ts";
import type { DrawLabel } from "./context.ts";

/** What one run of a seed leaves for the comparison. */
export interface SeedTraceCapture {
  /** Every trace event as canonical JSON text. */
  readonly events: readonly string[];
  /** Counted-stream draw count at each event. */
  readonly drawsAt: readonly number[];
  readonly drawLog: readonly DrawLabel[];
  readonly traceHash: string;
}

/** The first divergence between two captures of `seed`, or null when they are identical. */
export function findDivergence(
  seed: number,
  a: SeedTraceCapture,
  b: SeedTraceCapture,
  where: string,
): Divergence | null {
  const n = Math.min(a.events.length, b.events.length);
  let index = -1;
  for (let i = 0; i < n; i++) {
    if (a.events[i] !== b.events[i]) {
      index = i;
      break;
    }
  }
  if (index < 0) {
    if (a.events.length === b.events.length) {
      if (a.traceHash === b.traceHash) return null;
      index = n; // same events, different engine history
    } else {
      index = n;
    }
  }
  const parse = (text: string | undefined) =>
    text === undefined ? "<end of trace>" : (JSON.parse(text) as unknown);
  return {
    seed,
    index,
    first: parse(a.events[index]),
    second: parse(b.events[index]),
    firstDraws: lastDraws(a, index),
    secondDraws: lastDraws(b, index),
    where,
  };
}

function lastDraws(capture: SeedTraceCapture, index: number): string[] {
  const limit = capture.drawsAt[index] ?? Number.POSITIVE_INFINITY;
  const before = capture.drawLog.filter((d) => d.draws <= limit);
  return before.slice(-5).map((d) => `#${d.draws} ${d.label}`);
}

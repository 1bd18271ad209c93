// The seed rows a run's report keeps. Every row streams to `onSeedDone` as its seed ends; the
// report keeps every failing row, the first `limit` rows (a sample of the passing ones) and, for
// the passing rows past the limit, only counters. A run of millions of seeds then holds memory in
// proportion to its failures, not its seeds.
import { InvalidArgumentError } from "@moonpool/core";
import type { SeedRecord } from "./seed.ts";

/** Rows a report keeps by default: past them only failing rows are kept (`keepSeedRows`). */
export const DEFAULT_KEPT_SEED_ROWS = 10_000;

/** What a report knows of the passing rows it did not keep. */
export interface OmittedSeeds {
  /** How many passing rows were dropped. */
  readonly passing: number;
  /** Sums over the dropped rows (the report's averages stay those of every seed). */
  readonly wallMs: number;
  readonly simulatedMs: number;
  readonly events: number;
}

/** Collects the rows of one run under a limit (`"all"`: every row). */
export class SeedRows {
  readonly kept: SeedRecord[] = [];
  private readonly limit: number;
  private count = 0;
  private passingDropped = 0;
  private wallMs = 0;
  private simulatedMs = 0;
  private events = 0;

  constructor(limit: number | "all") {
    this.limit = limit === "all" ? Number.POSITIVE_INFINITY : limit;
  }

  /** Seeds run so far (kept or not). */
  get length(): number {
    return this.count;
  }

  add(row: SeedRecord): void {
    this.count++;
    if (!row.ok || this.kept.length < this.limit) {
      this.kept.push(row);
      return;
    }
    this.passingDropped++;
    this.wallMs += row.wallMs;
    this.simulatedMs += row.simulatedMs;
    this.events += row.events;
  }

  /** The dropped rows' counters, or undefined when every row was kept. */
  omitted(): OmittedSeeds | undefined {
    if (this.passingDropped === 0) return undefined;
    return {
      passing: this.passingDropped,
      wallMs: this.wallMs,
      simulatedMs: this.simulatedMs,
      events: this.events,
    };
  }
}

/** Checks a `keepSeedRows` limit. */
export function checkSeedRowLimit(argument: string, limit: unknown): number | "all" {
  if (limit === "all") return limit;
  if (typeof limit === "number" && Number.isSafeInteger(limit) && limit >= 0) return limit;
  throw new InvalidArgumentError(
    argument,
    `expected "all" or an integer >= 0 (rows kept besides the failing ones), got ${String(limit)}`,
  );
}

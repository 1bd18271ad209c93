// Progress of a multi-seed run on stderr: a live bar (cli-progress) on a terminal, plain
// periodic lines otherwise (CI logs), never anything on stdout.
import { SingleBar } from "cli-progress";

/** Where progress goes: stderr in the real CLI, a string buffer in tests. */
export interface ProgressSink {
  write(text: string): void;
  /** A terminal: draw a live bar; otherwise print plain lines. */
  readonly isTTY: boolean;
  /** Terminal width (default 80). */
  readonly columns?: number;
}

/** Options of {@link SeedProgress}. */
export interface SeedProgressOptions {
  /** Minimum wall time between two plain lines (default 2000 ms; 0: one line per seed). */
  readonly intervalMs?: number;
  /** Wall clock in ms (injectable for tests). */
  readonly now?: () => number;
}

/** Counts of a run in progress, as shown to the user. */
export interface ProgressSnapshot {
  readonly done: number;
  /** Seeds planned, or null while unknown (a coverage-driven run). */
  readonly total: number | null;
  readonly failed: number;
  readonly seedsPerSecond: number;
  /** Seconds left at the current rate, or null when unknown. */
  readonly etaSeconds: number | null;
  /** The seed most recently started, if any. */
  readonly current: number | undefined;
}

/**
 * Tracks seeds as they finish and renders the progress. Call `plan` once the seed count is
 * known, `started`/`finished` per seed, and `stop` at the end (prints the last line).
 */
export class SeedProgress {
  private total: number | null = null;
  private done = 0;
  private failed = 0;
  private current: number | undefined;
  private startedAt: number;
  private lastLine = Number.NEGATIVE_INFINITY;
  private lastLineDone = 0;
  private bar: SingleBar | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private stopped = false;

  private readonly sink: ProgressSink;

  constructor(sink: ProgressSink, options: SeedProgressOptions = {}) {
    this.sink = sink;
    this.intervalMs = options.intervalMs ?? 2_000;
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
  }

  /** The seed list is known (`null`: open-ended). */
  plan(total: number | null): void {
    this.total = total;
    this.startedAt = this.now(); // the rate counts seeds, not the worker's start-up
    if (this.sink.isTTY && this.bar === undefined) {
      this.bar = new SingleBar({
        stream: {
          write: (t: string) => this.sink.write(t),
          isTTY: true,
          columns: this.sink.columns ?? 80,
        } as unknown as NodeJS.WriteStream,
        format:
          "{bar} {value}/{total} seeds | {failed} failed | {rate} seeds/s | ETA {etaText} | seed {seed}",
        hideCursor: false,
        clearOnComplete: false,
        barsize: 24,
        fps: 10,
      });
      this.bar.start(this.total ?? 0, 0, this.payload());
    }
  }

  /** A seed started running. */
  started(seed: number): void {
    this.current = seed;
    this.bar?.update(this.done, this.payload());
  }

  /** A seed finished. */
  finished(ok: boolean): void {
    this.done += 1;
    if (!ok) this.failed += 1;
    if (this.bar) {
      if (this.total === null || this.done > this.total) this.bar.setTotal(this.done);
      this.bar.update(this.done, this.payload());
      return;
    }
    const t = this.now();
    if (t - this.lastLine >= this.intervalMs) {
      this.lastLine = t;
      this.lastLineDone = this.done;
      this.sink.write(`${this.line()}\n`);
    }
  }

  /** Ends the display: the final bar state, or a last plain line if the previous one is stale. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bar) {
      this.bar.update(this.done, this.payload());
      this.bar.stop();
      return;
    }
    if (this.done > this.lastLineDone) this.sink.write(`${this.line()}\n`);
  }

  /** Current counts. */
  snapshot(): ProgressSnapshot {
    const seconds = Math.max(1e-3, (this.now() - this.startedAt) / 1_000);
    const rate = this.done / seconds;
    const left = this.total === null ? null : Math.max(0, this.total - this.done);
    return {
      done: this.done,
      total: this.total,
      failed: this.failed,
      seedsPerSecond: rate,
      etaSeconds: left === null || rate === 0 ? null : left / rate,
      current: this.current,
    };
  }

  /** The plain-text progress line. */
  line(): string {
    const s = this.snapshot();
    const of = s.total === null ? "" : `/${s.total}`;
    const eta = s.etaSeconds === null ? "" : `, ETA ${formatEta(s.etaSeconds)}`;
    const seed = s.current === undefined ? "" : `, seed ${s.current}`;
    return `[moonpool] progress: ${s.done}${of} seeds, ${s.failed} failed, ${s.seedsPerSecond.toFixed(1)} seeds/s${eta}${seed}`;
  }

  private payload(): Record<string, string | number> {
    const s = this.snapshot();
    return {
      failed: s.failed,
      rate: s.seedsPerSecond.toFixed(1),
      etaText: s.etaSeconds === null ? "?" : formatEta(s.etaSeconds),
      seed: s.current ?? "-",
    };
  }
}

/** Seconds as "12s", "3m05s" or "2h07m". */
export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3_600)}h${String(Math.floor((s % 3_600) / 60)).padStart(2, "0")}m`;
}

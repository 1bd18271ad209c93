/**
 * The result of `SimulationBuilder.run()`: one row per seed, the assertion table, and a human
 * rendering (`format()`) with the exact command that replays each failing seed.
 */
import { ENGINE_DETECTED_KINDS, type SimulationErrorKind } from "../engine/errors.ts";
import type { SeedRecord } from "./internal/seed.ts";
import type { OmittedSeeds } from "./internal/seed-rows.ts";
import { jsonReplacer } from "./trace.ts";

/** One row of the assertion table (from `@moonpool/assertions`). */
export interface AssertionRow {
  readonly message: string;
  readonly kind: string;
  readonly pass: number;
  readonly fail: number;
  readonly status: "pass" | "fail" | "miss";
}

/** How `untilCoverageStable` ended. */
export interface CoverageSummary {
  readonly plateauSeeds: number;
  readonly maxIterations: number;
  /** True when the plateau was reached with every sometimes/reachable hit. */
  readonly stable: boolean;
  readonly discoveries: number;
  readonly coverageAssertions: number;
  readonly unhit: number;
  /** A sentence explaining why the loop stopped. */
  readonly note: string;
}

/** The first difference between two runs of the same seed. */
export interface Divergence {
  readonly seed: number;
  /** Index of the first differing trace event (or the length of the shorter trace). */
  readonly index: number;
  readonly first: unknown;
  readonly second: unknown;
  /** Labels of the last random draws before the divergence, per run. */
  readonly firstDraws: readonly string[];
  readonly secondDraws: readonly string[];
  /** Where the second run happened: "worker" or "in-process". */
  readonly where: string;
}

/** A row of `SimulationReport.seeds`. */
export type SeedRow = SeedRecord;

export type { OmittedSeeds };

export interface SimulationReportData {
  readonly seeds: readonly SeedRow[];
  /** Passing rows the run counted but did not keep (`keepSeedRows`); absent: every row is kept. */
  readonly omittedSeeds?: OmittedSeeds | undefined;
  readonly assertions: readonly AssertionRow[];
  readonly baseSeed: number;
  readonly wallMs: number;
  readonly file?: string | undefined;
  readonly coverage?: CoverageSummary | undefined;
  readonly divergences?: readonly Divergence[] | undefined;
  readonly exploration?: unknown;
  readonly traces?: Record<string, object[]> | undefined;
  /** Why the run stopped before its planned seeds (e.g. the wall-clock budget). */
  readonly stoppedEarly?: string | undefined;
  /** Which part of the seed list ran (`--shard i/n`). */
  readonly shard?: { readonly index: number; readonly count: number; readonly of: number } | undefined;
  /** The exploration recipe every seed ran with (`builder.withRecipe`), in its text form. */
  readonly recipe?: string | undefined;
}

/** What a simulation run produced. `toJSON()` for machines, `format()` for humans. */
export class SimulationReport {
  readonly iterations: number;
  readonly passed: number;
  readonly failed: number;
  readonly failingSeeds: number[];
  /** Every failing row and the first rows of the run (all of them unless `omittedSeeds` says). */
  readonly seeds: SeedRow[];
  /** The passing rows past `keepSeedRows`: counted here, not kept (undefined: none dropped). */
  readonly omittedSeeds: OmittedSeeds | undefined;
  readonly assertions: AssertionRow[];
  readonly exploration?: unknown;
  /** The base seed the iteration seeds were derived from. */
  readonly baseSeed: number;
  /** Wall time of the whole run in ms. */
  readonly wallMs: number;
  /** The simulation file, when known (used in replay commands). */
  readonly file: string | undefined;
  readonly coverage: CoverageSummary | undefined;
  readonly divergences: Divergence[];
  /** Trace events per seed, when asked for (`recordTraces()` / `--trace`). */
  readonly traces: Record<string, object[]> | undefined;
  readonly stoppedEarly: string | undefined;
  readonly shard: { readonly index: number; readonly count: number; readonly of: number } | undefined;
  /** The exploration recipe the seeds ran with, or undefined for plain seeds. */
  readonly recipe: string | undefined;

  constructor(data: SimulationReportData) {
    this.seeds = [...data.seeds];
    this.omittedSeeds =
      data.omittedSeeds !== undefined && data.omittedSeeds.passing > 0 ? data.omittedSeeds : undefined;
    this.iterations = this.seeds.length + (this.omittedSeeds?.passing ?? 0);
    this.failingSeeds = this.seeds.filter((s) => !s.ok).map((s) => s.seed);
    this.divergences = [...(data.divergences ?? [])];
    for (const d of this.divergences) if (!this.failingSeeds.includes(d.seed)) this.failingSeeds.push(d.seed);
    this.failed = this.failingSeeds.length;
    this.passed = this.iterations - this.failed;
    this.assertions = [...data.assertions];
    if (data.exploration !== undefined) this.exploration = data.exploration;
    this.baseSeed = data.baseSeed;
    this.wallMs = data.wallMs;
    this.file = data.file;
    this.coverage = data.coverage;
    this.traces = data.traces;
    this.stoppedEarly = data.stoppedEarly;
    this.shard = data.shard;
    this.recipe = data.recipe === "" ? undefined : data.recipe;
  }

  /** Rebuilds a report from `toJSON()` output (e.g. sent back by a worker thread). */
  static fromJSON(
    json: unknown,
    extra: { traces?: Record<string, object[]> | undefined } = {},
  ): SimulationReport {
    const data = json as Record<string, unknown>;
    if (data === null || typeof data !== "object" || !Array.isArray(data.seeds)) {
      throw new TypeError("SimulationReport.fromJSON: expected the output of report.toJSON()");
    }
    return new SimulationReport({
      seeds: data.seeds as SeedRow[],
      omittedSeeds: data.omittedSeeds as OmittedSeeds | undefined,
      assertions: (data.assertions as AssertionRow[] | undefined) ?? [],
      baseSeed: Number(data.baseSeed ?? 0),
      wallMs: Number(data.wallMs ?? 0),
      file: data.file as string | undefined,
      coverage: data.coverage as CoverageSummary | undefined,
      divergences: data.divergences as Divergence[] | undefined,
      exploration: data.exploration,
      traces: extra.traces,
      stoppedEarly: data.stoppedEarly as string | undefined,
      shard: data.shard as SimulationReportData["shard"],
      recipe: data.recipe as string | undefined,
    });
  }

  /** True when every seed passed and no always-type assertion failed. */
  get ok(): boolean {
    return this.failed === 0 && !this.assertions.some((a) => a.status === "fail");
  }

  /** The command that replays `seed` (with the simulation file when known). */
  replayCommand(seed: number): string {
    const recipe = this.recipe !== undefined ? ` --recipe ${quoteArg(this.recipe)}` : "";
    return `moonpool replay ${this.file !== undefined ? quoteArg(this.file) : "<file>"} --seed ${seed}${recipe}`;
  }

  /** Plain data (bigints written as decimal strings). */
  toJSON(): object {
    const data = {
      ok: this.ok,
      iterations: this.iterations,
      passed: this.passed,
      failed: this.failed,
      failingSeeds: this.failingSeeds,
      baseSeed: this.baseSeed,
      wallMs: this.wallMs,
      ...(this.file !== undefined ? { file: this.file } : {}),
      seeds: this.seeds,
      ...(this.omittedSeeds !== undefined ? { omittedSeeds: this.omittedSeeds } : {}),
      assertions: this.assertions,
      ...(this.coverage ? { coverage: this.coverage } : {}),
      ...(this.divergences.length > 0 ? { divergences: this.divergences } : {}),
      ...(this.exploration !== undefined ? { exploration: this.exploration } : {}),
      ...(this.stoppedEarly !== undefined ? { stoppedEarly: this.stoppedEarly } : {}),
      ...(this.shard !== undefined ? { shard: this.shard } : {}),
      ...(this.recipe !== undefined ? { recipe: this.recipe } : {}),
      replay: Object.fromEntries(this.failingSeeds.map((s) => [String(s), this.replayCommand(s)])),
    };
    return JSON.parse(JSON.stringify(data, jsonReplacer)) as object;
  }

  /**
   * The human report: summary line, timing, failing seeds with their replay command, assertion
   * table and seed table. Colored when `color` is true (default: stdout is a TTY and NO_COLOR is
   * unset).
   */
  format(options: { color?: boolean; maxSeedRows?: number; groupFailures?: boolean } = {}): string {
    return formatReport(
      this,
      options.color ?? defaultColor(),
      options.maxSeedRows ?? 20,
      options.groupFailures ?? false,
    );
  }
}

function defaultColor(): boolean {
  const env = typeof process === "object" ? process.env : {};
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return typeof process === "object" && process.stdout?.isTTY === true;
}

function quoteArg(arg: string): string {
  return /^[\w./@:+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Groups digits: 1234567 -> "1,234,567". */
function grouped(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** A duration in ms as "12 ms", "3.45 s" or "2 m 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1_000);
  return `${minutes} m ${String(seconds).padStart(2, "0")} s`;
}

function formatReport(
  report: SimulationReport,
  color: boolean,
  maxSeedRows: number,
  groupFailures: boolean,
): string {
  const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const red = paint("31");
  const green = paint("32");
  const yellow = paint("33");
  const bold = paint("1");
  const dim = paint("2");
  const lines: string[] = [];
  lines.push(bold("=== Simulation Report ==="));
  const rate = report.iterations === 0 ? 0 : (report.passed / report.iterations) * 100;
  const verdict = report.ok ? green("PASSED") : red("FAILED");
  lines.push(
    `${verdict}  ${report.iterations} seed${report.iterations === 1 ? "" : "s"} | ${report.passed} passed | ${report.failed} failed | ${rate.toFixed(1)}%  (base seed ${report.baseSeed})`,
  );
  if (report.stoppedEarly) lines.push(yellow(`stopped early: ${report.stoppedEarly}`));
  if (report.shard)
    lines.push(`shard ${report.shard.index}/${report.shard.count} of ${report.shard.of} seeds`);
  // Averages over every seed: the kept rows plus the sums of the dropped ones.
  const omitted = report.omittedSeeds;
  const n = Math.max(1, report.seeds.length + (omitted?.passing ?? 0));
  const sum = (f: (s: SeedRow) => number, dropped: number) =>
    report.seeds.reduce((a, s) => a + f(s), 0) + dropped;
  lines.push(
    `Timing: total wall ${formatDuration(report.wallMs)} | avg wall ${formatDuration(sum((s) => s.wallMs, omitted?.wallMs ?? 0) / n)} | avg simulated ${formatDuration(sum((s) => s.simulatedMs, omitted?.simulatedMs ?? 0) / n)} | avg events ${grouped(sum((s) => s.events, omitted?.events ?? 0) / n)}`,
  );
  if (report.failingSeeds.length > 0) {
    lines.push("", bold(red(`--- Failing seeds (${report.failingSeeds.length}) ---`)));
    // Grouped: one entry (stack, replay) per distinct error, the other seeds listed after it.
    const groups = new Map<string, number[]>();
    for (const seed of report.failingSeeds) {
      const row = report.seeds.find((s) => s.seed === seed);
      const key = groupFailures
        ? errorShape(firstLine(withoutSeedPrefix(row?.error ?? "", seed)))
        : String(seed);
      const group = groups.get(key);
      if (group) group.push(seed);
      else groups.set(key, [seed]);
    }
    for (const [, [seed, ...others]] of groups) {
      if (seed === undefined) continue;
      const row = report.seeds.find((s) => s.seed === seed);
      const divergence = report.divergences.find((d) => d.seed === seed);
      const message = row?.error ?? (divergence ? "nondeterministic: two runs diverged" : "failed");
      lines.push(`${red("✗")} seed ${seed}: ${firstLine(withoutSeedPrefix(message, seed))}`);
      // What the seed was doing (a hang's live-task dump): the lines after the first.
      for (const line of message.split("\n").slice(1)) if (line.trim() !== "") lines.push(`    ${line}`);
      // A hang's stack is the engine's own, not the user's: the dump above says what hung.
      const hang = row?.kind !== undefined && ENGINE_DETECTED_KINDS.has(row.kind as SimulationErrorKind);
      if (row?.stack !== undefined && !hang)
        for (const line of stackFrames(row.stack)) lines.push(dim(`    ${line}`));
      if (divergence) {
        lines.push(`    diverged at event #${divergence.index} (${divergence.where} re-run):`);
        lines.push(`      first : ${JSON.stringify(divergence.first)}`);
        lines.push(`      second: ${JSON.stringify(divergence.second)}`);
        if (divergence.firstDraws.length > 0)
          lines.push(`      draws before (first): ${divergence.firstDraws.join("; ")}`);
        if (divergence.secondDraws.length > 0)
          lines.push(`      draws before (second): ${divergence.secondDraws.join("; ")}`);
      }
      lines.push(`    replay: ${bold(report.replayCommand(seed))}`);
      if (others.length > 0) {
        const listed = others.slice(0, 12).join(", ");
        lines.push(
          `    same error in ${others.length} more seed(s): ${listed}${others.length > 12 ? ", ..." : ""}`,
        );
      }
    }
  }
  if (report.assertions.length > 0) {
    lines.push("", bold(`--- Assertions (${report.assertions.length}) ---`));
    const order = { fail: 0, miss: 1, pass: 2 } as const;
    const rows = [...report.assertions].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        order[a.status] - order[b.status] ||
        a.message.localeCompare(b.message),
    );
    const width = Math.max(...rows.map((r) => r.kind.length));
    for (const row of rows) {
      const status =
        row.status === "pass" ? green("PASS") : row.status === "fail" ? red("FAIL") : yellow("MISS");
      lines.push(
        `${status} [${row.kind.padEnd(width)}] ${JSON.stringify(row.message)}  pass ${grouped(row.pass)} fail ${grouped(row.fail)}`,
      );
    }
  }
  if (report.coverage) {
    const c = report.coverage;
    lines.push("", c.stable ? green(`Coverage stable: ${c.note}`) : yellow(`Coverage not stable: ${c.note}`));
  }
  if (report.seeds.length > 1) {
    lines.push("", bold(`--- Seeds (${report.seeds.length}) ---`));
    const shown = report.seeds.slice(0, maxSeedRows);
    report.seeds.forEach((s, i) => {
      if (i >= maxSeedRows && s.ok) return;
      if (!shown.includes(s)) shown.push(s);
    });
    for (const s of shown) {
      const i = report.seeds.indexOf(s);
      lines.push(
        `${s.ok ? green("ok  ") : red("FAIL")} #${i + 1} seed=${s.seed} wall=${formatDuration(s.wallMs)} sim=${formatDuration(s.simulatedMs)} events=${grouped(s.events)} ${dim(`hash=${s.traceHash}`)}`,
      );
    }
    if (shown.length < report.seeds.length)
      lines.push(dim(`... ${report.seeds.length - shown.length} more passing seeds`));
  }
  if (omitted !== undefined)
    lines.push(dim(`... and ${grouped(omitted.passing)} passing seeds counted but not kept (keepSeedRows)`));
  return lines.join("\n");
}

/** "seed 12: boom" -> "boom" (the line already names the seed). */
export function withoutSeedPrefix(message: string, seed: number): string {
  const prefix = `seed ${seed}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** At most this many stack lines per failing seed in `format()` (the JSON keeps them all). */
const MAX_STACK_LINES = 16;

/**
 * The readable part of a failure's stack: its `at` frames and `caused by:` lines, without the
 * header (format() already printed the message) and without frames from node_modules or Node's
 * own internals.
 */
function stackFrames(stack: string): string[] {
  const lines = stack.split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith("at ") || l.startsWith("caused by:"));
  if (start < 0) return [];
  const kept = lines
    .slice(start)
    .filter((l) => l !== "" && !/node_modules|node:internal|\(internal\/|^at internal\//.test(l))
    .map((l) => (l.startsWith("at ") ? `  ${l}` : l));
  if (kept.length <= MAX_STACK_LINES) return kept;
  return [...kept.slice(0, MAX_STACK_LINES), `  ... ${kept.length - MAX_STACK_LINES} more frames`];
}

/** An error's shape: its numbers blanked, so "counter is 3" and "counter is 4" group together. */
function errorShape(message: string): string {
  return message.replace(/\d+(\.\d+)?/g, "#");
}

function firstLine(text: string): string {
  const i = text.indexOf("\n");
  return i < 0 ? text : text.slice(0, i);
}

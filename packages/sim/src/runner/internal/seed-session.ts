// One run's seeds, one at a time: what `SimulationBuilder.run()` loops over, and what a worker
// of runFile's pool drives seed by seed as the coordinator hands seeds out. It owns the
// per-run state that is not the assertion table: the per-seed log line, kept traces, and the
// determinism captures compared at the end.
import type { RunSeed } from "../../engine/kernel.ts";
import { type Divergence, formatDuration, withoutSeedPrefix } from "../report.ts";
import { eventText, traceToJSON } from "../trace.ts";
import { installSeedAssertionHooks } from "./assertions-glue.ts";
import { findDivergence, type SeedTraceCapture } from "./determinism.ts";
import type { SeedKnobs, SimulationPlan } from "./plan.ts";
import { runPlanSeed, type SeedHook, type SeedRecord, type SeedRun } from "./seed.ts";

/** Re-runs one seed alone in a fresh worker; provided by runFile's module (see run-file.ts). */
export type IsolatedSeedRunner = (moduleUrl: string, seed: number) => Promise<SeedTraceCapture>;

/** Extension points wired by other runner modules (worker support). */
export const builderExtensions: { isolatedSeedRunner: IsolatedSeedRunner | null } = {
  isolatedSeedRunner: null,
};

const seedHooks: SeedHook[] = [installSeedAssertionHooks];

/** What a session needs from its builder. */
export interface SessionSettings {
  readonly plan: SimulationPlan;
  /** Knobs of a first run (`diagnose` set when determinism is checked). */
  readonly knobs: SeedKnobs;
  readonly checkDeterminism: boolean;
  /** The module the builder came from: the determinism re-run happens in a fresh worker. */
  readonly moduleUrl: string | undefined;
  readonly keepTraces: boolean;
  readonly printSeeds: boolean;
}

/** One seed's result: its row and, when traces are kept, its events as JSON. */
export interface SessionSeed {
  readonly record: SeedRecord;
  readonly trace: object[] | undefined;
}

export class SeedSession {
  private readonly captures = new Map<number, SeedTraceCapture>();
  private readonly runSeedOn: RunSeed;
  private readonly settings: SessionSettings;

  constructor(runSeedOn: RunSeed, settings: SessionSettings) {
    this.runSeedOn = runSeedOn;
    this.settings = settings;
  }

  /** Writes `[moonpool] line` on stderr when the builder prints seeds. */
  log(line: string): void {
    if (this.settings.printSeeds) process.stderr.write(`[moonpool] ${line}\n`);
  }

  /** Runs `seed` (never throws for a failing seed: the row says it). */
  async runSeed(seed: number): Promise<SessionSeed> {
    const s = this.settings;
    const run = await runPlanSeed(this.runSeedOn, s.plan, seed, s.knobs, seedHooks);
    this.log(describeSeed(run.record));
    if (s.checkDeterminism) this.captures.set(seed, capture(run));
    return { record: run.record, trace: s.keepTraces ? traceToJSON(run.trace.all()) : undefined };
  }

  /**
   * Re-runs every seed run so far (in a fresh worker when the module is known, in-process
   * otherwise) and returns where the traces differ. Call it after reading the assertion table:
   * the re-runs count every seed twice.
   */
  async divergences(): Promise<Divergence[]> {
    const s = this.settings;
    if (!s.checkDeterminism) return [];
    const isolated = builderExtensions.isolatedSeedRunner;
    const divergences: Divergence[] = [];
    for (const [seed, first] of this.captures) {
      let second: SeedTraceCapture;
      let where: string;
      if (s.moduleUrl !== undefined && isolated !== null) {
        second = await isolated(s.moduleUrl, seed);
        where = "fresh worker";
      } else {
        second = capture(
          await runPlanSeed(this.runSeedOn, s.plan, seed, { ...s.knobs, diagnose: true }, seedHooks),
        );
        where = "in-process";
      }
      const divergence = findDivergence(seed, first, second, where);
      if (divergence) divergences.push(divergence);
    }
    return divergences;
  }
}

/** Runs one seed alone with draw labelling: what a determinism check compares. */
export async function captureOneSeed(
  runSeedOn: RunSeed,
  plan: SimulationPlan,
  seed: number,
  knobs: SeedKnobs,
): Promise<SeedTraceCapture> {
  return capture(await runPlanSeed(runSeedOn, plan, seed, { ...knobs, diagnose: true }, seedHooks));
}

function capture(run: SeedRun): SeedTraceCapture {
  return {
    events: run.trace.all().map(eventText),
    drawsAt: run.trace.drawsAt ?? [],
    drawLog: run.drawLog ?? [],
    traceHash: run.record.traceHash,
  };
}

function describeSeed(row: SeedRecord): string {
  const head = `seed ${row.seed} ${row.ok ? "ok" : "FAILED"} (${row.events} events, ${formatDuration(row.simulatedMs)} simulated, hash ${row.traceHash})`;
  return row.ok ? head : `${head}: ${withoutSeedPrefix(row.error ?? "", row.seed).split("\n")[0]}`;
}

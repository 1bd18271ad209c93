/**
 * `@moonpool/cli/vitest`: a simulation as an ordinary vitest test.
 *
 * It lives in the CLI package rather than in `@moonpool/sim` because its `explore` option
 * needs `@moonpool/explorer`, a layer above sim.
 *
 * @example
 * ```ts
 * import { simTest } from "@moonpool/cli/vitest";
 * simTest("the counter never loses an increment", () => counterSimulation(), { seeds: 50 });
 * ```
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InvalidArgumentError } from "@moonpool/core";
import { type ExploreOptions, explore } from "@moonpool/explorer";
import { SimulationBuilder, type SimulationReport } from "@moonpool/sim";
import { type TestContext, test } from "vitest";
import { traceFileOf } from "./trace-file.ts";

/** Options of {@link simTest}. */
export interface SimTestOptions {
  /** How many seeds (derived from `seed` as `moonpool run` derives them), or exactly these seeds. Default 10; `MOONPOOL_NUM_SEEDS` overrides a count. */
  readonly seeds?: number | readonly number[];
  /** The base seed the seeds derive from (default 1). */
  readonly seed?: number;
  /** Explore each seed's multiverse instead of running it once (`true`: the explorer's defaults). */
  readonly explore?: true | Omit<ExploreOptions, "seed" | "seeds" | "rootSeeds">;
  /** vitest's timeout for the test, in ms (default 60 s). */
  readonly timeout?: number;
  /** Write each failing seed's trace file here (also `MOONPOOL_TRACE_DIR`). */
  readonly traceDir?: string;
}

type Simulation = SimulationBuilder | (() => SimulationBuilder | Promise<SimulationBuilder>);

/**
 * Registers a vitest test that runs `simulation`'s seeds and fails, with the exact line that
 * replays each failing seed, when one fails. `MOONPOOL_SEED=N` (and `MOONPOOL_RECIPE` for an
 * explored timeline) runs exactly that one seed; `MOONPOOL_NUM_SEEDS=K` scales a run. The seeds
 * are in the test's name; failing seeds, replay lines and trace paths are annotated, so they
 * land in vitest's reporters (JUnit included).
 */
export function simTest(name: string, simulation: Simulation, options: SimTestOptions = {}): void {
  const env = process.env;
  const plan = seedPlan(options, env);
  const label =
    plan.kind === "one"
      ? `${name} (seed=${plan.seed}${plan.recipe !== undefined ? `, recipe=${plan.recipe}` : ""})`
      : plan.kind === "list"
        ? `${name} (seeds=${plan.seeds.join(",")})`
        : `${name} (${plan.count} seeds from seed=${plan.base}${options.explore ? ", explored" : ""})`;
  test(
    label,
    async (context) => {
      const builder = await builderOf(simulation);
      builder.logSeeds(false);
      const traceDir = options.traceDir ?? env.MOONPOOL_TRACE_DIR;
      if (traceDir !== undefined && traceDir !== "") builder.recordTraces(true);
      const report = await runPlan(builder, plan, options);
      if (report.ok) return;
      const file = relative(process.cwd(), context.task.file?.filepath ?? "") || "<test file>";
      await fail(context, name, file, report, traceDir);
    },
    options.timeout ?? 60_000,
  );
}

type Plan =
  | { kind: "one"; seed: number; recipe: string | undefined }
  | { kind: "list"; seeds: readonly number[] }
  | { kind: "count"; base: number; count: number };

function seedPlan(options: SimTestOptions, env: NodeJS.ProcessEnv): Plan {
  const one = env.MOONPOOL_SEED;
  if (one !== undefined && one !== "") {
    return {
      kind: "one",
      seed: integer("MOONPOOL_SEED", one, 0),
      recipe: env.MOONPOOL_RECIPE === "" ? undefined : env.MOONPOOL_RECIPE,
    };
  }
  if (Array.isArray(options.seeds)) return { kind: "list", seeds: options.seeds as readonly number[] };
  const fromEnv = env.MOONPOOL_NUM_SEEDS;
  const count =
    fromEnv !== undefined && fromEnv !== ""
      ? integer("MOONPOOL_NUM_SEEDS", fromEnv, 1)
      : ((options.seeds as number | undefined) ?? 10);
  if (!Number.isSafeInteger(count) || count < 1)
    throw new InvalidArgumentError(
      "simTest(options.seeds)",
      `expected an integer >= 1, got ${String(count)}`,
    );
  return { kind: "count", base: options.seed ?? 1, count };
}

async function runPlan(
  builder: SimulationBuilder,
  plan: Plan,
  options: SimTestOptions,
): Promise<SimulationReport> {
  if (plan.kind === "one") {
    if (plan.recipe !== undefined) return builder.replay(plan.seed, plan.recipe);
    return builder.seeds([plan.seed]).run();
  }
  if (options.explore) {
    const extra = options.explore === true ? {} : options.explore;
    return plan.kind === "list"
      ? explore(builder, { ...extra, rootSeeds: plan.seeds })
      : explore(builder, { ...extra, seed: plan.base, seeds: plan.count });
  }
  if (plan.kind === "list") return builder.seeds(plan.seeds).run();
  return builder.seed(plan.base).iterations(plan.count).run();
}

interface Failure {
  seed: number;
  recipe: string | undefined;
  message: string;
}

async function fail(
  context: TestContext,
  name: string,
  file: string,
  report: SimulationReport,
  traceDir: string | undefined,
): Promise<never> {
  const failures = failuresOf(report);
  const lines = [`${failures.length} of ${report.iterations} seed(s) failed`];
  const tracePath =
    traceDir !== undefined && traceDir !== "" && report.traces !== undefined
      ? writeTrace(traceDir, name, report)
      : undefined;
  for (const f of failures.slice(0, 10)) {
    const replay = replayLine(file, name, f.seed, f.recipe);
    const message = firstLine(f.message).replace(`seed ${f.seed}: `, "");
    lines.push(`  seed ${f.seed}${f.recipe !== undefined ? ` recipe "${f.recipe}"` : ""}: ${message}`);
    lines.push(`    replay: ${replay}`);
    await context.annotate(`seed ${f.seed} failed; replay: ${replay}`, "moonpool-seed");
  }
  if (failures.length > 10) lines.push(`  ... ${failures.length - 10} more`);
  // Seeds that passed but an always-type assertion failed overall.
  const violated = report.assertions.filter((a) => a.status === "fail");
  for (const a of violated) lines.push(`  assertion violated: ${a.kind} "${a.message}" (fail ${a.fail})`);
  if (tracePath !== undefined) {
    lines.push(`  trace: ${tracePath} (moonpool report ${tracePath} --out seed.html)`);
    await context.annotate(`trace: ${tracePath}`, "moonpool-trace");
  }
  throw new Error(lines.join("\n"));
}

function failuresOf(report: SimulationReport): Failure[] {
  const exploration = report.exploration as
    | { bugs?: { seed: number; recipe: string; message: string }[] }
    | undefined;
  if (exploration?.bugs !== undefined && exploration.bugs.length > 0)
    return exploration.bugs.map((b) => ({
      seed: b.seed,
      recipe: b.recipe === "" ? undefined : b.recipe,
      message: b.message,
    }));
  return report.failingSeeds.map((seed) => ({
    seed,
    recipe: report.recipe,
    message: report.seeds.find((s) => s.seed === seed)?.error ?? "nondeterministic: two runs diverged",
  }));
}

/** The shell line that re-runs exactly one seed of this test. */
export function replayLine(file: string, name: string, seed: number, recipe?: string): string {
  const recipeVar = recipe !== undefined ? ` MOONPOOL_RECIPE=${shellQuote(recipe)}` : "";
  return `MOONPOOL_SEED=${seed}${recipeVar} npx vitest run ${shellQuote(file)} -t ${shellQuote(escapeRegExp(name))}`;
}

function writeTrace(dir: string, name: string, report: SimulationReport): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const slug = name.replace(/[^\w.-]+/g, "-").slice(0, 60);
  const path = join(abs, `${slug}.trace.json`);
  writeFileSync(path, `${JSON.stringify(traceFileOf(report.file ?? "", report), null, 1)}\n`);
  return relative(process.cwd(), path) || path;
}

async function builderOf(simulation: Simulation): Promise<SimulationBuilder> {
  const value = typeof simulation === "function" ? await simulation() : simulation;
  if (!(value instanceof SimulationBuilder))
    throw new InvalidArgumentError(
      "simTest(simulation)",
      "expected a SimulationBuilder or a function returning one",
    );
  return value;
}

function integer(name: string, text: string, min: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(name, `expected an integer >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function shellQuote(s: string): string {
  return /^[\w./@:+=-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

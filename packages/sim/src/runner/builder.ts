/**
 * `SimulationBuilder`: describe a simulation (processes, workloads, faults, invariants, chaos,
 * iteration control) and run it seed after seed.
 *
 * @example
 * ```ts
 * const report = await new SimulationBuilder()
 *   .processes(3, () => new RaftNode())
 *   .workload(() => new ClientWorkload())
 *   .invariant("one leader per term", (trace) => { ... })
 *   .iterations(100)
 *   .run();
 * if (!report.ok) console.error(report.format());
 * ```
 */

import { resolveChaosConfig } from "@moonpool/chaos";
import { checkDuration, checkProbability, InvalidArgumentError } from "@moonpool/core";
import { discoverLibraryState } from "#host";
import type { ReseedPoint, SchedulingOptions } from "../engine/kernel.ts";
import { expectedLocale, expectedTimeZone, knownLocale, knownTimeZone } from "../host/intl.ts";
import { claimActiveSimulation } from "./internal/active.ts";
import { assertionRows, coverageProgress, resetRunAssertions } from "./internal/assertions-glue.ts";
import type { SeedTraceCapture } from "./internal/determinism.ts";
import { loadRunSeed } from "./internal/executor.ts";
import { processPlacement } from "./internal/placement.ts";
import type { ProcessGroup, SeedKnobs, SimulationPlan, WorkloadSource } from "./internal/plan.ts";
import type { SeedRecord } from "./internal/seed.ts";
import { toChaosInput } from "./internal/seed-chaos.ts";
import { checkSeedRowLimit, DEFAULT_KEPT_SEED_ROWS, SeedRows } from "./internal/seed-rows.ts";
import { captureOneSeed, SeedSession } from "./internal/seed-session.ts";
import { checkSeed, DEFAULT_BASE_SEED, randomBaseSeed, SeedSequence } from "./internal/seeds.ts";
import { workloadRestorer } from "./internal/workload-instance.ts";
import { checkRecipe, formatRecipe, parseRecipe } from "./recipe.ts";
import { type CoverageSummary, formatDuration, SimulationReport } from "./report.ts";
import type {
  ChaosOptions,
  FaultInjector,
  InvariantCheck,
  Process,
  ProcessOptions,
  Workload,
} from "./types.ts";

type IterationMode =
  | { readonly kind: "iterations"; readonly count: number }
  | { readonly kind: "seeds"; readonly seeds: readonly number[] }
  | { readonly kind: "coverage"; readonly plateau: number; readonly max: number };

/** Options of `run()` used by the CLI and `runFile` (all optional). */
export interface RunOptions {
  /** The simulation file, shown in replay commands. */
  readonly file?: string;
  /** Called before each seed starts (watchdogs). */
  readonly onSeedStart?: (seed: number) => void;
  /** Called after each seed with its report row. */
  readonly onSeedDone?: (row: SeedRecord) => void;
}

export { builderExtensions, type IsolatedSeedRunner } from "./internal/seed-session.ts";

/** How a run goes beyond its seed list (read by runFile's worker pool, which drives the seeds). */
export interface RunSettings {
  /** The builder prints a line per seed (and the replay lines) on stderr. */
  readonly logSeeds: boolean;
  /** The wall-clock budget of the whole run, when set. */
  readonly wallBudgetMs: number | undefined;
  /** The exploration recipe every seed follows, in its text form ("" for none). */
  readonly recipe: string;
  /** Every seed's trace is kept (`recordTraces()`). */
  readonly keepTraces: boolean;
}

const DEFAULT_RUN_TIME_BUDGET_MS = 3_600_000;
const DEFAULT_SEED_WALL_MS = 60_000;

/** Describes a simulation and runs it. Every method returns the builder. */
export class SimulationBuilder {
  private readonly processGroups: ProcessGroup[] = [];
  private readonly workloadSources: WorkloadSource[] = [];
  private readonly faultList: { name: string; inject: FaultInjector }[] = [];
  private readonly invariantList: { name: string; check: InvariantCheck }[] = [];
  private chaosOptions: ChaosOptions | undefined;
  private chaosWindowMs: number | undefined;
  private mode: IterationMode = { kind: "iterations", count: 1 };
  private runTimeBudgetMs = DEFAULT_RUN_TIME_BUDGET_MS;
  private wallBudgetMs: number | undefined;
  private seedWallMs = DEFAULT_SEED_WALL_MS;
  private base: number | "random" = DEFAULT_BASE_SEED;
  private randomBase = false;
  private hermeticMode: boolean | "strict" = true;
  private seedTimeZone: string | undefined;
  private seedLocale: string | undefined;
  private schedulingOptions: SchedulingOptions | undefined;
  private determinism: { moduleUrl?: string } | null = null;
  private keepTraces = false;
  private printSeeds = true;
  private consoleInTrace = false;
  private started = false;
  private recipePoints: readonly ReseedPoint[] = [];
  private seedRowLimit: number | "all" = DEFAULT_KEPT_SEED_ROWS;
  /** Set by runFile's worker: the module this builder came from. */
  moduleUrl: string | undefined;

  /**
   * Adds the system under test: `count` processes (or a per-seed count drawn in [min, max]),
   * each boot calling `factory` for a new instance (only inside a seed: a factory that throws
   * fails the seed, with its replay command). Named after the first instance's `name` when the
   * count is exactly 1, `name-0`, `name-1`, ... otherwise; IPs 10.0.1.1, 10.0.1.2, ...
   *
   * `options.locality` places the group's processes (`"dc/zone/machine"`, per index or for the
   * whole group) and `options.tags` labels them: attrition's "machine"/"zone" scopes reboot whole
   * domains, its `tags` filter candidates, and correlated bursts cluster faults per machine.
   *
   * ```ts
   * builder.processes(6, () => new Node(), { locality: (i) => `dc1/z${i % 3}/m${i % 2}`, tags: { role: "storage" } });
   * ```
   */
  processes(
    count: number | readonly [number, number],
    factory: () => Process,
    options: ProcessOptions = {},
  ): this {
    if (typeof count === "number") {
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new InvalidArgumentError("processes(count)", `expected an integer >= 1, got ${String(count)}`);
      }
    } else if (
      !Array.isArray(count) ||
      count.length !== 2 ||
      !Number.isSafeInteger(count[0]) ||
      !Number.isSafeInteger(count[1]) ||
      count[0] < 0 ||
      count[1] < count[0]
    ) {
      throw new InvalidArgumentError(
        "processes(count)",
        `expected a count or a range [min, max] with 0 <= min <= max, got ${String(count)}`,
      );
    }
    if (typeof factory !== "function") {
      throw new InvalidArgumentError(
        "processes(factory)",
        "expected a function returning a new Process per boot",
      );
    }
    const max = typeof count === "number" ? count : count[1];
    const total = this.processGroups.reduce(
      (n, g) => n + (typeof g.count === "number" ? g.count : g.count[1]),
      0,
    );
    if (total + max > 254)
      throw new InvalidArgumentError("processes(count)", "at most 254 processes per simulation");
    const placement = processPlacement(options);
    this.processGroups.push({
      count: typeof count === "number" ? count : [count[0], count[1]],
      factory,
      ...placement,
    });
    return this;
  }

  /**
   * Adds a workload: a factory (a fresh instance per seed) or an instance, whose own fields are
   * restored before every seed to their values now. An instance with a field that cannot be
   * restored faithfully (a class instance, a nested function, an accessor) is refused: pass a
   * factory. State captured in closures is not seen: keep it in fields or use a factory.
   */
  workload(workload: Workload | (() => Workload)): this {
    if (typeof workload === "function") {
      this.workloadSources.push({ kind: "factory", factory: workload });
    } else {
      if (
        workload === null ||
        typeof workload !== "object" ||
        typeof workload.name !== "string" ||
        workload.name === "" ||
        typeof workload.run !== "function"
      ) {
        throw new InvalidArgumentError(
          "workload(w)",
          "expected a Workload ({ name, run(ctx) }) or a function returning one",
        );
      }
      this.workloadSources.push({ kind: "instance", workload, restore: workloadRestorer(workload) });
    }
    return this;
  }

  /** Adds `count` workloads, fresh every seed: `factory(0)`, `factory(1)`, ... */
  workloads(count: number, factory: (i: number) => Workload): this {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new InvalidArgumentError("workloads(count)", `expected an integer >= 1, got ${String(count)}`);
    }
    if (typeof factory !== "function")
      throw new InvalidArgumentError("workloads(factory)", "expected a function (i) => Workload");
    this.workloadSources.push({ kind: "indexed", count, factory });
    return this;
  }

  /** Adds a fault injector, run during the chaos window (the whole run without chaosDuration). */
  fault(name: string, inject: FaultInjector): this {
    if (typeof name !== "string" || name === "")
      throw new InvalidArgumentError("fault(name)", "expected a non-empty string");
    if (typeof inject !== "function")
      throw new InvalidArgumentError("fault(inject)", "expected an async function (f) => ...");
    if (this.faultList.some((f) => f.name === name))
      throw new InvalidArgumentError("fault(name)", `a fault named "${name}" already exists`);
    this.faultList.push({ name, inject });
    return this;
  }

  /** Adds an invariant, checked after every engine event; a throw fails the seed. */
  invariant(name: string, check: InvariantCheck): this {
    if (typeof name !== "string" || name === "")
      throw new InvalidArgumentError("invariant(name)", "expected a non-empty string");
    if (typeof check !== "function")
      throw new InvalidArgumentError("invariant(check)", "expected a function (trace, nowMs) => void");
    this.invariantList.push({ name, check });
    return this;
  }

  /**
   * Turns chaos on: network and storage faults ("random", "swarm" or a partial config of
   * @moonpool/chaos, applied by the simulated devices), attrition (reboots planned by chaos's
   * `AttritionPlanner`), correlated bursts, buggify (with buggified sleep delays) and operation
   * swarm. Resolved per seed with `resolveChaosConfig`; checked here (an error names the bad
   * field). Network, storage, attrition and bursts need a chaos window (`chaosDuration`). Buggify
   * is on whenever `.chaos()` is called unless `buggify: false`.
   *
   * ```ts
   * builder.chaos({ network: "random", attrition: { maxDead: 1 } }).chaosDuration(30_000);
   * ```
   */
  chaos(options: ChaosOptions): this {
    if (options === null || typeof options !== "object")
      throw new InvalidArgumentError("chaos(options)", "expected an object");
    const known = ["network", "storage", "attrition", "buggify", "bursts", "operations"];
    for (const key of Object.keys(options)) {
      if (!known.includes(key))
        throw new InvalidArgumentError(
          `chaos(options.${key})`,
          `unknown chaos family; known: ${known.join(", ")}`,
        );
    }
    for (const key of ["network", "storage", "attrition", "bursts"] as const) {
      const v = options[key];
      if (
        v !== undefined &&
        v !== false &&
        v !== "random" &&
        v !== "swarm" &&
        (v === null || typeof v !== "object")
      ) {
        throw new InvalidArgumentError(
          `chaos(options.${key})`,
          `expected "random", "swarm", false or a config object, got ${String(v)}`,
        );
      }
    }
    const b = options.buggify;
    if (
      b !== undefined &&
      typeof b !== "boolean" &&
      b !== "random" &&
      b !== "swarm" &&
      (b === null || typeof b !== "object")
    ) {
      throw new InvalidArgumentError(
        "chaos(options.buggify)",
        `expected a boolean, "random", "swarm" or { enabled, probability, activation }, got ${String(b)}`,
      );
    }
    const ops = options.operations;
    if (ops !== undefined && ops !== false && ops !== "swarm") {
      throw new InvalidArgumentError(
        "chaos(options.operations)",
        `expected "swarm" or false, got ${String(ops)}`,
      );
    }
    // Resolving once checks every field now (unknown keys, bad probabilities, inverted ranges),
    // with a clear error naming it, instead of failing in the first seed.
    resolveChaosConfig(toChaosInput(options), { random: () => 0.5 });
    this.chaosOptions = options;
    return this;
  }

  /** Length of the chaos window in virtual ms: faults stop and partitions heal when it ends. */
  chaosDuration(ms: number): this {
    checkDuration("chaosDuration(ms)", ms);
    this.chaosWindowMs = ms;
    return this;
  }

  /** Runs `n` seeds derived from the base seed. */
  iterations(n: number): this {
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError("iterations(n)", `expected an integer >= 1, got ${String(n)}`);
    this.mode = { kind: "iterations", count: n };
    return this;
  }

  /** Runs exactly these seeds, in this order. */
  seeds(seeds: readonly number[]): this {
    if (!Array.isArray(seeds) || seeds.length === 0)
      throw new InvalidArgumentError("seeds(seeds)", "expected a non-empty array of seeds");
    const seen = new Set<number>();
    seeds.forEach((seed, i) => {
      checkSeed(`seeds[${i}]`, seed);
      if (seen.has(seed)) throw new InvalidArgumentError(`seeds[${i}]`, `seed ${seed} is listed twice`);
      seen.add(seed);
    });
    this.mode = { kind: "seeds", seeds: [...seeds] };
    return this;
  }

  /**
   * Runs seeds until no new coverage was discovered for `plateauSeeds` seeds and every known
   * sometimes/reachable assertion was hit, or `maxIterations` seeds ran.
   */
  untilCoverageStable(plateauSeeds: number, maxIterations: number): this {
    if (!Number.isSafeInteger(plateauSeeds) || plateauSeeds < 1) {
      throw new InvalidArgumentError(
        "untilCoverageStable(plateauSeeds)",
        `expected an integer >= 1, got ${String(plateauSeeds)}`,
      );
    }
    if (!Number.isSafeInteger(maxIterations) || maxIterations < plateauSeeds) {
      throw new InvalidArgumentError(
        "untilCoverageStable(maxIterations)",
        `expected an integer >= plateauSeeds (${plateauSeeds}), got ${String(maxIterations)}`,
      );
    }
    this.mode = { kind: "coverage", plateau: plateauSeeds, max: maxIterations };
    return this;
  }

  /**
   * The base seed the iteration seeds derive from (default 1): the first seed is `base` itself,
   * the others are derived from it. To run exactly some seeds, use `seeds([...])`.
   */
  baseSeed(base: number): this {
    checkSeed("baseSeed(base)", base);
    this.base = base;
    return this;
  }

  /** Alias of `baseSeed(base)`: a base seed, not the exact seed (that is `seeds([n])`). */
  seed(base: number): this {
    checkSeed("seed(base)", base);
    return this.baseSeed(base);
  }

  /** Draws a random base seed (printed, so a failure can still be replayed). */
  randomSeed(): this {
    this.base = "random";
    return this;
  }

  /** Virtual-time budget of each seed in ms (default 1 h): past it the seed fails as a hang. */
  runTimeBudget(virtualMs: number): this {
    checkDuration("runTimeBudget(virtualMs)", virtualMs);
    if (virtualMs === 0)
      throw new InvalidArgumentError("runTimeBudget(virtualMs)", "expected more than 0 ms");
    this.runTimeBudgetMs = virtualMs;
    return this;
  }

  /**
   * Wall-clock budget in ms: no new seed starts once it is spent, and one seed alone may not
   * take longer (checked by the executor at every yield).
   */
  wallClockBudget(ms: number): this {
    checkDuration("wallClockBudget(ms)", ms);
    if (ms === 0) throw new InvalidArgumentError("wallClockBudget(ms)", "expected more than 0 ms");
    this.wallBudgetMs = ms;
    // One seed may use the whole budget: the 60 s default cap is not a ceiling on it.
    this.seedWallMs = ms;
    return this;
  }

  /**
   * Wall-clock cap of one seed in ms (default 60 s): a seed still running after it fails as
   * `wall-budget` (a real-time hang). `moonpool run --seed-timeout` sets it in workers too.
   */
  seedTimeout(ms: number): this {
    checkDuration("seedTimeout(ms)", ms);
    if (ms === 0) throw new InvalidArgumentError("seedTimeout(ms)", "expected more than 0 ms");
    this.seedWallMs = ms;
    return this;
  }

  /** Hermetic mode (default true): globals routed to the simulated world; "strict" makes them throw. */
  hermetic(mode: boolean | "strict"): this {
    if (mode !== true && mode !== false && mode !== "strict")
      throw new InvalidArgumentError(
        "hermetic(mode)",
        `expected true, false or "strict", got ${String(mode)}`,
      );
    this.hermeticMode = mode;
    return this;
  }

  /**
   * How the scheduler orders ready tasks. `pct: { depth, steps }` runs PCT (random task
   * priorities with `depth - 1` priority change points among the first `steps` resumptions;
   * a bug needing `depth` ordering constraints among n tasks is found per seed with probability
   * at least 1 / (n * steps^(depth - 1))). `fastPathYield: p` makes each non-blocking completion
   * (buffered read, write with room) an interleaving point with probability p. Default: uniform
   * seeded draws among ready tasks, fast paths never yield.
   */
  scheduling(options: SchedulingOptions): this {
    if (typeof options !== "object" || options === null) {
      throw new InvalidArgumentError("scheduling(options)", "expected { pct?, fastPathYield? }");
    }
    const { pct, fastPathYield } = options;
    if (pct !== undefined) {
      const ok = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 1;
      if (typeof pct !== "object" || pct === null || !ok(pct.depth) || !ok(pct.steps)) {
        throw new InvalidArgumentError(
          "scheduling(options.pct)",
          `expected { depth: integer >= 1, steps: integer >= 1 }, got ${JSON.stringify(pct)}`,
        );
      }
    }
    if (fastPathYield !== undefined) checkProbability("scheduling(options.fastPathYield)", fastPathYield);
    this.schedulingOptions = { ...options };
    return this;
  }

  /**
   * Runs every seed twice and compares the traces event by event. The second run happens alone
   * in a fresh worker when the module is known (`runFile`, the CLI, or `moduleUrl` here),
   * otherwise in-process right after the first.
   */
  checkDeterminism(options: { moduleUrl?: string } = {}): this {
    this.determinism = { ...options };
    return this;
  }

  /**
   * Every seed's counted stream follows `recipe` (`"count@seed -> count@seed"` or reseed
   * points): an exploration timeline. Usually with one seed; see {@link replay}.
   */
  withRecipe(recipe: string | readonly ReseedPoint[]): this {
    this.recipePoints =
      typeof recipe === "string"
        ? parseRecipe(recipe, "withRecipe(recipe)")
        : checkRecipe(recipe, "withRecipe(recipe)");
    return this;
  }

  /**
   * Runs exactly one timeline: `seed` with the exploration `recipe` (as printed by the
   * explorer), e.g. to reproduce a bug it found. Same failure, trace and traceHash as found.
   *
   * ```ts
   * const report = await buildSim().replay(42, "120@9183 -> 7@55");
   * ```
   */
  replay(seed: number, recipe: string | readonly ReseedPoint[]): Promise<SimulationReport> {
    checkSeed("replay(seed)", seed);
    return this.seeds([seed]).withRecipe(recipe).run();
  }

  /** Keeps every seed's trace events in `report.traces` (for `--trace out.json`). */
  recordTraces(enabled = true): this {
    this.keepTraces = enabled;
    return this;
  }

  /** Also records actors' console lines in the trace (name "console", fields level/message). */
  traceConsole(enabled = true): this {
    this.consoleInTrace = enabled;
    return this;
  }

  /**
   * The time zone every seed runs in (hermetic mode; default "UTC", whatever the host's TZ):
   * `new Date().getHours()`, `toString()` and Intl's default zone follow it.
   */
  timeZone(zone: string): this {
    const known = knownTimeZone(zone);
    if (known === null) throw new InvalidArgumentError("timeZone(zone)", expectedTimeZone(zone));
    this.seedTimeZone = known;
    return this;
  }

  /** The default locale of Intl and toLocale* in every seed (hermetic mode; default "en-US"). */
  locale(tag: string): this {
    const known = knownLocale(tag);
    if (known === null) throw new InvalidArgumentError("locale(tag)", expectedLocale(tag));
    this.seedLocale = known;
    return this;
  }

  /**
   * How many seed rows `report.seeds` keeps besides the failing ones (default 10,000; `"all"`:
   * every row). Every row still streams to `run({ onSeedDone })` as its seed ends, and the
   * report's counters, failing seeds and averages cover every seed; past the limit a passing
   * row is only counted, so a run of millions of seeds keeps memory in proportion to its
   * failures. Callers that need every row (JUnit, shard reports) ask for `"all"`.
   */
  keepSeedRows(limit: number | "all"): this {
    this.seedRowLimit = checkSeedRowLimit("keepSeedRows(limit)", limit);
    return this;
  }

  /** Prints one line per seed on stderr (default true). */
  logSeeds(enabled: boolean): this {
    this.printSeeds = enabled;
    return this;
  }

  /** The validated plan (internal: used by the worker and re-runs). */
  plan(): SimulationPlan {
    if (this.workloadSources.length === 0) {
      throw new InvalidArgumentError(
        "workload",
        "a simulation needs at least one workload: call .workload(w) or .workloads(n, factory)",
      );
    }
    const c = this.chaosOptions;
    const needsWindow = (["network", "storage", "attrition", "bursts"] as const).filter(
      (k) => c?.[k] !== undefined && c[k] !== false,
    );
    if (needsWindow.length > 0 && this.chaosWindowMs === undefined) {
      throw new InvalidArgumentError(
        "chaos(options)",
        `${needsWindow.join(", ")} chaos needs a chaos window: add .chaosDuration(ms) so faults stop and the system can recover`,
      );
    }
    return {
      processGroups: [...this.processGroups],
      workloads: [...this.workloadSources],
      faults: [...this.faultList],
      invariants: [...this.invariantList],
      chaos: this.chaosOptions,
      chaosDurationMs: this.chaosWindowMs,
      runTimeBudgetMs: this.runTimeBudgetMs,
      hermetic: this.hermeticMode,
      consoleToTrace: this.consoleInTrace,
      ...(this.seedTimeZone !== undefined ? { timeZone: this.seedTimeZone } : {}),
      ...(this.seedLocale !== undefined ? { locale: this.seedLocale } : {}),
      scheduling: this.schedulingOptions,
    };
  }

  /** Runs the simulation: every seed, then the report. Call it once per builder. */
  async run(options: RunOptions = {}): Promise<SimulationReport> {
    if (this.started)
      throw new Error("run() was already called on this SimulationBuilder; build a new one to run again");
    const plan = this.plan();
    this.started = true;
    const release = claimActiveSimulation(`a SimulationBuilder run started at ${new Date().toISOString()}`);
    discoverLibraryState();
    try {
      return await this.runPlan(plan, options);
    } finally {
      release();
    }
  }

  /**
   * The seeds this builder will run: the resolved base seed (a random one is drawn once, here)
   * and, unless the run is coverage-driven, the full seed list. Used by `runFile` to resume
   * after a worker was terminated.
   */
  seedPlan(): { base: number; seeds: number[] | null } {
    if (this.base === "random") {
      this.base = randomBaseSeed();
      this.randomBase = true;
    }
    const base = this.base;
    const mode = this.mode;
    if (mode.kind === "seeds") return { base, seeds: [...mode.seeds] };
    if (mode.kind === "coverage") return { base, seeds: null };
    const sequence = new SeedSequence(base);
    const seeds: number[] = [];
    while (seeds.length < mode.count) seeds.push(sequence.next());
    return { base, seeds };
  }

  /**
   * Runs one seed alone with draw labelling and returns what a determinism check compares
   * (used by the fresh worker of `checkDeterminism`).
   */
  async captureSeed(seed: number): Promise<SeedTraceCapture> {
    checkSeed("captureSeed(seed)", seed);
    const plan = this.plan();
    const release = claimActiveSimulation(`a determinism re-run of seed ${seed}`);
    try {
      resetRunAssertions();
      return await captureOneSeed(loadRunSeed(), plan, seed, this.knobs(false));
    } finally {
      release();
    }
  }

  private knobs(diagnose: boolean): SeedKnobs {
    return {
      wallMs: this.seedWallMs,
      diagnose,
      ...(this.recipePoints.length > 0 ? { reseeds: this.recipePoints } : {}),
    };
  }

  /**
   * Opens a run whose seeds the caller hands in one at a time (runFile's worker pool): the
   * assertion table is reset, and the builder counts as started. `close()` ends it.
   */
  openSession(): { session: SeedSession; settings: RunSettings; close: () => void } {
    if (this.started)
      throw new Error("run() was already called on this SimulationBuilder; build a new one to run again");
    const plan = this.plan();
    this.started = true;
    const release = claimActiveSimulation(
      `a SimulationBuilder session opened at ${new Date().toISOString()}`,
    );
    discoverLibraryState();
    resetRunAssertions();
    const settings: RunSettings = {
      logSeeds: this.printSeeds,
      wallBudgetMs: this.wallBudgetMs,
      recipe: this.recipePoints.length > 0 ? formatRecipe(this.recipePoints) : "",
      keepTraces: this.keepTraces,
    };
    return { session: this.session(plan), settings, close: release };
  }

  private session(plan: SimulationPlan): SeedSession {
    const diagnose = this.determinism !== null;
    return new SeedSession(loadRunSeed(), {
      plan,
      knobs: this.knobs(diagnose),
      checkDeterminism: diagnose,
      moduleUrl: this.determinism?.moduleUrl ?? this.moduleUrl,
      keepTraces: this.keepTraces,
      printSeeds: this.printSeeds,
    });
  }

  private async runPlan(plan: SimulationPlan, options: RunOptions): Promise<SimulationReport> {
    const base = this.seedPlan().base;
    const session = this.session(plan);
    if (this.mode.kind !== "seeds") session.log(`base seed ${base}${this.randomBase ? " (random)" : ""}`);
    const started = performance.now();
    resetRunAssertions();
    const rows = new SeedRows(this.seedRowLimit);
    const traces: Record<string, object[]> | undefined = this.keepTraces ? {} : undefined;
    const sequence = new SeedSequence(base);
    let stoppedEarly: string | undefined;
    let coverage: CoverageSummary | undefined;
    let plateau = 0;
    let lastDiscoveries = -1;
    const mode = this.mode;
    const limit =
      mode.kind === "iterations" ? mode.count : mode.kind === "seeds" ? mode.seeds.length : mode.max;
    for (let i = 0; i < limit; i++) {
      if (this.wallBudgetMs !== undefined && performance.now() - started >= this.wallBudgetMs) {
        stoppedEarly = `wall-clock budget of ${formatDuration(this.wallBudgetMs)} spent after ${rows.length} seeds`;
        break;
      }
      const seed = mode.kind === "seeds" ? mode.seeds[i]! : sequence.next();
      options.onSeedStart?.(seed);
      const run = await session.runSeed(seed);
      rows.add(run.record);
      if (traces && run.trace) traces[String(seed)] = run.trace;
      options.onSeedDone?.(run.record);
      if (mode.kind === "coverage") {
        const state = coverageProgress();
        plateau = state.discoveries === lastDiscoveries ? plateau + 1 : 0;
        lastDiscoveries = state.discoveries;
        if (plateau >= mode.plateau && state.coverageAssertions === 0) {
          coverage = summary(
            mode,
            false,
            state,
            `no sometimes/reachable assertion was seen in ${rows.length} seeds: nothing to measure coverage with, stopped`,
          );
          break;
        }
        if (plateau >= mode.plateau && state.unhit === 0) {
          coverage = summary(
            mode,
            true,
            state,
            `no new discovery for ${plateau} seeds and all ${state.coverageAssertions} sometimes/reachable assertions hit after ${rows.length} seeds`,
          );
          break;
        }
        if (i === limit - 1) {
          coverage = summary(
            mode,
            false,
            state,
            `${limit} seeds ran (the maximum) with ${state.unhit} of ${state.coverageAssertions} sometimes/reachable assertions never hit`,
          );
        }
      }
    }
    // The table is read before the determinism re-runs, which would count every seed twice.
    const assertions = assertionRows();
    const divergences = await session.divergences();
    const report = new SimulationReport({
      seeds: rows.kept,
      omittedSeeds: rows.omitted(),
      assertions,
      baseSeed: base,
      wallMs: performance.now() - started,
      file: options.file,
      coverage,
      divergences,
      traces,
      stoppedEarly,
      ...(this.recipePoints.length > 0 ? { recipe: formatRecipe(this.recipePoints) } : {}),
    });
    for (const seed of report.failingSeeds) session.log(`replay seed ${seed}: ${report.replayCommand(seed)}`);
    return report;
  }
}

function summary(
  mode: { plateau: number; max: number },
  stable: boolean,
  state: { discoveries: number; coverageAssertions: number; unhit: number },
  note: string,
): CoverageSummary {
  return { plateauSeeds: mode.plateau, maxIterations: mode.max, stable, ...state, note };
}

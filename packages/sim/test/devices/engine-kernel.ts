// The real executor behind the FakeKernel's test surface (run, sleep, faults, traces), so the
// device behaviour tests run on both: devices may be created before `run()` (their early
// `schedule` calls are replayed when the seed starts, at virtual time 0).
import type { RandomProvider } from "@moonpool/core";
import { DEFAULT_BUDGETS, runSeed } from "../../src/engine/executor.ts";
import type {
  ActorScope,
  SimKernel,
  SimRandom,
  TimerHandle,
  TraceFields,
  Waker,
} from "../../src/engine/kernel.ts";
import { FakeKernel, type FakeTraceEvent } from "./fake-kernel.ts";

interface Deferred {
  readonly delayMs: number;
  readonly label: string;
  readonly fn: () => void;
  inner: TimerHandle | null;
  cancelled: boolean;
}

/** A `SimKernel` backed by one seed of the real executor. */
export class EngineKernel implements SimKernel {
  readonly seed: number;
  readonly traces: FakeTraceEvent[] = [];
  #real: SimKernel | null = null;
  /** Virtual time when the last run ended (what `nowNs()` reports after `run()`). */
  #endNs = 0;
  #actor: ActorScope | null = null;
  readonly #deferred: Deferred[] = [];
  readonly #cleanups: (() => void)[] = [];

  constructor(seed = 1) {
    this.seed = seed;
  }

  #kernel(): SimKernel {
    if (this.#real === null) throw new Error("EngineKernel: the seed is not running");
    return this.#real;
  }

  nowNs(): number {
    return this.#real?.nowNs() ?? this.#endNs;
  }
  nowMs(): number {
    return this.#real === null ? this.#endNs / 1e6 : this.#real.nowMs();
  }
  get random(): SimRandom {
    return this.#kernel().random;
  }
  get swarmRandom(): RandomProvider {
    return this.#kernel().swarmRandom;
  }
  schedule(delayMs: number, label: string, fn: () => void): TimerHandle {
    if (this.#real !== null) return this.#real.schedule(delayMs, label, fn);
    const entry: Deferred = { delayMs, label, fn, inner: null, cancelled: false };
    this.#deferred.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
        entry.inner?.cancel();
      },
    };
  }
  waker<T>(label: string): Waker<T> {
    return this.#kernel().waker<T>(label);
  }
  trace(source: string, name: string, fields?: TraceFields): void {
    if (this.#real !== null) this.#real.trace(source, name, fields);
    else
      this.traces.push(
        fields === undefined ? { timeMs: 0, source, name } : { timeMs: 0, source, name, fields },
      );
  }
  onSeedEnd(cleanup: () => void): void {
    if (this.#real !== null) this.#real.onSeedEnd(cleanup);
    else this.#cleanups.push(cleanup);
  }
  fail(error: unknown): void {
    this.#kernel().fail(error);
  }
  liveTasks(): { actor: string; task: string; awaiting: string }[] {
    return this.#real?.liveTasks() ?? [];
  }

  /** Runs `main` as a task of an actor at 10.0.0.1 in one seed; throws the seed's error. */
  async run<T>(main: () => Promise<T>): Promise<T> {
    let value: T | undefined;
    const outcome = await runSeed(
      {
        seed: this.seed,
        hermetic: true,
        budgets: DEFAULT_BUDGETS,
        onQuiescent: () => false,
        onTrace: (e) => {
          this.traces.push(
            e.fields === undefined
              ? { timeMs: e.timeMs, source: e.source, name: e.name }
              : { timeMs: e.timeMs, source: e.source, name: e.name, fields: { ...e.fields } },
          );
        },
      },
      async (kernel, actors) => {
        this.#real = kernel;
        for (const c of this.#cleanups.splice(0)) kernel.onSeedEnd(c);
        for (const d of this.#deferred.splice(0)) {
          if (!d.cancelled) d.inner = kernel.schedule(d.delayMs, d.label, d.fn);
        }
        this.#actor = actors.createActor("test", "10.0.0.1");
        value = await this.#actor.task.spawn("body", main).join();
        this.#endNs = kernel.nowNs();
      },
    );
    this.#real = null;
    if (!outcome.ok) throw outcome.error;
    return value as T;
  }

  /** A simulated sleep of the test's actor. */
  sleep(ms: number): Promise<void> {
    if (this.#actor === null) throw new Error("EngineKernel.sleep outside run()");
    return this.#actor.time.sleep(ms);
  }

  /** Trace events named `sim_fault`, optionally of one kind. */
  faults(kind?: string): FakeTraceEvent[] {
    return this.traces.filter(
      (t) => t.name === "sim_fault" && (kind === undefined || t.fields?.kind === kind),
    );
  }
}

/** What the device tests need from a kernel (the fake one or the real engine). */
export type TestKernel = FakeKernel | EngineKernel;

/** Both kernels, for `describe.each`. */
export const TEST_KERNELS: [string, (seed: number) => TestKernel][] = [
  ["fake kernel", (seed) => new FakeKernel(seed)],
  ["real engine", (seed) => new EngineKernel(seed)],
];

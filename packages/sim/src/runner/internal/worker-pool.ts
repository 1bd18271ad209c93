// The coordinator half of runFile's pull-based worker pool. Every worker loads the module once
// and posts its seed plan; the first plan to arrive is the run's. Seeds are then handed out in
// plan order, a few at a time, to whichever worker has room, so a slow seed never leaves another
// worker idle. Results are applied in plan order (the `onSeed` callback, the rows, traces and
// divergences), so what a caller sees does not depend on the number of workers or on timing.
//
// Watchdog: a seed that runs longer than `timeoutMs` of wall time (a synchronous infinite loop
// no in-thread check can interrupt) gets its worker terminated; the seed fails "wall-budget",
// the seeds queued on that worker go back to the front of the queue, and a fresh worker takes
// its place.
import type { Worker } from "node:worker_threads";
import type { AssertionState } from "@moonpool/assertions";
import type { RunSettings } from "../builder.ts";
import { type Divergence, formatDuration, type SeedRow } from "../report.ts";
import { stopWorker } from "./worker-launch.ts";

/** Seeds a worker holds (running + queued): one running, the next ones already there. */
const SEEDS_PER_WORKER = 2;

export interface PoolPlan {
  readonly base: number;
  readonly seeds: number[] | null;
  readonly settings: RunSettings;
}

export interface PoolOptions {
  /** Starts one pool worker (its request already carries the module and options). */
  readonly launch: () => Worker;
  readonly workers: number;
  /** Wall time one seed may take before its worker is terminated. */
  readonly timeoutMs: number;
  /** The seeds to run, from the run's plan (e.g. a shard of it). */
  readonly select: (seeds: readonly number[]) => number[];
  readonly onPlan?: (plan: PoolPlan, seeds: readonly number[]) => void;
  readonly onSeedStart?: (seed: number) => void;
  /** Called once per seed, in plan order. */
  readonly onSeed?: (row: SeedRow) => void;
  /** The row of a seed whose worker was terminated by the watchdog. */
  readonly hangRow: (seed: number) => SeedRow;
  /** The error to reject with for a worker's error message. */
  readonly workerError: (m: { message?: string; stack?: string; code?: string }) => Error;
}

export type PoolResult =
  /** The plan has no fixed seed list (coverage-driven): nothing ran. */
  | { readonly kind: "coverage"; readonly plan: PoolPlan }
  | {
      readonly kind: "done";
      readonly plan: PoolPlan;
      /** The seeds run (a prefix of the selection when the wall-clock budget stopped it). */
      readonly seeds: readonly number[];
      readonly rows: SeedRow[];
      /** Each worker's assertion table (merge them: the merge is order-independent). */
      readonly states: AssertionState[];
      readonly traces: Record<string, object[]> | undefined;
      readonly divergences: Divergence[];
      readonly stoppedEarly: string | undefined;
    };

interface Slot {
  readonly worker: Worker;
  /** Seeds sent to it and not done yet, in the order it runs them. */
  readonly assigned: number[];
  ready: boolean;
  /** The seed it is running, and that seed's watchdog. */
  running: number | undefined;
  timer: NodeJS.Timeout | undefined;
  state: AssertionState | undefined;
  /** Finished (divergences received) or gone. */
  closed: boolean;
}

/** Runs the pool to completion (see the module comment). */
export function runPool(options: PoolOptions): Promise<PoolResult> {
  return new Promise<PoolResult>((resolve, reject) => {
    const slots = new Set<Slot>();
    const states: AssertionState[] = [];
    const rows = new Map<number, SeedRow>();
    const traces = new Map<number, object[]>();
    const divergences: Divergence[] = [];
    let plan: PoolPlan | undefined;
    let selected: number[] = [];
    let order = new Map<number, number>();
    /** Seeds not yet handed out, in plan order. */
    let queue: number[] = [];
    /** Index in `selected` of the next row to apply. */
    let applied = 0;
    /** Set once the wall-clock budget stopped handing out seeds. */
    let budgetSpent = false;
    let finishing = false;
    let settled = false;
    const started = performance.now();

    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      for (const slot of slots) {
        clearTimeout(slot.timer);
        void slot.worker.terminate();
      }
      reject(error);
    };

    const start = () => {
      const slot: Slot = {
        worker: options.launch(),
        assigned: [],
        ready: false,
        running: undefined,
        timer: undefined,
        state: undefined,
        closed: false,
      };
      slots.add(slot);
      slot.worker.on("message", (m: Record<string, any>) => onMessage(slot, m));
      slot.worker.on("error", (e) => fail(e));
      slot.worker.on("exit", (code) => {
        if (!slot.closed) fail(new Error(`the simulation worker exited with code ${code}`));
      });
    };

    const onMessage = (slot: Slot, m: Record<string, any>) => {
      // A worker the watchdog terminated may still have a message in flight: it no longer counts.
      if (settled || slot.closed) return;
      switch (m.type) {
        case "ready":
          slot.ready = true;
          if (plan === undefined) {
            plan = { base: m.base, seeds: m.seeds, settings: m.settings };
            if (plan.seeds === null) {
              // Coverage-driven: each seed depends on the coverage of those before it.
              settled = true;
              for (const s of slots) {
                s.closed = true;
                void s.worker.terminate();
              }
              resolve({ kind: "coverage", plan });
              return;
            }
            selected = options.select(plan.seeds);
            order = new Map(selected.map((s, i) => [s, i]));
            queue = [...selected];
            options.onPlan?.(plan, selected);
            for (const s of slots) if (s.ready) dispatch(s);
          } else dispatch(slot);
          break;
        case "start":
          slot.running = m.seed;
          options.onSeedStart?.(m.seed);
          slot.timer = setTimeout(() => hang(slot), options.timeoutMs);
          break;
        case "done": {
          clearTimeout(slot.timer);
          slot.running = undefined;
          slot.state = m.state;
          slot.assigned.splice(slot.assigned.indexOf(m.row.seed), 1);
          rows.set(m.row.seed, m.row);
          if (m.trace !== undefined) traces.set(m.row.seed, m.trace);
          applyInOrder();
          dispatch(slot);
          break;
        }
        case "finished":
          slot.closed = true;
          slots.delete(slot);
          states.push(m.state);
          divergences.push(...m.divergences);
          // Let it exit on its own, so its last console lines reach this thread's stderr.
          void stopWorker(slot.worker, false).then(maybeDone);
          break;
        case "error":
          fail(options.workerError(m));
          break;
      }
    };

    /** Tops `slot` up to SEEDS_PER_WORKER seeds, or lets it finish when nothing is left. */
    const dispatch = (slot: Slot) => {
      if (settled || plan === undefined || slot.closed) return;
      const budget = plan.settings.wallBudgetMs;
      if (budget !== undefined && !budgetSpent && performance.now() - started >= budget) {
        budgetSpent = true;
        queue = [];
      }
      const seeds: number[] = [];
      while (slot.assigned.length + seeds.length < SEEDS_PER_WORKER && queue.length > 0)
        seeds.push(queue.shift()!);
      if (seeds.length > 0) {
        slot.assigned.push(...seeds);
        slot.worker.postMessage({ type: "seeds", seeds });
      }
      finishIfDrained();
    };

    /** Once every handed-out seed is done and nothing is queued, every worker finishes. */
    const finishIfDrained = () => {
      if (finishing || queue.length > 0) return;
      for (const s of slots) if (s.assigned.length > 0) return;
      finishing = true;
      for (const s of slots) {
        if (s.ready) s.worker.postMessage({ type: "finish" });
        else {
          // Still loading: it ran nothing, so there is nothing to wait for.
          s.closed = true;
          slots.delete(s);
          void s.worker.terminate();
        }
      }
      maybeDone();
    };

    const hang = (slot: Slot) => {
      if (settled || slot.running === undefined) return;
      const seed = slot.running;
      slot.closed = true;
      slots.delete(slot);
      // Stuck in synchronous code: it will never exit on its own.
      void slot.worker.terminate();
      if (slot.state) states.push(slot.state);
      rows.set(seed, options.hangRow(seed));
      const requeue = slot.assigned.filter((s) => s !== seed);
      queue = [...requeue, ...queue].sort((a, b) => order.get(a)! - order.get(b)!);
      applyInOrder();
      if (queue.length > 0) start();
      else finishIfDrained();
    };

    const applyInOrder = () => {
      while (applied < selected.length && rows.has(selected[applied]!)) {
        options.onSeed?.(rows.get(selected[applied]!)!);
        applied++;
      }
    };

    const maybeDone = () => {
      if (settled || !finishing || slots.size > 0 || plan === undefined) return;
      settled = true;
      const ran = selected.filter((s) => rows.has(s));
      const budget = plan.settings.wallBudgetMs;
      resolve({
        kind: "done",
        plan,
        seeds: ran,
        rows: ran.map((s) => rows.get(s)!),
        states,
        traces: plan.settings.keepTraces
          ? Object.fromEntries(ran.filter((s) => traces.has(s)).map((s) => [String(s), traces.get(s)!]))
          : undefined,
        divergences: divergences.sort((a, b) => order.get(a.seed)! - order.get(b.seed)!),
        stoppedEarly:
          budgetSpent && budget !== undefined
            ? `wall-clock budget of ${formatDuration(budget)} spent after ${ran.length} seeds`
            : undefined,
      });
    };

    for (let i = 0; i < options.workers; i++) start();
  });
}

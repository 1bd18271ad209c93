// A fixed pool of explorer worker threads. Each worker pulls the next few jobs of a wave when it
// is free; the coordinator applies the results in job order, so the split never shows in the
// outcome.
// A watchdog stops a timeline stuck in a synchronous loop (no in-thread check can): its worker
// is terminated, the timeline fails with kind "wall-budget", and the rest of its chunk runs on
// a fresh worker, so the campaign is the same on any number of workers.
import type { Worker } from "node:worker_threads";
import type { AssertionState } from "@moonpool/assertions";
import { InvalidArgumentError } from "@moonpool/core";
import { isSimulationModuleError, startSimulationWorker } from "@moonpool/sim";
import type { CodeHistory } from "./code-edges.ts";
import type { Job, JobResult } from "./job.ts";

/** The watchdog's slack over the in-thread wall cap, so a timeline the runner can stop is stopped there. */
export function watchdogMs(wallMs: number): number {
  return wallMs + Math.min(wallMs, 1000);
}

/** The result of a timeline the watchdog stopped (plain data, the same on every run). */
export function hangResult(job: Job, wallMs: number): JobResult {
  return {
    id: job.id,
    ok: false,
    kind: "wall-budget",
    error: `timeline hang (wall-budget): it ran for more than ${wallMs} ms of wall time without finishing (a synchronous infinite loop?); its worker was terminated`,
    traceHash: "",
    draws: 0,
    prefixDraws: 0,
    live: false,
    journal: [],
    journalOverflow: 0,
    delta: { assertions: [], buckets: [] },
  };
}

interface WorkerMessage {
  type: string;
  batch?: number;
  result?: JobResult;
  message?: string;
  code?: string;
}

interface Sink {
  readonly batch: number;
  readonly results: JobResult[];
  timer: ReturnType<typeof setTimeout> | undefined;
  done(hung: boolean): void;
  fail(error: Error): void;
}

/** One worker thread with the simulation module loaded. */
class ExplorerWorker {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private sink: Sink | null = null;
  private broken: Error | null = null;

  constructor(url: string, wallMs: number, codeCoverage: boolean) {
    const fromSource = import.meta.url.endsWith(".ts");
    const entry = new URL(fromSource ? "./worker-main.ts" : "./worker-main.js", import.meta.url);
    const w = startSimulationWorker({ url, wallMs, codeCoverage }, entry, fromSource);
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        reject(e);
        this.broken ??= e;
        const sink = this.sink;
        this.sink = null;
        if (sink !== null) {
          clearTimeout(sink.timer);
          sink.fail(e);
        }
      };
      w.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") resolve();
        else if (m.type === "error") {
          fail(
            isSimulationModuleError(m)
              ? new InvalidArgumentError("exploreFile(url)", m.message ?? "the simulation module is broken")
              : new Error(`explorer worker failed: ${m.message ?? "unknown error"}`),
          );
        } else this.onProgress(m);
      });
      w.on("error", fail);
      w.on("exit", (code) => fail(new Error(`explorer worker exited (code ${code})`)));
    });
    // Failures after start are reported through `run`; this keeps an early one from going unhandled.
    this.ready.catch(() => {});
  }

  private onProgress(m: WorkerMessage): void {
    const sink = this.sink;
    if (sink === null || m.batch !== sink.batch) return;
    if (m.type === "start") {
      clearTimeout(sink.timer);
      sink.timer = setTimeout(() => {
        this.sink = null;
        sink.done(true);
      }, this.watchdog);
    } else if (m.type === "result" && m.result !== undefined) {
      clearTimeout(sink.timer);
      sink.timer = undefined;
      sink.results.push(m.result);
    } else if (m.type === "done") {
      clearTimeout(sink.timer);
      this.sink = null;
      sink.done(false);
    }
  }

  private watchdog = 0;

  /** Runs `jobs` in order; `hung` when the watchdog stopped the job after `results`. */
  run(
    jobs: Job[],
    preload: AssertionState,
    code: CodeHistory | undefined,
    batch: number,
    watchdog: number,
  ): Promise<{ results: JobResult[]; hung: boolean }> {
    if (this.broken !== null) return Promise.reject(this.broken);
    this.watchdog = watchdog;
    return new Promise((resolve, reject) => {
      const results: JobResult[] = [];
      this.sink = {
        batch,
        results,
        timer: undefined,
        done: (hung) => resolve({ results, hung }),
        fail: reject,
      };
      this.worker.postMessage({ type: "jobs", batch, jobs, preload, ...(code ? { code } : {}) });
    });
  }

  async terminate(): Promise<void> {
    this.sink = null;
    this.worker.removeAllListeners("exit");
    this.worker.removeAllListeners("message");
    this.worker.on("error", () => {});
    await this.worker.terminate();
  }
}

/** Worker threads running timelines of one simulation module. */
export class ExplorerPool {
  private readonly workers: ExplorerWorker[] = [];
  private readonly url: string;
  private readonly wallMs: number;
  private readonly codeCoverage: boolean;
  private batch = 0;

  private constructor(url: string, wallMs: number, codeCoverage: boolean) {
    this.url = url;
    this.wallMs = wallMs;
    this.codeCoverage = codeCoverage;
  }

  /**
   * Starts `count` workers on the module at `url` and waits until each has loaded it.
   * `codeCoverage`: the workers instrument the modules of the simulation's folder for code-edge coverage.
   */
  static async start(
    url: string,
    count: number,
    wallMs: number,
    codeCoverage = false,
  ): Promise<ExplorerPool> {
    const pool = new ExplorerPool(url, wallMs, codeCoverage);
    for (let i = 0; i < count; i++) pool.workers.push(new ExplorerWorker(url, wallMs, codeCoverage));
    try {
      await Promise.all(pool.workers.map((w) => w.ready));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /**
   * Runs a wave on the pool. Workers pull a few jobs at a time as they finish (timelines differ
   * in length, so fixed chunks left one worker idle at every wave's end); the coordinator
   * applies the results in job order, so who ran what never shows in the outcome.
   */
  async run(jobs: Job[], preload: AssertionState, code?: CodeHistory): Promise<JobResult[]> {
    const out: JobResult[] = [];
    const step = Math.max(1, Math.floor(jobs.length / (this.workers.length * 4)));
    let next = 0;
    const take = (): Job[] | null => {
      if (next >= jobs.length) return null;
      const from = next;
      next = Math.min(jobs.length, next + step);
      return jobs.slice(from, next);
    };
    const drain = async (index: number): Promise<void> => {
      for (let chunk = take(); chunk !== null; chunk = take()) {
        out.push(...(await this.runChunk(index, chunk, preload, code)));
      }
    };
    const busy = Math.min(this.workers.length, jobs.length);
    await Promise.all(Array.from({ length: busy }, (_, i) => drain(i)));
    return out;
  }

  // Runs a chunk on worker `index`, replacing the worker each time the watchdog stops a timeline.
  private async runChunk(
    index: number,
    chunk: Job[],
    preload: AssertionState,
    code: CodeHistory | undefined,
  ): Promise<JobResult[]> {
    const out: JobResult[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      const worker = this.workers[index]!;
      const { results, hung } = await worker.run(rest, preload, code, this.batch++, watchdogMs(this.wallMs));
      out.push(...results);
      if (!hung) break;
      out.push(hangResult(rest[results.length]!, this.wallMs));
      rest = rest.slice(results.length + 1);
      const fresh = new ExplorerWorker(this.url, this.wallMs, this.codeCoverage);
      this.workers[index] = fresh;
      await worker.terminate();
      await fresh.ready;
    }
    return out;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    const all = this.workers.splice(0);
    await Promise.all(all.map((w) => w.terminate()));
  }
}

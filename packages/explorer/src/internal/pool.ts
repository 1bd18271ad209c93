// A fixed pool of explorer worker threads. A wave is cut into one contiguous chunk per worker;
// the coordinator applies the results in job order, so the split never shows in the outcome.
import type { Worker } from "node:worker_threads";
import type { AssertionState } from "@moonpool/assertions";
import { InvalidArgumentError } from "@moonpool/core";
import { isSimulationModuleError, startSimulationWorker } from "@moonpool/sim";
import type { Job, JobResult } from "./job.ts";

interface Pending {
  resolve(results: JobResult[]): void;
  reject(error: Error): void;
}

/** Worker threads running timelines of one simulation module. */
export class ExplorerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<Worker, Pending>();
  private batch = 0;
  private failure: Error | null = null;

  private constructor() {}

  /** Starts `count` workers on the module at `url` and waits until each has loaded it. */
  static async start(url: string, count: number, wallMs: number): Promise<ExplorerPool> {
    const pool = new ExplorerPool();
    const fromSource = import.meta.url.endsWith(".ts");
    const entry = new URL(fromSource ? "./worker-main.ts" : "./worker-main.js", import.meta.url);
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const w = startSimulationWorker({ url, wallMs }, entry, fromSource);
      pool.workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          w.on("message", (m: { type: string; results?: JobResult[]; message?: string; code?: string }) => {
            if (m.type === "ready") resolve();
            else if (m.type === "results") pool.settle(w, null, m.results ?? []);
            else if (m.type === "error") {
              const e = isSimulationModuleError(m)
                ? new InvalidArgumentError("exploreFile(url)", m.message ?? "the simulation module is broken")
                : new Error(`explorer worker failed: ${m.message ?? "unknown error"}`);
              reject(e);
              pool.settle(w, e, []);
            }
          });
          w.on("error", (e) => {
            reject(e);
            pool.settle(w, e, []);
          });
          w.on("exit", (code) => {
            const e = new Error(`explorer worker exited (code ${code})`);
            reject(e);
            pool.settle(w, e, []);
          });
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private settle(w: Worker, error: Error | null, results: JobResult[]): void {
    const p = this.pending.get(w);
    if (p === undefined) {
      if (error !== null) this.failure ??= error;
      return;
    }
    this.pending.delete(w);
    if (error !== null) p.reject(error);
    else p.resolve(results);
  }

  /** Runs a wave on the pool. */
  async run(jobs: Job[], preload: AssertionState): Promise<JobResult[]> {
    if (this.failure !== null) throw this.failure;
    const n = Math.min(this.workers.length, jobs.length);
    const chunks: Promise<JobResult[]>[] = [];
    let from = 0;
    for (let i = 0; i < n; i++) {
      const size = Math.floor(jobs.length / n) + (i < jobs.length % n ? 1 : 0);
      const chunk = jobs.slice(from, from + size);
      from += size;
      const w = this.workers[i]!;
      chunks.push(
        new Promise<JobResult[]>((resolve, reject) => {
          this.pending.set(w, { resolve, reject });
          w.postMessage({ type: "jobs", batch: this.batch++, jobs: chunk, preload });
        }),
      );
    }
    return (await Promise.all(chunks)).flat();
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    const all = this.workers.splice(0);
    for (const w of all) w.removeAllListeners("exit");
    await Promise.all(all.map((w) => w.terminate()));
  }
}

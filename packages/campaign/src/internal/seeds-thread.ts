// A worker thread that keeps a simulation module loaded and runs seed ranges on it (a job per
// request), so a worker pays the module's load once, not once per job. A seed stuck past its
// wall cap (plus slack) stops the thread: the caller reruns that job with `runFile`, which
// reports the hang exactly as a local run does.
import type { Worker } from "node:worker_threads";
import { startSimulationWorker } from "@moonpool/sim";

/** What a request came back with: the report's JSON, or "hung" when the watchdog stopped it. */
export type SeedsOutcome = { readonly report: unknown } | "hung";

export class SeedsThread {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private pending: {
    id: string;
    wallMs: number;
    timer?: NodeJS.Timeout;
    settle(o: SeedsOutcome | Error): void;
  } | null = null;
  private broken: Error | null = null;

  constructor(href: string) {
    const fromSource = import.meta.url.endsWith(".ts");
    const entry = new URL(fromSource ? "./seeds-thread-main.ts" : "./seeds-thread-main.js", import.meta.url);
    this.worker = startSimulationWorker({ url: href }, entry, fromSource);
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        this.broken ??= e;
        reject(e);
        this.settle(e);
      };
      this.worker.on("message", (m: { type: string; id?: string; report?: unknown; message?: string }) => {
        if (m.type === "ready") resolve();
        else if (m.type === "error")
          fail(new Error(`campaign seeds thread failed: ${m.message ?? "unknown error"}`));
        else if (m.type === "start" && this.pending?.id === m.id) this.arm();
        else if (m.type === "report" && this.pending?.id === m.id) this.settle({ report: m.report });
      });
      this.worker.on("error", fail);
      this.worker.on("exit", (code) => fail(new Error(`campaign seeds thread exited (code ${code})`)));
    });
    this.ready.catch(() => {});
  }

  /** Runs `seeds` (one job) on the loaded module. */
  async run(request: {
    id: string;
    seeds: readonly number[];
    recipe?: string;
    wallMs: number;
    file: string;
  }): Promise<SeedsOutcome> {
    await this.ready;
    if (this.broken !== null) throw this.broken;
    const outcome = await new Promise<SeedsOutcome | Error>((settle) => {
      this.pending = { id: request.id, wallMs: request.wallMs, settle };
      this.worker.postMessage({ type: "run", ...request, seeds: [...request.seeds] });
    });
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners("exit");
    this.worker.on("error", () => {});
    await this.worker.terminate();
  }

  // Each seed start re-arms the watchdog: the executor's own cap plus slack.
  private arm(): void {
    const p = this.pending!;
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.settle("hung"), p.wallMs + Math.min(p.wallMs, 1000));
  }

  private settle(outcome: SeedsOutcome | Error): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.settle(outcome);
  }
}

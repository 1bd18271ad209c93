// The simulated TimeProvider: virtual time, timers on the engine's event queue, per-actor
// bounded monotonic clock drift.
import { checkDuration, TimeoutError, type TimeProvider } from "@moonpool/core";
import type { QueuedEvent } from "./event-queue.ts";
import { msToNs } from "./time-units.ts";
import type { SimWorld } from "./world.ts";

/** Simulated time for one actor. */
export class SimTimeProvider implements TimeProvider {
  private readonly world: SimWorld;
  private readonly driftNs: number;
  private timerNs = 0;

  constructor(world: SimWorld, driftMs: number) {
    this.world = world;
    this.driftNs = msToNs(driftMs);
  }

  now(): number {
    return this.world.nowMs();
  }

  /**
   * `now()` plus this actor's drift: moves a random part of the way toward `now + drift` on each
   * call (one counted draw while below the bound), so it is monotonic and within [now, now + drift].
   */
  timer(): number {
    const now = this.world.nowNs();
    if (this.driftNs === 0) return now / 1e6;
    this.world.checkLive("time.timer");
    const max = now + this.driftNs;
    if (this.timerNs < max)
      this.timerNs += Math.floor((this.world.random.random() * (max - this.timerNs)) / 2);
    if (this.timerNs < now) this.timerNs = now;
    return this.timerNs / 1e6;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    checkDuration("ms", ms);
    const world = this.world;
    world.checkLive("time.sleep");
    const w = world.wakerFor<void>(world.current, "sleep", ms);
    if (signal === undefined) {
      world.scheduleWake(msToNs(ms), w, world.current);
      return w.promise;
    }
    if (signal.aborted) {
      w.fail(signal.reason);
      return w.promise;
    }
    const onAbort = (): void => {
      ev.cancel();
      w.fail(signal.reason);
    };
    const ev = world.scheduleAt(
      msToNs(ms),
      "sleep",
      () => {
        signal.removeEventListener("abort", onAbort);
        w.wake();
      },
      world.current,
    );
    signal.addEventListener("abort", onAbort, { once: true });
    return w.promise;
  }

  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T> {
    checkDuration("ms", ms);
    const world = this.world;
    world.checkLive("time.timeout");
    const owner = world.current;
    const controller = new AbortController();
    const w = world.wakerFor<T>(owner, `timeout ${ms} ms`);
    let settledWork: Promise<T>;
    if (typeof work === "function") {
      try {
        settledWork = Promise.resolve(work(controller.signal));
      } catch (error) {
        settledWork = Promise.reject(error);
      }
    } else {
      settledWork = Promise.resolve(work);
    }
    let decided = false;
    let confirm: QueuedEvent | null = null;
    const timer = world.scheduleAt(
      msToNs(ms),
      "timeout",
      () => {
        // The work wins ties: decide only after everything else at this instant has run.
        confirm = world.scheduleAt(
          0,
          "timeout confirm",
          () => {
            if (decided) return;
            decided = true;
            const error = new TimeoutError(ms);
            w.fail(error);
            controller.abort(error);
          },
          owner,
        );
      },
      owner,
    );
    settledWork.then(
      (value) => {
        if (decided) return;
        decided = true;
        timer.cancel();
        (confirm as QueuedEvent | null)?.cancel();
        w.wake(value);
      },
      (error) => {
        if (decided) return;
        decided = true;
        timer.cancel();
        (confirm as QueuedEvent | null)?.cancel();
        w.fail(error);
      },
    );
    return w.promise;
  }
}

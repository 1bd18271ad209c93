// The simulated TimeProvider: virtual time, timers on the engine's event queue, per-actor
// bounded monotonic clock drift (the drift model is @moonpool/chaos's `createDriftClock`: one
// model for the whole project, fed from the counted stream).
import { createDriftClock, type DriftClock } from "@moonpool/chaos";
import { checkDuration, TimeoutError, type TimeProvider } from "@moonpool/core";
import type { SimActor } from "./actor.ts";
import type { QueuedEvent } from "./event-queue.ts";
import { msToNs } from "./time-units.ts";
import type { SimWorld } from "./world.ts";

/**
 * What a killed actor's sleep/timeout returns: a promise that never settles. A task of a killed
 * actor can still run on when a live task resolves a plain promise it awaits; its next sleep must
 * park it for good rather than wake it under the live task that happens to be current.
 */
const NEVER: Promise<never> = new Promise<never>(() => {});

/** Simulated time for one actor. */
export class SimTimeProvider implements TimeProvider {
  private readonly world: SimWorld;
  /** The actor this provider belongs to (a killed actor's sleeps never wake). */
  private readonly actor: Pick<SimActor, "killed">;
  private readonly driftMs: number;
  /** Created at the first drifted reading, so an actor that never reads it costs no draw. */
  private drift: DriftClock | null = null;

  constructor(world: SimWorld, actor: Pick<SimActor, "killed">, driftMs: number) {
    this.world = world;
    this.actor = actor;
    this.driftMs = driftMs;
  }

  now(): number {
    return this.world.nowMs();
  }

  /**
   * `now()` plus this actor's own drift (chaos's drift clock, independent per actor): monotonic
   * and within [now, now + driftMs]. Draws from the counted stream (one at the first reading for
   * the initial offset, then one per reading); none when driftMs is 0.
   */
  timer(): number {
    const now = this.world.nowMs();
    if (this.driftMs === 0) return now;
    this.world.checkLive("time.timer");
    // A killed actor's reading would draw from the counted stream: refused, like its random.
    if (this.actor.killed) throw new Error("time.timer() refused: the actor was killed");
    if (this.drift === null) {
      const random = this.world.random;
      this.drift = createDriftClock(this.driftMs, { random: () => random.random() });
    }
    return this.drift.timer(now);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    checkDuration("ms", ms);
    const world = this.world;
    world.checkLive("time.sleep");
    if (this.actor.killed) return NEVER;
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
    if (this.actor.killed) return NEVER;
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

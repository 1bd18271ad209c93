import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TimeoutError } from "../errors.ts";
import type { ConformanceTarget } from "./ConformanceTarget.ts";
import { errorOf } from "./internal/expectations.ts";

/** Real clocks may round; lower bounds on elapsed time allow this much slack. */
const TOLERANCE_MS = 1;

/** TimeProvider: clock, sleep, timeout and cancellation. Only lower bounds on elapsed time. */
export function timeConformance(target: ConformanceTarget): void {
  describe("time", () => {
    it("now() is monotonic and non-negative", () =>
      target.run(async ({ time, task }) => {
        let previous = time.now();
        expect(previous).toBeGreaterThanOrEqual(0);
        for (let i = 0; i < 50; i++) {
          if (i % 10 === 0) await time.sleep(1);
          else await task.yieldNow();
          const current = time.now();
          expect(current).toBeGreaterThanOrEqual(previous);
          previous = current;
        }
      }));

    it("timer() is never behind now()", () =>
      target.run(async ({ time }) => {
        for (let i = 0; i < 20; i++) {
          const now = time.now();
          expect(time.timer()).toBeGreaterThanOrEqual(now);
          await time.sleep(1);
        }
      }));

    it("sleep(ms) advances the clock by at least ms", () =>
      target.run(async ({ time }) => {
        const start = time.now();
        await time.sleep(20);
        expect(time.now() - start).toBeGreaterThanOrEqual(20 - TOLERANCE_MS);
        const again = time.now();
        await time.sleep(0);
        expect(time.now()).toBeGreaterThanOrEqual(again);
      }));

    it("timeout() resolves with the work's value when it is fast enough", () =>
      target.run(async ({ time }) => {
        await expect(
          time.timeout(
            10_000,
            time.sleep(5).then(() => 42),
          ),
        ).resolves.toBe(42);
        await expect(time.timeout(10_000, async (signal) => (signal.aborted ? -1 : 7))).resolves.toBe(7);
        const boom = new Error("work failed");
        await expect(time.timeout(10_000, Promise.reject(boom))).rejects.toBe(boom);
      }));

    it("timeout() rejects with TimeoutError and aborts the work's signal", () =>
      target.run(async ({ time }) => {
        let seen: AbortSignal | undefined;
        const start = time.now();
        const error = await errorOf(() =>
          time.timeout(10, (signal) => {
            seen = signal;
            return time.sleep(60_000, signal);
          }),
        );
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).code).toBe("ETIMEDOUT");
        expect(seen?.aborted).toBe(true);
        expect(time.now() - start).toBeGreaterThanOrEqual(10 - TOLERANCE_MS);
      }));

    it("an abort signal cancels sleep", () =>
      target.run(async ({ time }) => {
        const controller = new AbortController();
        const sleeping = time.sleep(60_000, controller.signal);
        await time.sleep(5);
        const reason = new Error("stop sleeping");
        controller.abort(reason);
        await expect(sleeping).rejects.toBe(reason);

        const early = new AbortController();
        early.abort(reason);
        expect(await errorOf(() => time.sleep(10, early.signal))).toBe(reason);
      }));

    it("rejects bad durations with an error naming the argument", () =>
      target.run(async ({ time }) => {
        for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
          const error = await errorOf(() => time.sleep(bad));
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect((error as InvalidArgumentError).argument).toBe("ms");
        }
        expect(await errorOf(() => time.timeout(-5, Promise.resolve(1)))).toBeInstanceOf(
          InvalidArgumentError,
        );
      }));
  });
}

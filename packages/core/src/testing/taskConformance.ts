import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TaskCancelledError } from "../errors.ts";
import type { ConformanceTarget } from "./ConformanceTarget.ts";
import { errorOf } from "./internal/expectations.ts";

/** TaskProvider: spawn/join, error propagation, cancellation, yieldNow and select. */
export function taskConformance(target: ConformanceTarget): void {
  describe("task", () => {
    it("join() returns the task's value", () =>
      target.run(async ({ task, time }) => {
        const handle = task.spawn("answer", async () => {
          await time.sleep(1);
          return 42;
        });
        expect(handle.name).toBe("answer");
        expect(handle.finished).toBe(false);
        await expect(handle.join()).resolves.toBe(42);
        expect(handle.finished).toBe(true);
        await expect(handle.join()).resolves.toBe(42); // join is repeatable
      }));

    it("join() rejects with the task's own error", () =>
      target.run(async ({ task }) => {
        const boom = new Error("boom");
        const handle = task.spawn("failing", async () => {
          throw boom;
        });
        await expect(handle.join()).rejects.toBe(boom);
        expect(handle.finished).toBe(true);
      }));

    it("abort() aborts the task's signal and join() rejects with TaskCancelledError", () =>
      target.run(async ({ task, time }) => {
        let signal: AbortSignal | undefined;
        const handle = task.spawn("sleeper", async (s) => {
          signal = s;
          await time.sleep(60_000, s);
          return "woke up";
        });
        await time.sleep(5);
        expect(signal?.aborted).toBe(false);
        handle.abort();
        expect(signal?.aborted).toBe(true);
        const error = await errorOf(() => handle.join());
        expect(error).toBeInstanceOf(TaskCancelledError);
        expect((error as TaskCancelledError).taskName).toBe("sleeper");
        expect(handle.finished).toBe(true);
        handle.abort(); // idempotent
      }));

    it("abort() after completion changes nothing", () =>
      target.run(async ({ task }) => {
        const handle = task.spawn("done", async () => "value");
        await handle.join();
        handle.abort();
        await expect(handle.join()).resolves.toBe("value");
      }));

    it("yieldNow() lets other ready tasks run", () =>
      target.run(async ({ task }) => {
        const log: string[] = [];
        const worker = (id: string) => async () => {
          log.push(`${id}1`);
          await task.yieldNow();
          log.push(`${id}2`);
          await task.yieldNow();
          log.push(`${id}3`);
        };
        const a = task.spawn("a", worker("a"));
        const b = task.spawn("b", worker("b"));
        await Promise.all([a.join(), b.join()]);
        expect(log).toHaveLength(6);
        // Both first steps happen before either second step, and so on.
        expect(log.slice(0, 2).sort()).toEqual(["a1", "b1"]);
        expect(log.slice(2, 4).sort()).toEqual(["a2", "b2"]);
        expect(log.slice(4).sort()).toEqual(["a3", "b3"]);
      }));

    it("select() resolves with the first branch and aborts the others", () =>
      target.run(async ({ task, time }) => {
        const signals: AbortSignal[] = [];
        const result = await task.select<string>([
          async (signal) => {
            signals[0] = signal;
            await time.sleep(60_000, signal);
            return "slow";
          },
          async (signal) => {
            signals[1] = signal;
            await time.sleep(5, signal);
            return "fast";
          },
        ]);
        expect(result).toEqual({ index: 1, value: "fast" });
        expect(signals[0]?.aborted).toBe(true);
        expect(signals[1]?.aborted).toBe(false);
      }));

    it("select() rejects when the first branch to settle fails", () =>
      target.run(async ({ task, time }) => {
        const boom = new Error("branch failed");
        let loser: AbortSignal | undefined;
        const error = await errorOf(() =>
          task.select<number>([
            async (signal) => {
              loser = signal;
              await time.sleep(60_000, signal);
              return 1;
            },
            async () => {
              await time.sleep(1);
              throw boom;
            },
          ]),
        );
        expect(error).toBe(boom);
        expect(loser?.aborted).toBe(true);
        expect(await errorOf(() => task.select([]))).toBeInstanceOf(InvalidArgumentError);
      }));
  });
}

// Hand-offs through core's AsyncQueue / Notify / Mutex with a simulated TaskProvider resume the
// receiver through the scheduler: two receivers woken together run in an order the seed draws
// (plain promises would always run them in wake order).
import { AsyncQueue, Mutex, Notify } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";

async function receiveOrder(seed: number, scheduled: boolean): Promise<string> {
  let order = "";
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .seeds([seed])
    .workload({
      name: "w",
      async run(ctx) {
        const queue = new AsyncQueue<string>(scheduled ? ctx.task : undefined);
        const consumers = ["A", "B"].map((name) =>
          ctx.task.spawn(name, async () => {
            const item = await queue.recv();
            order += item; // which receiver it was does not matter: which item is handled first does
          }),
        );
        await ctx.time.sleep(1); // both consumers are waiting (A first)
        queue.push("1");
        queue.push("2");
        for (const c of consumers) await c.join();
      },
    })
    .run();
  expect(report.ok).toBe(true);
  return order;
}

describe("scheduler-owned hand-offs", () => {
  it("a race that needs the second receiver to run first is found through the queue", async () => {
    const scheduled = new Set<string>();
    const plain = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      scheduled.add(await receiveOrder(seed, true));
      plain.add(await receiveOrder(seed, false));
    }
    expect(plain).toEqual(new Set(["12"]));
    expect(scheduled.has("21")).toBe(true);
    expect(await receiveOrder(7, true)).toBe(await receiveOrder(7, true));
  });

  it("Notify and Mutex hand off through the scheduler too; the lock stays exclusive and FIFO", async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      let log = "";
      const report = await new SimulationBuilder()
        .logSeeds(false)
        .seeds([seed])
        .workload({
          name: "w",
          async run(ctx) {
            const mutex = new Mutex(ctx.task);
            const notify = new Notify(ctx.task);
            let inside = 0;
            const workers = ["x", "y", "z"].map((name) =>
              ctx.task.spawn(name, async () => {
                await mutex.runExclusive(async () => {
                  inside++;
                  expect(inside).toBe(1);
                  log += name;
                  await ctx.time.sleep(1);
                  inside--;
                });
              }),
            );
            // One waiter (Notify is single-consumer): woken through the scheduler, with a permit kept.
            const waiter = ctx.task.spawn("waiter", async () => {
              await notify.notified();
              log += "!";
              await notify.notified();
            });
            await ctx.time.sleep(1);
            notify.notify();
            notify.notify();
            for (const w of workers) await w.join();
            await waiter.join();
          },
        })
        .run();
      expect(report.ok, report.format()).toBe(true);
      orders.add(log);
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});

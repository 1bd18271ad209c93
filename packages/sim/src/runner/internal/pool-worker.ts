// The worker half of runFile's pool: after the module loaded and its plan was posted, run the
// seeds the coordinator sends, one at a time in arrival order, until it says "finish". Messages:
//   -> { type: "ready", base, seeds, settings }   once (the first one to arrive is the run's plan)
//   -> { type: "start", seed }                     before each seed (the parent arms its watchdog)
//   -> { type: "done", row, state, trace? }        after each seed (state: the worker's table so far)
//   -> { type: "finished", divergences, state }    after "finish" (determinism re-runs done)
//   <- { type: "seeds", seeds } | { type: "finish" }
import type { MessagePort } from "node:worker_threads";
import { exportAssertionState } from "@moonpool/assertions";
import type { SimulationBuilder } from "../builder.ts";
import type { PoolCommand } from "./worker-protocol.ts";

/** Serves `port` with `builder` (options applied, moduleUrl set); resolves once finished. */
export function servePool(builder: SimulationBuilder, port: MessagePort): Promise<void> {
  const plan = builder.seedPlan();
  const { session, settings, close } = builder.openSession();
  port.postMessage({ type: "ready", ...plan, settings });
  const queue: number[] = [];
  let finishing = false;
  let busy = false;
  return new Promise<void>((resolve, reject) => {
    // Drains the queue; the seeds run strictly one after another.
    const drain = async () => {
      if (busy) return;
      busy = true;
      try {
        for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
          port.postMessage({ type: "start", seed });
          const { record, trace } = await session.runSeed(seed);
          port.postMessage({
            type: "done",
            row: record,
            state: exportAssertionState(),
            ...(trace !== undefined ? { trace } : {}),
          });
        }
        if (finishing) {
          // The table is read before the determinism re-runs, which would count every seed twice.
          const state = exportAssertionState();
          const divergences = await session.divergences();
          port.postMessage({ type: "finished", divergences, state });
          port.off("message", onCommand);
          close();
          resolve();
        }
      } catch (error) {
        close();
        reject(error);
      } finally {
        busy = false;
      }
    };
    const onCommand = (m: PoolCommand) => {
      if (m.type === "seeds") queue.push(...m.seeds);
      else finishing = true;
      void drain();
    };
    port.on("message", onCommand);
  });
}

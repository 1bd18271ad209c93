// What each delivery mode promises, checked on the simulated network under connection faults.
import { NetworkAddress } from "@moonpool/core";
import { SimulationBuilder, type Workload } from "@moonpool/sim";
import { describe, expect, it } from "vitest";
import { NetTransport } from "../src/index.ts";
import {
  EXEC_ID,
  EXEC_PORT,
  Exec,
  execInvariant,
  execServer,
  pipelinedRpcSimulation,
} from "./sim/pipelinedRpc.ts";

describe("no duplicate on resend", () => {
  it("pipelined calls under random closes, partitions and link cuts never run twice", async () => {
    // Failed on the old peer (seeds 4 and 6): a failed write's whole batch was resent, though
    // the socket had already taken (and the server run) its first frames.
    const report = await pipelinedRpcSimulation().seeds([1, 2, 3, 4, 5, 6, 7, 8]).run();
    expect(report.failed, report.format()).toBe(0);
  });
});

describe("no silent loss of what was never sent", () => {
  it("getReply calls queued during a partition are all answered once after it heals", async () => {
    const answers: number[] = [];
    const answeredAt: number[] = [];
    const client: Workload = {
      name: "client",
      async run(ctx) {
        const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4701` });
        const api = Exec.clientWellKnown(
          t,
          NetworkAddress.parse(`${ctx.peer("server")}:${EXEC_PORT}`),
          EXEC_ID,
        );
        await ctx.time.sleep(10); // the partition is up
        const calls = Array.from({ length: 64 }, (_, i) =>
          api.exec.getReply({ id: i + 1, pad: ctx.random.bytes(2048) }, { timeoutMs: 60_000 }),
        );
        answers.push(...(await Promise.all(calls)));
        answeredAt.push(ctx.time.now());
        await t.close();
      },
    };
    const report = await new SimulationBuilder()
      .processes(1, execServer)
      .workload(client)
      .invariant("no request runs twice", execInvariant)
      .fault("partition from the start", async (f) => {
        f.partitionBoth("10.0.0.1", f.processes()[0]!.ip, 4_000);
      })
      .chaosDuration(10_000)
      .seeds([1, 2])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    for (const at of answeredAt) expect(at).toBeGreaterThanOrEqual(4_000); // only after the heal
    expect(answers).toEqual([
      ...Array.from({ length: 64 }, (_, i) => i + 1),
      ...Array.from({ length: 64 }, (_, i) => i + 1),
    ]);
  });
});

// The transport on the simulated network (@moonpool/sim): the same code as on real TCP.
import { NetworkAddress } from "@moonpool/core";
import { type Process, SimulationBuilder, type Workload } from "@moonpool/sim";
import { describe, expect, it } from "vitest";
import { defineService, method, NetTransport, type ReplyError } from "../src/index.ts";
import { CHAIN_ID, Chain, chainClient, chainInvariant, chainServer, SERVER_PORT } from "./sim/hashChain.ts";

function chainSimulation(durationMs = 12_000) {
  return new SimulationBuilder()
    .processes(1, chainServer)
    .workloads(2, (i) => chainClient(i, durationMs))
    .invariant("hash chain: no duplicate, reordered or lost append", chainInvariant);
}

describe("hash chain on the simulated network", () => {
  it("without faults every append is acknowledged and the chain is exact", async () => {
    const report = await chainSimulation(2_000).seeds([1, 2]).logSeeds(false).run();
    expect(report.failed, report.format()).toBe(0);
    expect(report.passed).toBe(2);
  });

  it("under network chaos, reboots and BUGGIFY the invariants hold", async () => {
    const report = await chainSimulation()
      .chaos({
        network: "random",
        attrition: { maxDead: 1, weights: { graceful: 1, crash: 1, wipe: 0 } },
        buggify: true,
      })
      .chaosDuration(10_000)
      .seeds([11, 12])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
  });

  it("is deterministic: the same seed gives the same traceHash", async () => {
    const a = await chainSimulation(3_000)
      .chaos({ network: "random" })
      .chaosDuration(5_000)
      .seeds([7])
      .logSeeds(false)
      .run();
    const b = await chainSimulation(3_000)
      .chaos({ network: "random" })
      .chaosDuration(5_000)
      .seeds([7])
      .logSeeds(false)
      .run();
    expect(a.seeds[0]!.traceHash).toBe(b.seeds[0]!.traceHash);
    expect(a.seeds[0]!.ok).toBe(true);
  });

  it("the invariant catches a server that forgets its chain on reboot", async () => {
    // Same server without the disk: a crash resets (n, h) and the chain check must fail.
    const forgetful = (): Process => {
      const real = chainServer();
      return {
        name: "server",
        async run(ctx) {
          // a fresh in-memory "disk" per boot
          const files = new Map<string, Uint8Array>();
          const storage = {
            ...ctx.storage,
            syncDir: async () => {},
            open: async () => {
              let data = files.get("chain.log") ?? new Uint8Array(0);
              return {
                read: async (off: number, len: number) => data.slice(off, off + len),
                write: async (off: number, bytes: Uint8Array) => {
                  const next = new Uint8Array(Math.max(data.length, off + bytes.length));
                  next.set(data);
                  next.set(bytes, off);
                  data = next;
                },
                sync: async () => {},
                size: async () => data.length,
                truncate: async () => {},
                close: async () => {},
              };
            },
          };
          await real.run(Object.assign(Object.create(ctx), { storage }));
        },
      };
    };
    const report = await new SimulationBuilder()
      .processes(1, forgetful)
      // Long enough to outlive a request timeout: a crashed server is silent, clients learn of
      // the crash through their own timeouts (or an RST once it is back).
      .workloads(1, (i) => chainClient(i, 15_000))
      .invariant("hash chain", chainInvariant)
      .fault("reboot the server once", async (f) => {
        await f.time.sleep(300);
        f.reboot(f.processes()[0]!.ip, "crash");
      })
      .chaosDuration(20_000)
      .seeds([5])
      .logSeeds(false)
      .run();
    expect(report.failed).toBe(1);
    expect(report.seeds[0]!.error).toMatch(/chain broken|not in the chain/);
  });
});

describe("a reply over the frame cap on the simulated network", () => {
  it("the client gets ReplyTooLarge at once and the seed's trace records it", async () => {
    const Big = defineService("Big", { blob: method<number, string>() });
    const outcomes: string[] = [];
    const cursor = {};
    let traced = 0;
    const report = await new SimulationBuilder()
      .invariant("count reply_too_large", (trace) => {
        traced += trace.since("transport.reply_too_large", cursor).length;
      })
      .processes(1, () => ({
        name: "server",
        async run(ctx) {
          const t = await NetTransport.listen(ctx.providers, {
            localAddress: `${ctx.ip}:${SERVER_PORT}`,
            trace: ctx.trace.bind(ctx),
          });
          const handle = Big.wellKnown(t, 9).serve({ blob: (n) => "x".repeat(n) });
          await new Promise<void>((r) => ctx.shutdown.addEventListener("abort", () => r(), { once: true }));
          await handle.stop();
          await t.close();
        },
      }))
      .workload({
        name: "client",
        async run(ctx) {
          const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4501` });
          const api = Big.clientWellKnown(t, NetworkAddress.parse(`${ctx.peer("server")}:${SERVER_PORT}`), 9);
          const started = ctx.time.now();
          const r = await api.blob
            .getReply(2 * 1024 * 1024, { timeoutMs: 60_000 })
            .catch((e: ReplyError) => e.kind);
          outcomes.push(`${r}:${ctx.time.now() - started < 1_000}`);
          await t.close();
        },
      })
      .seeds([1])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(outcomes).toEqual(["ReplyTooLarge:true"]);
    expect(traced).toBe(1);
  });
});

describe("delivery modes on the simulated network", () => {
  const echoServer = (): Process => ({
    name: "server",
    async run(ctx) {
      const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:${SERVER_PORT}` });
      const handle = Chain.wellKnown(t, CHAIN_ID).serve({ append: (r) => ({ n: r.seq, h: 0n, prev: 0n }) });
      await new Promise<void>((r) => ctx.shutdown.addEventListener("abort", () => r(), { once: true }));
      await handle.stop();
      await t.close();
    },
  });

  it("a partition: tryGetReply fails fast (MaybeDelivered/Timeout), getReply succeeds after it heals", async () => {
    const outcomes: string[] = [];
    const client: Workload = {
      name: "client",
      async run(ctx) {
        const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4501` });
        const api = Chain.clientWellKnown(
          t,
          NetworkAddress.parse(`${ctx.peer("server")}:${SERVER_PORT}`),
          CHAIN_ID,
        );
        const req = { session: "s", seq: 1, block: [] };
        outcomes.push(`before:${(await api.append.getReply(req)).n}`);
        await ctx.time.sleep(1_000); // the partition starts at 500 ms
        const during = await api.append
          .tryGetReply(req, { timeoutMs: 3_000 })
          .catch((e: ReplyError) => e.kind);
        outcomes.push(`during:${during}`);
        const after = await api.append.getReply({ ...req, seq: 2 }, { timeoutMs: 60_000 });
        outcomes.push(`after:${after.n}`);
        await t.close();
      },
    };
    const report = await new SimulationBuilder()
      .processes(1, echoServer)
      .workload(client)
      .fault("partition", async (f) => {
        await f.time.sleep(500);
        const server = f.processes()[0]!.ip;
        f.partitionBoth("10.0.0.1", server, 10_000);
      })
      .chaosDuration(20_000)
      .seeds([3])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(outcomes[0]).toBe("before:1");
    expect(["during:MaybeDelivered", "during:Timeout"]).toContain(outcomes[1]);
    expect(outcomes[2]).toBe("after:2");
  });

  it("a crashed server: tryGetReply reports MaybeDelivered; calls succeed again after it reboots", async () => {
    const outcomes: string[] = [];
    const client: Workload = {
      name: "client",
      async run(ctx) {
        const t = await NetTransport.listen(ctx.providers, {
          localAddress: `${ctx.ip}:4501`,
          peerConfig: { maxReconnectDelayMs: 1_000 },
        });
        const api = Chain.clientWellKnown(
          t,
          NetworkAddress.parse(`${ctx.peer("server")}:${SERVER_PORT}`),
          CHAIN_ID,
        );
        const req = { session: "s", seq: 1, block: [] };
        await api.append.getReply(req);
        await ctx.time.sleep(600); // the crash happens at 500 ms, recovery takes 2 s
        outcomes.push(String(await api.append.tryGetReply(req).catch((e: ReplyError) => e.kind)));
        let ok: number | undefined;
        for (let i = 0; i < 30 && ok === undefined; i++) {
          ok = await api.append.getReply({ ...req, seq: 9 }, { timeoutMs: 1_000 }).then(
            (r) => r.n,
            () => undefined,
          );
        }
        outcomes.push(`recovered:${ok}`);
        await t.close();
      },
    };
    const report = await new SimulationBuilder()
      .processes(1, echoServer)
      .workload(client)
      .chaos({
        attrition: {
          maxDead: 1,
          restartDelay: { minMs: 2000, maxMs: 2000 },
          interval: { minMs: 1_000_000, maxMs: 1_000_000 },
        },
      })
      .fault("crash", async (f) => {
        await f.time.sleep(500);
        f.reboot(f.processes()[0]!.ip, "crash");
      })
      .chaosDuration(30_000)
      .seeds([4])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(outcomes).toEqual(["MaybeDelivered", "recovered:9"]);
  });
});

// `node:net` inside a seed is the current actor's simulated network: unmodified code that calls
// net.connect / net.createServer (and node:http's client, which uses net.createConnection) runs on
// it, deterministically, and never opens a real socket.
import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";
import { run } from "../engine/helpers.ts";

function echoCluster(seeds: number[], lines: string[]) {
  return new SimulationBuilder()
    .logSeeds(false)
    .seeds(seeds)
    .processes(1, () => ({
      name: "echo",
      async run(ctx) {
        const server = net.createServer((socket) => socket.pipe(socket));
        await new Promise<void>((resolve) => server.listen(7000, resolve));
        ctx.trace("listening", { address: String((server.address() as net.AddressInfo | null)?.address) });
        await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
        server.close();
      },
    }))
    .workload({
      name: "client",
      async run(ctx) {
        await ctx.time.sleep(1);
        const socket = net.connect(7000, "echo");
        const text = await new Promise<string>((resolve, reject) => {
          let got = "";
          socket.setEncoding("utf8");
          socket.on("data", (chunk: string) => {
            got += chunk;
          });
          socket.on("end", () => resolve(got));
          socket.on("error", reject);
          socket.end(`hello from ${ctx.ip} at ${ctx.time.now()}`);
        });
        lines.push(`${text} remote=${socket.remoteAddress}:${socket.remotePort} t=${ctx.time.now()}`);
      },
    })
    .run();
}

describe("node:net routed to the simulated network", () => {
  it("net.createServer and net.connect reach the actor by name, the same in a batch and alone", async () => {
    const batch: string[] = [];
    const report = await echoCluster([1, 2, 3], batch);
    expect(report.ok).toBe(true);
    expect(batch).toHaveLength(3);
    expect(batch[0]).toMatch(/^hello from \S+ at 1 remote=\S+:7000/);
    const alone: string[] = [];
    await echoCluster([3], alone);
    expect(alone[0]).toBe(batch[2]);
  });

  it("node:http's client (http.get, no agent options) runs on it", async () => {
    const bodies: string[] = [];
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .seeds([5])
      .processes(1, () => ({
        name: "web",
        async run(ctx) {
          const server = http.createServer((req, res) => res.end(`hello ${req.url}`));
          const listener = net.createServer((socket) => server.emit("connection", socket));
          listener.listen(80);
          await new Promise<void>((resolve) => ctx.shutdown.addEventListener("abort", () => resolve()));
          listener.close();
          server.closeAllConnections();
        },
      }))
      .workload({
        name: "client",
        async run(ctx) {
          await ctx.time.sleep(1);
          const agent = new http.Agent({ keepAlive: false });
          const body = await new Promise<string>((resolve, reject) => {
            http
              .get("http://web/x", { agent }, (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (c: string) => {
                  text += c;
                });
                res.on("end", () => resolve(text));
              })
              .on("error", reject);
          });
          bodies.push(body);
        },
      })
      .run();
    expect(report.ok, report.format()).toBe(true);
    expect(bodies).toEqual(["hello /x"]);
  });

  it("a connection to an address nobody listens on is refused with ECONNREFUSED", async () => {
    const codes: string[] = [];
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .seeds([1])
      .workload({
        name: "client",
        async run() {
          const socket = net.connect(9, "10.9.9.9");
          codes.push(
            await new Promise<string>((resolve) =>
              socket.on("error", (e: Error & { code?: string }) => resolve(String(e.code))),
            ),
          );
        },
      })
      .run();
    expect(report.ok, report.format()).toBe(true);
    expect(codes[0]).toMatch(/^E[A-Z]+$/);
  });

  it("outside any actor, net.connect in a seed is refused with the fix (never a real socket)", async () => {
    const outcome = await run(7, async () => {
      net.connect(80, "127.0.0.1");
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.message).toMatch(
      /net\.connect\(\) was called inside a simulation outside any process or workload/,
    );
  });
});

describe("real network entry points without a simulated twin", () => {
  it("tls, https and dgram are refused inside a seed with the alternative named, never sent", async () => {
    const tls = await import("node:tls");
    const https = await import("node:https");
    const dgram = await import("node:dgram");
    const errors: string[] = [];
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .seeds([1])
      .workload({
        name: "w",
        async run() {
          for (const attempt of [
            () => tls.connect(443, "10.0.1.1"),
            () => tls.createServer(),
            () => https.get("https://10.0.1.1/"),
            () => dgram.createSocket("udp4"),
          ]) {
            try {
              attempt();
              errors.push("not refused");
            } catch (e) {
              errors.push((e as Error).message);
            }
          }
        },
      })
      .run();
    expect(report.ok).toBe(true);
    expect(errors[0]).toMatch(/tls.connect\(\) was called inside a simulation .*node:net or ctx.network/);
    expect(errors[1]).toMatch(/tls.createServer\(\)/);
    expect(errors[2]).toMatch(/an https request/);
    expect(errors[3]).toMatch(/dgram.createSocket\(\).*ctx.network/);
    // outside a seed they are the real functions
    const socket = dgram.createSocket("udp4");
    socket.close();
  });
});

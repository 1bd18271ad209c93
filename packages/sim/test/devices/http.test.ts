// Unmodified node:http over the simulated network: an http.Server fed with accepted simulated
// connections, and http.request clients whose createConnection returns a simulated Duplex, with
// and without a keep-alive Agent. Runs inside the real executor, deterministically.
import http from "node:http";
import type { Duplex } from "node:stream";
import type { NetworkChaosConfig } from "@moonpool/chaos";
import type { NetworkProvider } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { type DeviceWorld, runDevicesOk } from "./engine.ts";
import { netConfig } from "./helpers.ts";

const SERVER = "10.0.1.1";

/** Starts an http.Server on the simulated network at SERVER:80; returns connection count + stop. */
async function startServer(
  world: DeviceWorld,
): Promise<{ connections: () => number; stop: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.sendDate = false; // node:http's Date header reads an internal clock
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      if (req.url === "/missing") {
        res.statusCode = 404;
        res.end("not found");
        return;
      }
      res.setHeader("content-type", "text/plain");
      res.end(`${req.method} ${req.url} ${body} from ${req.socket.remoteAddress}`);
    });
  });
  const p = world.providers(SERVER);
  const listener = await p.network.listen(`${SERVER}:80`);
  let connections = 0;
  const acceptLoop = p.task.spawn("accept", async () => {
    for (;;) {
      const conn = await listener.accept().catch(() => null);
      if (conn === null) return;
      connections += 1;
      server.emit("connection", conn.toDuplex());
    }
  });
  return {
    connections: () => connections,
    stop: async () => {
      await listener.close();
      await acceptLoop.join();
      server.close();
      server.closeAllConnections();
    },
  };
}

/** Opens a simulated connection for node:http (callback form of createConnection). */
function simCreateConnection(network: NetworkProvider, onOpen?: () => void) {
  return (
    options: { host?: string | null; port?: number | string | null },
    callback: (err: Error | null, socket?: Duplex) => void,
  ) => {
    network.connect(`${options.host ?? SERVER}:${options.port ?? 80}`).then(
      (conn) => {
        onOpen?.();
        callback(null, conn.toDuplex());
      },
      (error: Error) => callback(error),
    );
    return undefined;
  };
}

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(options: http.RequestOptions, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

class SimAgent extends http.Agent {
  readonly #network: NetworkProvider;
  opened = 0;
  constructor(network: NetworkProvider) {
    super({ keepAlive: true, maxSockets: 1 });
    this.#network = network;
  }
  override createConnection(
    options: { host?: string | null; port?: number | string | null },
    callback: (err: Error | null, socket?: Duplex) => void,
  ): undefined {
    return simCreateConnection(this.#network, () => {
      this.opened += 1;
    })(options, callback);
  }
}

async function scenario(seed: number, network?: NetworkChaosConfig) {
  const results: string[] = [];
  const stats = { serverConnections: 0, agentConnections: 0 };
  const times: number[] = [];
  const { trace, outcome } = await runDevicesOk(
    seed,
    async (world, self) => {
      const server = await startServer(world);
      // Without an agent: one connection per request.
      for (let i = 0; i < 3; i++) {
        const reply = await request(
          {
            host: SERVER,
            port: 80,
            method: "POST",
            path: `/plain/${i}`,
            createConnection: simCreateConnection(
              self.network,
            ) as unknown as http.RequestOptions["createConnection"],
          },
          `body-${i}`,
        );
        results.push(`${reply.status} ${reply.body}`);
        times.push(world.kernel.nowNs());
      }
      const missing = await request({
        host: SERVER,
        port: 80,
        path: "/missing",
        createConnection: simCreateConnection(
          self.network,
        ) as unknown as http.RequestOptions["createConnection"],
      });
      results.push(`${missing.status} ${missing.body}`);
      // With a keep-alive agent: requests share one connection.
      const agent = new SimAgent(self.network);
      for (let i = 0; i < 3; i++) {
        const reply = await request({ host: SERVER, port: 80, path: `/kept/${i}`, agent });
        results.push(`${reply.status} ${reply.body} ${reply.headers.connection}`);
        times.push(world.kernel.nowNs());
      }
      // The server closes idle keep-alive connections after keepAliveTimeout plus Node's 1 s buffer
      // (6 s on the simulated clock); the agent sees the reset of its idle socket and opens a new
      // connection for the next request. (A request sent right at 6 s would hit the classic
      // keep-alive race and fail with ECONNRESET, as it does on real TCP.)
      await self.time.sleep(8_000);
      const late = await request({ host: SERVER, port: 80, path: "/late", agent });
      results.push(`${late.status} ${late.body}`);
      stats.agentConnections = agent.opened;
      agent.destroy();
      stats.serverConnections = server.connections();
      await server.stop();
    },
    network === undefined ? {} : { network },
  );
  return { results, stats, trace, times, engineHash: outcome.engineHash };
}

describe("node:http over the simulated network", () => {
  it.each([7, 8, 9])("serves requests with and without a keep-alive agent (seed %i)", async (seed) => {
    const { results, stats } = await scenario(seed);
    expect(results.slice(0, 3)).toEqual([
      "200 POST /plain/0 body-0 from 10.0.0.1",
      "200 POST /plain/1 body-1 from 10.0.0.1",
      "200 POST /plain/2 body-2 from 10.0.0.1",
    ]);
    expect(results[3]).toBe("404 not found");
    expect(results.slice(4, 7)).toEqual([
      "200 GET /kept/0  from 10.0.0.1 keep-alive",
      "200 GET /kept/1  from 10.0.0.1 keep-alive",
      "200 GET /kept/2  from 10.0.0.1 keep-alive",
    ]);
    expect(results[7]).toBe("200 GET /late  from 10.0.0.1");
    expect(stats.agentConnections).toBe(2); // one kept alive for 3 requests, one after the idle close
    expect(stats.serverConnections).toBe(6);
  });

  it("works when segments are split and reads are partial", async () => {
    const chaos = netConfig({
      partialWrite: { probability: 0.5, maxBytes: 20 },
      partialRead: { probability: 0.5, maxBytes: 15 },
      latency: { delivery: { kind: "exponential", minMs: 0.1, meanMs: 2 } },
    });
    const { results, trace } = await scenario(12, chaos);
    expect(results[0]).toBe("200 POST /plain/0 body-0 from 10.0.0.1");
    expect(results[3]).toBe("404 not found");
    expect(results[6]).toBe("200 GET /kept/2  from 10.0.0.1 keep-alive");
    expect(trace.filter((e) => e.name === "sim_fault").length).toBeGreaterThan(10);
  });

  it("is deterministic: the same seed gives the same trace and timing", async () => {
    const a = await scenario(11);
    const b = await scenario(11);
    expect(b.results).toEqual(a.results);
    expect(b.trace).toEqual(a.trace);
    expect(b.times).toEqual(a.times);
    expect(a.times.every((t, i) => i === 0 || t > (a.times[i - 1] as number))).toBe(true);
    expect(b.engineHash).toBe(a.engineHash);
    expect((await scenario(12)).times).not.toEqual(a.times);
  });
});

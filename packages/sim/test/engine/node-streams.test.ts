// The drain must stay correct when Node's own streams queue process.nextTick callbacks: a naive
// drain would advance virtual time before their microtasks ran (see ARCHITECTURE.md).
import * as http from "node:http";
import { Duplex, PassThrough, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import type { SimKernel } from "../../src/engine/kernel.ts";
import { runOk } from "./helpers.ts";

/** Two connected in-memory Duplexes; every chunk (and the end) reaches the peer 1 ms later through a kernel waker. */
function duplexPair(kernel: SimKernel): [Duplex, Duplex] {
  class SimDuplex extends Duplex {
    peer!: SimDuplex;
    remoteAddress = "10.0.0.9";
    override _read(): void {}
    override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
      // Like a socket: the write completes once handed over; the peer receives it 1 ms later, in
      // a continuation the scheduler resumes. (A write callback delayed until delivery stalls
      // node:http keep-alive reuse even on plain Node, so that is not what is tested here.)
      const arrival = kernel.waker<void>("delivery");
      kernel.schedule(1, "deliver", () => arrival.wake());
      arrival.promise.then(() => this.peer.push(chunk));
      done();
    }
    override _final(done: (error?: Error | null) => void): void {
      const arrival = kernel.waker<void>("end delivery");
      kernel.schedule(1, "deliver end", () => arrival.wake());
      arrival.promise.then(() => this.peer.push(null));
      done();
    }
    setNoDelay(): this {
      return this;
    }
    setKeepAlive(): this {
      return this;
    }
    setTimeout(): this {
      return this;
    }
    ref(): this {
      return this;
    }
    unref(): this {
      return this;
    }
  }
  const a = new SimDuplex();
  const b = new SimDuplex();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

describe("Node streams inside the drain", () => {
  it("a PassThrough piped through stream.pipeline finishes at the right virtual time", async () => {
    await runOk(1, async (_k, actors) => {
      const a = actors.createActor("a", "10.0.0.1");
      const pass = new PassThrough();
      const collected: string[] = [];
      let finishedAt = -1;
      const upper = new Transform({
        transform(chunk, _enc, done) {
          done(null, String(chunk).toUpperCase());
        },
      });
      const sink = new Writable({
        write(chunk, _enc, done) {
          collected.push(String(chunk));
          done();
        },
      });
      const writer = a.task.spawn("writer", async () => {
        pass.write("a");
        await a.time.sleep(1);
        pass.write("b");
        await a.time.sleep(1);
        pass.end("c");
      });
      const bystander = a.task.spawn("bystander", () => a.time.sleep(100));
      await pipeline(pass, upper, sink);
      finishedAt = a.time.now();
      await writer.join();
      await bystander.join();
      expect(collected.join("")).toBe("ABC");
      expect(finishedAt).toBe(2);
    });
  });

  it("node:http with a keep-alive agent over a simulated Duplex pair", async () => {
    await runOk(2, async (kernel, actors) => {
      const client = actors.createActor("client", "10.0.0.1");
      let connections = 0;
      const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => {
          body += d;
        });
        req.on("end", () => res.end(`${req.method} ${req.url} ${body} @${client.time.now()}`));
      });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      (agent as unknown as { createConnection: () => Duplex }).createConnection = () => {
        connections++;
        const [c, s] = duplexPair(kernel);
        server.emit("connection", s);
        return c;
      };
      const request = (path: string, body: string) =>
        new Promise<string>((resolve, reject) => {
          const req = http.request({ host: "10.0.1.1", port: 80, path, method: "POST", agent }, (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (d) => {
              text += d;
            });
            res.on("end", () => resolve(`${res.statusCode} ${text}`));
          });
          req.on("error", reject);
          req.end(body);
        });
      const bystander = client.task.spawn("bystander", () => client.time.sleep(100));
      const first = await request("/one", "x");
      const second = await request("/two", "yy");
      // Two round trips of 1 ms hops: time must not jump ahead to the bystander's 100 ms.
      expect(first).toBe("200 POST /one x @1");
      expect(second).toBe("200 POST /two yy @3");
      expect(client.time.now()).toBe(4);
      expect(connections).toBe(1);
      agent.destroy();
      await bystander.join();
    });
  });
});

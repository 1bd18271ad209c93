import { defaultNetworkChaos } from "@moonpool/chaos";
import { type Connection, InvalidArgumentError } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { unownedDevices } from "../../src/engine/device-owner.ts";
import { SimNetwork } from "../../src/network/index.ts";
import { FakeKernel } from "./fake-kernel.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function readAll(c: Connection): Promise<string> {
  let out = "";
  for (let chunk = await c.read(); chunk !== null; chunk = await c.read()) out += dec(chunk);
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

function world(seed = 1) {
  const kernel = new FakeKernel(seed);
  const net = new SimNetwork(kernel);
  return { kernel, net, a: net.networkFor("10.0.0.1"), b: net.networkFor("10.0.1.1") };
}

describe("SimNetwork basics", () => {
  it("connects, echoes both ways and keeps FIFO order", async () => {
    const { kernel, a, b } = world();
    await kernel.run(async () => {
      const listener = await b.listen("10.0.1.1:4500");
      expect(listener.address).toBe("10.0.1.1:4500");
      const client = await a.connect("10.0.1.1:4500");
      const server = await listener.accept();
      expect(client.remoteAddress).toBe("10.0.1.1:4500");
      expect(server.remoteAddress).toBe(client.localAddress);
      expect(client.localAddress.startsWith("10.0.0.1:")).toBe(true);
      for (let i = 0; i < 50; i++) await client.write(enc(`${i},`));
      await client.close();
      const got = await readAll(server);
      expect(got).toBe(Array.from({ length: 50 }, (_, i) => `${i},`).join(""));
      await server.write(enc("bye"));
      await server.close();
      expect(await readAll(client)).toBe("bye");
    });
    expect(kernel.nowMs()).toBeGreaterThan(1); // connect latency 1-5 ms by default
  });

  it("refuses unbound addresses and detects double binds; port 0 picks distinct ports", async () => {
    const { kernel, a, b } = world();
    await kernel.run(async () => {
      expect(await codeOf(a.connect("10.0.1.1:1"))).toBe("ECONNREFUSED");
      const l1 = await b.listen("10.0.1.1:0");
      const l2 = await b.listen("0.0.0.0:0");
      expect(l1.address).not.toBe(l2.address);
      expect(l2.address.startsWith("0.0.0.0:")).toBe(true);
      expect(await codeOf(b.listen(l1.address))).toBe("EADDRINUSE");
      expect(await codeOf(b.listen("10.0.0.1:80"))).toBe("EADDRNOTAVAIL");
      await l1.close();
      const again = await b.listen(l1.address);
      expect(again.address).toBe(l1.address);
    });
  });

  it("rejects malformed addresses with InvalidArgumentError naming the argument", async () => {
    const { kernel, a } = world();
    await kernel.run(async () => {
      for (const bad of ["nope", "10.0.0.1", "10.0.0.1:99999", "host.example:80", ":80"]) {
        const err = await a.connect(bad).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect((err as InvalidArgumentError).argument).toBe("address");
      }
    });
  });

  it("queues several connects before accept, in arrival order", async () => {
    const { kernel, a, b } = world();
    await kernel.run(async () => {
      const listener = await b.listen("10.0.1.1:7");
      const clients = [];
      for (let i = 0; i < 4; i++) clients.push(await a.connect("10.0.1.1:7"));
      const accepted = [];
      for (let i = 0; i < 4; i++) accepted.push(await listener.accept());
      expect(accepted.map((s) => s.remoteAddress)).toEqual(clients.map((c) => c.localAddress));
    });
  });

  it("loopback addresses reach the actor's own listeners", async () => {
    const { kernel, b } = world();
    await kernel.run(async () => {
      const listener = await b.listen("127.0.0.1:0");
      const client = await b.connect(listener.address);
      const server = await listener.accept();
      expect(client.localAddress.startsWith("127.0.0.1:")).toBe(true);
      await client.write(enc("hi"));
      expect(dec(await server.read())).toBe("hi");
    });
  });

  it("abort sends an RST: peer reads reject ECONNRESET, writes afterwards EPIPE", async () => {
    const { kernel, a, b } = world();
    await kernel.run(async () => {
      const listener = await b.listen("10.0.1.1:9");
      const client = await a.connect("10.0.1.1:9");
      const server = await listener.accept();
      const pendingRead = server.read();
      client.abort();
      expect(await codeOf(pendingRead)).toBe("ECONNRESET");
      expect(await codeOf(server.write(enc("x")))).toBe("EPIPE");
      expect(await codeOf(client.write(enc("x")))).toBe("EPIPE");
      expect(await codeOf(client.read())).toBe("ECONNABORTED");
    });
  });

  it("applies backpressure: write resolves only when the reader makes room", async () => {
    const kernel = new FakeKernel(3);
    const net = new SimNetwork(kernel, { bufferBytes: 1000 });
    const a = net.networkFor("10.0.0.1");
    const b = net.networkFor("10.0.1.1");
    await kernel.run(async () => {
      const listener = await b.listen("10.0.1.1:9");
      const client = await a.connect("10.0.1.1:9");
      const server = await listener.accept();
      await client.write(new Uint8Array(1000));
      let done = false;
      const blocked = client.write(new Uint8Array(10)).then(() => {
        done = true;
      });
      await kernel.sleep(100);
      expect(done).toBe(false);
      let got = 0;
      while (got < 1010) got += (await server.read())?.length ?? 0;
      await blocked;
      expect(done).toBe(true);
    });
  });

  it("small writes under backpressure stay whole segments (silly-window avoidance)", async () => {
    const kernel = new FakeKernel(4);
    const net = new SimNetwork(kernel, { bufferBytes: 1000 });
    await kernel.run(async () => {
      const listener = await net.networkFor("10.0.1.1").listen("10.0.1.1:9");
      const client = await net.networkFor("10.0.0.1").connect("10.0.1.1:9");
      const server = await listener.accept();
      const reader = (async () => {
        const sizes: number[] = [];
        while (sizes.length < 300) sizes.push((await server.read())?.length ?? 0);
        return sizes;
      })();
      for (let i = 0; i < 300; i++) await client.write(new Uint8Array(30));
      // Every read returns one whole 30-byte write: nothing was split into slivers.
      expect(new Set(await reader)).toEqual(new Set([30]));
    });
  });

  it("crash(ip) silences the ip: its peers learn of it only through their own traffic", async () => {
    const { kernel, net, a, b } = world();
    await kernel.run(async () => {
      const listener = await b.listen("10.0.1.1:9");
      const client = await a.connect("10.0.1.1:9");
      await listener.accept();
      let settled = false;
      const pendingRead = client.read().finally(() => {
        settled = true;
      });
      net.crash("10.0.1.1", "crash");
      await kernel.sleep(5_000);
      expect(settled).toBe(false); // a crashed host sends nothing: no instant reset
      await client.write(enc("anyone?")); // accepted by our stack, unanswered while it is down
      await kernel.sleep(5_000);
      expect(settled).toBe(false);
      // A connect to the down host gets no answer either: ETIMEDOUT, not a refusal.
      expect(await codeOf(a.connect("10.0.1.1:9"))).toBe("ETIMEDOUT");
      // The host comes back: the retransmitted segment meets it and is answered with an RST.
      net.networkFor("10.0.1.1", unownedDevices(kernel));
      expect(await codeOf(pendingRead)).toBe("ECONNRESET");
      expect(await codeOf(a.connect("10.0.1.1:9"))).toBe("ECONNREFUSED");
      expect(net.liveEndpoints).toBe(0);
    });
  });

  it("a graceful crash closes listeners and sends a FIN on every connection of the ip", async () => {
    const { kernel, net, a, b } = world();
    await kernel.run(async () => {
      const listener = await b.listen("10.0.1.1:9");
      const client = await a.connect("10.0.1.1:9");
      const server = await listener.accept();
      await server.write(enc("last"));
      net.crash("10.0.1.1", "graceful");
      expect(await readAll(client)).toBe("last"); // data, then a clean end of stream
      expect(await codeOf(listener.accept())).toBe("ECONNABORTED");
      expect(await codeOf(a.connect("10.0.1.1:9"))).toBe("ECONNREFUSED");
    });
  });

  it("is deterministic per seed", async () => {
    const trace = async (seed: number) => {
      const kernel = new FakeKernel(seed);
      const net = new SimNetwork(kernel, { config: defaultNetworkChaos() });
      const a = net.networkFor("10.0.0.1");
      const b = net.networkFor("10.0.1.1");
      const times: number[] = [];
      await kernel.run(async () => {
        const listener = await b.listen("10.0.1.1:9");
        const client = await a.connect("10.0.1.1:9");
        const server = await listener.accept();
        for (let i = 0; i < 20; i++) {
          await client.write(enc("m"));
          await server.read();
          times.push(kernel.nowNs());
        }
      });
      return times;
    };
    expect(await trace(5)).toEqual(await trace(5));
    expect(await trace(5)).not.toEqual(await trace(6));
  });
});

// Connection.toDuplex(): a net.Socket look-alike over the simulated network, run in the real
// executor (Node streams queue their own ticks).
import { once } from "node:events";
import type { Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Connection, Providers } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import type { SimConnection, SimSocketDuplex } from "../../src/network/index.ts";
import { type DeviceWorld, runDevicesOk } from "./engine.ts";
import { codeOf } from "./helpers.ts";

const B = "10.0.1.1";

async function pair(
  world: DeviceWorld,
  self: Providers,
): Promise<{ client: Connection; server: Connection }> {
  const listener = await world.providers(B).network.listen(`${B}:80`);
  const client = await self.network.connect(`${B}:80`);
  return { client, server: await listener.accept() };
}

function collect(stream: Duplex): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      text += chunk;
    });
    stream.on("end", () => resolve(text));
    stream.on("error", reject);
  });
}

describe("Connection.toDuplex()", () => {
  it("is idempotent and exposes net.Socket addresses", async () => {
    await runDevicesOk(1, async (world, self) => {
      const { client, server } = await pair(world, self);
      const d = client.toDuplex() as SimSocketDuplex;
      expect(client.toDuplex()).toBe(d);
      expect(d.remoteAddress).toBe(B);
      expect(d.remotePort).toBe(80);
      expect(d.remoteFamily).toBe("IPv4");
      expect(d.localAddress).toBe("10.0.0.1");
      expect(d.localPort).toBe(Number(client.localAddress.split(":")[1]));
      expect(d.address()).toEqual({ address: "10.0.0.1", family: "IPv4", port: d.localPort });
      expect((server.toDuplex() as SimSocketDuplex).remotePort).toBe(d.localPort);
      expect(d.setNoDelay(true)).toBe(d);
      expect(d.noDelay).toBe(true);
      expect(d.setKeepAlive(true, 1000)).toBe(d);
      expect(d.keepAlive).toBe(true);
      expect(d.readyState).toBe("open");
      d.destroy();
      server.abort();
    });
  });

  it("carries bytes both ways; end() sends a FIN and the other direction stays open (allowHalfOpen)", async () => {
    await runDevicesOk(2, async (world, self) => {
      const { client, server } = await pair(world, self);
      const c = client.toDuplex();
      const s = server.toDuplex();
      const serverGot = collect(s);
      c.write("hello ");
      c.end("world");
      expect(await serverGot).toBe("hello world");
      expect(s.writable).toBe(true); // half-open: the server may still answer
      const clientGot = collect(c);
      s.end("reply");
      expect(await clientGot).toBe("reply");
      if (!c.closed) await once(c, "close"); // both sides done: auto-destroyed, no RST
      expect(c.destroyed).toBe(true);
      expect((c as SimSocketDuplex).bytesWritten).toBe(11);
      expect((c as SimSocketDuplex).bytesRead).toBe(5);
    });
  });

  it("with allowHalfOpen false, the peer's FIN ends our side too (net.createConnection's default)", async () => {
    await runDevicesOk(6, async (world, self) => {
      const { client, server } = await pair(world, self);
      const c = (client as SimConnection).toDuplex({ allowHalfOpen: false });
      const got = collect(c);
      await server.write(new TextEncoder().encode("bye"));
      await server.close();
      expect(await got).toBe("bye");
      if (!c.closed) await once(c, "close");
      expect(await server.read()).toBeNull(); // our automatic FIN reached the server
    });
  });

  it("destroy() resets the connection: the peer's stream errors with ECONNRESET", async () => {
    await runDevicesOk(3, async (world, self) => {
      const { client, server } = await pair(world, self);
      const s = server.toDuplex();
      s.resume();
      const failed = once(s, "error").then(([e]) => (e as { code?: string }).code);
      client.toDuplex().destroy();
      expect(await failed).toBe("ECONNRESET");
      expect(await codeOf(client.write(new Uint8Array(1)))).toBe("EPIPE");
    });
  });

  it("setTimeout fires on the simulated clock after idleness, re-armed by activity", async () => {
    await runDevicesOk(4, async (world, self) => {
      const { client, server } = await pair(world, self);
      const d = client.toDuplex() as SimSocketDuplex;
      d.resume();
      const start = world.kernel.nowMs();
      const fired: number[] = [];
      d.setTimeout(1000, () => fired.push(world.kernel.nowMs() - start));
      await self.time.sleep(600);
      await server.write(new Uint8Array([1])); // activity at ~600 ms pushes the deadline out
      await self.time.sleep(2000);
      expect(fired).toHaveLength(1);
      expect(fired[0]).toBeGreaterThanOrEqual(1600);
      expect(d.timeout).toBe(1000);
      d.setTimeout(0);
      expect(d.timeout).toBeUndefined();
      d.destroy();
      server.abort();
    });
  });

  it("works with stream.pipeline (an echo through the simulated network)", async () => {
    await runDevicesOk(5, async (world, self) => {
      const { client, server } = await pair(world, self);
      const s = server.toDuplex();
      const echo = pipeline(s, s); // the server echoes what it reads, then ends
      const c = client.toDuplex();
      const got = collect(c);
      for (let i = 0; i < 100; i++) c.write(`line ${i}\n`);
      c.end();
      const text = await got;
      await echo;
      expect(text.split("\n").filter(Boolean)).toHaveLength(100);
      expect(text.startsWith("line 0\nline 1\n")).toBe(true);
    });
  });
});

import { describe, expect, it } from "vitest";
import type { Connection, Listener } from "../Network.ts";
import type { Providers } from "../Providers.ts";
import type { ConformanceTarget } from "./ConformanceTarget.ts";
import { concat, expectCode, firstDifference, text, utf8 } from "./internal/expectations.ts";

const MIB = 1024 * 1024;

/** Reads until end of stream. */
async function readAll(conn: Connection): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await conn.read(); chunk !== null; chunk = await conn.read()) chunks.push(chunk);
  return concat(chunks);
}

/** Reads exactly `n` bytes (fails on a premature end of stream). */
async function readExactly(conn: Connection, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const chunk = await conn.read();
    if (chunk === null) throw new Error(`end of stream after ${got} of ${n} bytes`);
    chunks.push(chunk);
    got += chunk.byteLength;
  }
  return concat(chunks);
}

/** A listener on port 0 and a connected pair (client, accepted server side). */
async function pair(
  p: Providers,
  host: string,
): Promise<{ listener: Listener; client: Connection; server: Connection }> {
  const listener = await p.network.listen(`${host}:0`);
  const client = await p.network.connect(listener.address);
  const server = await listener.accept();
  return { listener, client, server };
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1));
}

/** NetworkProvider: TCP semantics every implementation shares (addresses, streams, errors). */
export function networkConformance(target: ConformanceTarget): void {
  const host = target.host;

  describe("network", () => {
    it("listen() on port 0 gets a real port, distinct per listener", () =>
      target.run(async ({ network }) => {
        const a = await network.listen(`${host}:0`);
        const b = await network.listen(`${host}:0`);
        try {
          for (const l of [a, b]) {
            expect(l.address.startsWith(host.includes(":") ? `[${host}]:` : `${host}:`)).toBe(true);
            expect(portOf(l.address)).toBeGreaterThan(0);
          }
          expect(portOf(a.address)).not.toBe(portOf(b.address));
        } finally {
          await a.close();
          await b.close();
        }
      }));

    it("connect() completes before accept() is called, and early data waits", () =>
      target.run(async (p) => {
        const listener = await p.network.listen(`${host}:0`);
        const client = await p.network.connect(listener.address);
        await client.write(utf8("early"));
        const server = await listener.accept();
        expect(text(await readExactly(server, 5))).toBe("early");
        expect(server.remoteAddress).toBe(client.localAddress);
        expect(client.remoteAddress).toBe(listener.address);
        client.abort();
        server.abort();
        await listener.close();
      }));

    it("several connections can wait for accept()", () =>
      target.run(async (p) => {
        const listener = await p.network.listen(`${host}:0`);
        const clients = [
          await p.network.connect(listener.address),
          await p.network.connect(listener.address),
          await p.network.connect(listener.address),
        ];
        for (const [i, c] of clients.entries()) await c.write(utf8(`client ${i}`));
        const greetings: string[] = [];
        for (let i = 0; i < clients.length; i++) {
          const server = await listener.accept();
          greetings.push(text(await readExactly(server, 8)) ?? "");
          server.abort();
        }
        expect(greetings.sort()).toEqual(["client 0", "client 1", "client 2"]);
        for (const c of clients) c.abort();
        await listener.close();
      }));

    it("echoes bytes both ways", () =>
      target.run(async (p) => {
        const { listener, client, server } = await pair(p, host);
        await client.write(utf8("ping"));
        const request = await readExactly(server, 4);
        expect(text(request)).toBe("ping");
        await server.write(request);
        await server.write(utf8("!"));
        expect(text(await readExactly(client, 5))).toBe("ping!");
        await client.close();
        await server.close();
        await listener.close();
      }));

    it("a graceful close() ends the peer's reads with null; the other direction goes on", () =>
      target.run(async (p) => {
        const { listener, client, server } = await pair(p, host);
        await client.write(utf8("last words"));
        await client.close();
        expect(text(await readAll(server))).toBe("last words");
        expect(await server.read()).toBeNull(); // stays at end of stream
        // Half-closed: the server can still answer and the client still reads.
        await server.write(utf8("reply"));
        await server.close();
        expect(text(await readAll(client))).toBe("reply");
        await listener.close();
      }));

    it("abort() resets the connection: the peer's read rejects with ECONNRESET", () =>
      target.run(async (p) => {
        const { listener, client, server } = await pair(p, host);
        await client.write(utf8("x"));
        expect(text(await readExactly(server, 1))).toBe("x");
        client.abort();
        await expectCode(async () => {
          // Bytes already in flight may arrive first; the reset must surface, never a clean EOF.
          for (;;) if ((await server.read()) === null) throw new Error("clean end of stream after a reset");
        }, "ECONNRESET");
        await listener.close();
      }));

    it("connect() to an address nobody listens on rejects with ECONNREFUSED", () =>
      target.run(async ({ network }) => {
        const listener = await network.listen(`${host}:0`);
        const address = listener.address;
        await listener.close();
        await expectCode(() => network.connect(address), "ECONNREFUSED");
      }));

    it("listen() on a bound address rejects with EADDRINUSE; close() frees it", () =>
      target.run(async ({ network }) => {
        const first = await network.listen(`${host}:0`);
        await expectCode(() => network.listen(first.address), "EADDRINUSE");
        await first.close();
        const again = await network.listen(first.address);
        expect(again.address).toBe(first.address);
        await again.close();
      }));

    it("accept() rejects once the listener is closed", () =>
      target.run(async ({ network }) => {
        const listener = await network.listen(`${host}:0`);
        const pending = listener.accept();
        await listener.close();
        await expect(pending).rejects.toBeInstanceOf(Error);
        await expect(listener.accept()).rejects.toBeInstanceOf(Error);
      }));

    it("transfers 1 MiB intact while the reader keeps up", () =>
      target.run(async (p) => {
        const { listener, client, server } = await pair(p, host);
        const payload = p.random.bytes(MIB);
        const writer = p.task.spawn("writer", async () => {
          // Uneven chunk sizes so chunk boundaries never line up with anything.
          for (let at = 0; at < payload.byteLength; ) {
            const size = Math.min(payload.byteLength - at, 1 + p.random.int(0, 65_536));
            await client.write(payload.subarray(at, at + size));
            at += size;
          }
          await client.close();
        });
        const received = await readAll(server);
        await writer.join();
        expect(received.byteLength).toBe(MIB);
        expect(firstDifference(received, payload)).toBe(-1);
        await server.close();
        await listener.close();
      }));

    it("a write after close() rejects with EPIPE", () =>
      target.run(async (p) => {
        const { listener, client, server } = await pair(p, host);
        await client.close();
        await expectCode(() => client.write(utf8("too late")), "EPIPE");
        server.abort();
        await listener.close();
      }));
  });
}

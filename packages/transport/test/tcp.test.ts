// Real TCP on loopback: several child processes exchanging RPCs through nodeProviders().
import type { ChildProcess } from "node:child_process";
import { NetworkAddress } from "@moonpool/core";
import { nodeProviders } from "@moonpool/core/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NetTransport, ReplyError } from "../src/index.ts";
import { COUNTER_ID, Counter } from "./fixtures/counterService.ts";
import { exited, exitedWithLines, startFixture, waitForLine } from "./support/children.ts";

// Child processes start through tsx, which is slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const children: ChildProcess[] = [];
const transports: NetTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

async function startServer(
  address = "127.0.0.1:0",
  codecs = "json",
): Promise<{ child: ChildProcess; address: string; addresses: Record<string, string> }> {
  const child = startFixture("tcpServer.ts", [address, codecs]);
  children.push(child);
  const line = await waitForLine(child, /^READY /);
  const addresses = JSON.parse(line.slice("READY ".length)) as Record<string, string>;
  return { child, address: addresses.json ?? Object.values(addresses)[0]!, addresses };
}

interface ClientResult {
  codec: string;
  name: string;
  replies: number[];
  history: number[];
  echo: string;
}

/** Runs a client process against every server address; one result per codec. */
async function runClient(servers: Record<string, string>, name: string, count: number) {
  const args = Object.entries(servers).map(([codec, address]) => `${codec}=${address}`);
  const child = startFixture("tcpClient.ts", [name, String(count), ...args]);
  children.push(child);
  const { code, lines } = await exitedWithLines(child, /^\{/);
  expect(code).toBe(0);
  return lines.map((l) => JSON.parse(l) as ClientResult);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

// One server process hosts a transport per codec and each client process talks to both, so
// both codecs are covered by four processes (each process start costs a second or more).
describe("real TCP between processes", () => {
  it("three client processes append concurrently over both codecs; every reply and history is exact", async () => {
    const server = await startServer("127.0.0.1:0", "json,binary");
    const results = (
      await Promise.all(["a", "b", "c"].map((n) => runClient(server.addresses, n, 40)))
    ).flat();
    expect(results.map((r) => `${r.name}/${r.codec}`).sort()).toEqual([
      "a/binary",
      "a/json",
      "b/binary",
      "b/json",
      "c/binary",
      "c/json",
    ]);
    for (const r of results) {
      expect(r.replies).toEqual(range(40));
      expect(r.history).toEqual(range(40));
      expect(r.echo).toBe(`hi from ${r.name}`);
    }
  });
});

describe("real TCP: server crash and restart", () => {
  it("in-process client sees MaybeDelivered/Timeout while the server is dead and recovers after restart", async () => {
    const first = await startServer();
    const client = await NetTransport.listen(nodeProviders(), {
      localAddress: "127.0.0.1:0",
      peerConfig: { initialReconnectDelayMs: 20, maxReconnectDelayMs: 200 },
    });
    transports.push(client);
    const api = Counter.clientWellKnown(client, NetworkAddress.parse(first.address), COUNTER_ID);
    expect(await api.append.getReply({ client: "me", value: 1 })).toBe(1);
    expect(await api.append.tryGetReply({ client: "me", value: 2 })).toBe(2);

    first.child.kill("SIGKILL");
    await exited(first.child);
    // at-most-once: MaybeDelivered once the client notices (disconnect or refused connect)
    let seen: unknown;
    for (let i = 0; i < 50 && !(seen instanceof ReplyError); i++) {
      seen = await api.echo.tryGetReply({ text: "x" }, { timeoutMs: 1000 }).catch((e: unknown) => e);
    }
    expect(seen).toBeInstanceOf(ReplyError);
    expect((seen as ReplyError).kind).toBe("MaybeDelivered");
    // at-least-once with a per-call timeout
    const timedOut = await api.echo.getReply({ text: "x" }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((timedOut as ReplyError).kind).toBe("Timeout");

    // restart on the same port: state is gone (in memory), calls succeed again
    await startServer(first.address);
    let value: number | undefined;
    for (let i = 0; i < 50 && value === undefined; i++) {
      value = await api.append
        .getReply({ client: "me", value: 3 }, { timeoutMs: 1000 })
        .catch(() => undefined);
    }
    expect(value).toBe(1);
    expect(await api.history.getReply({ client: "me" })).toEqual([3]);
  });

  it("a graceful server stop answers waiting calls with BrokenPromise", async () => {
    const server = await startServer();
    const client = await NetTransport.listen(nodeProviders(), { localAddress: "127.0.0.1:0" });
    transports.push(client);
    const api = Counter.clientWellKnown(client, NetworkAddress.parse(server.address), COUNTER_ID);
    expect(await api.echo.getReply({ text: "warm" })).toBe("warm");
    const parked = api.park.getReply(null).catch((e: unknown) => e);
    const parkedTry = api.park.tryGetReply(null).catch((e: unknown) => e); // queued behind it
    await waitForLine(server.child, /^PARKED/);
    server.child.kill("SIGTERM");
    expect(await exited(server.child)).toBe(0);
    expect(((await parked) as ReplyError).kind).toBe("BrokenPromise");
    expect(((await parkedTry) as ReplyError).kind).toBe("MaybeDelivered");
    const after = await api.echo.tryGetReply({ text: "late" }).catch((e: unknown) => e);
    expect((after as ReplyError).kind).toBe("MaybeDelivered");
  });
});

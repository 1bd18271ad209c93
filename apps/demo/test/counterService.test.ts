// The service on the real Node providers: loopback TCP and a temporary directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import { NetTransport } from "@moonpool/transport";
import { describe, expect, it } from "vitest";
import { COUNTER_SERVICE_ID, Counter, CounterClient, runCounterNode } from "../src/counterService.ts";

async function startNode(dataDir: string, listen: string) {
  const stop = new AbortController();
  let ready!: (a: { address: string; recovered: number }) => void;
  const readyP = new Promise<{ address: string; recovered: number }>((r) => {
    ready = r;
  });
  const done = runCounterNode(nodeProviders({ dataDir }), {
    listen,
    signal: stop.signal,
    onReady: (address, recovered) => ready({ address, recovered }),
  });
  return { ...(await readyP), stop, done };
}

describe("counter node on real TCP", () => {
  it("hands out increasing values and recovers them after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "demo-node-"));
    const first = await startNode(dir, "127.0.0.1:0");
    expect(first.recovered).toBe(0);
    const client = await CounterClient.connect(nodeProviders(), "t", "127.0.0.1:0", [
      { name: "n", address: first.address },
    ]);
    try {
      const values: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await client.increment("n", 5_000);
        if (!r.ok) throw new Error(`increment failed: ${r.reason}`);
        values.push(r.value);
      }
      expect(values).toEqual([1, 2, 3, 4, 5]);
      first.stop.abort();
      await first.done;
      const second = await startNode(dir, first.address);
      expect(second.recovered).toBe(5);
      second.stop.abort();
      await second.done;
    } finally {
      await client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reaches a server again after ENDPOINT_NOT_FOUND once it serves again", async () => {
    // ENDPOINT_NOT_FOUND fails the call but must not mark the well-known method permanently
    // failed: the simulation once found a client that never reached a rebooted node again.
    const p = nodeProviders();
    const server = await NetTransport.listen(p, { localAddress: "127.0.0.1:0" });
    const serve = () =>
      Counter.wellKnown(server, COUNTER_SERVICE_ID).serve({ increment: () => ({ value: 42 }) });
    let handle = serve();
    const client = await CounterClient.connect(p, "t", "127.0.0.1:0", [
      { name: "n", address: server.localAddress.toString() },
    ]);
    try {
      expect(await client.increment("n", 5_000)).toEqual({ ok: true, value: 42 });
      await handle.stop(); // the transport stays up: the next call gets ENDPOINT_NOT_FOUND
      expect((await client.increment("n", 5_000)).ok).toBe(false);
      handle = serve();
      let outcome = await client.increment("n", 5_000);
      for (let i = 0; i < 20 && !outcome.ok; i++) outcome = await client.increment("n", 5_000);
      expect(outcome).toEqual({ ok: true, value: 42 });
    } finally {
      await client.close();
      await handle.stop();
      await server.close();
    }
  });

  it("rejects an unknown node name", async () => {
    const client = await CounterClient.connect(nodeProviders(), "t", "127.0.0.1:0", []);
    await expect(client.increment("nope", 100)).rejects.toThrow(/unknown counter node "nope"/);
    await client.close();
  });
});

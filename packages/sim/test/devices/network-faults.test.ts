// One behaviour test per network fault: off vs on, the knob's effect, and the sim_fault trace.
import type { NetworkChaosConfig } from "@moonpool/chaos";
import type { Connection } from "@moonpool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { SimNetwork } from "../../src/network/index.ts";
import { TEST_KERNELS, type TestKernel } from "./engine-kernel.ts";

let makeKernel: (seed: number) => TestKernel = TEST_KERNELS[0]![1];

import { codeOf, dec, enc, equalBytes, netConfig, payload, readExactly } from "./helpers.ts";

const A = "10.0.0.1";
const B = "10.0.1.1";

function setup(seed: number, config: NetworkChaosConfig, options: { connectTimeoutMs?: number } = {}) {
  const kernel = makeKernel(seed);
  const net = new SimNetwork(kernel, { config, ...options });
  const a = net.networkFor(A);
  const b = net.networkFor(B);
  const connected = async (port = 80): Promise<{ client: Connection; server: Connection }> => {
    const listener = await b.listen(`${B}:${port}`);
    const client = await a.connect(`${B}:${port}`);
    return { client, server: await listener.accept() };
  };
  return { kernel, net, a, b, connected };
}

/** Sends `count` messages of `size` bytes from client to server; returns what the server saw. */
async function transfer(seed: number, config: NetworkChaosConfig, count = 50, size = 200) {
  const { kernel, net, connected } = setup(seed, config);
  const sent = payload(count * size, seed);
  let result!: { bytes: Uint8Array; reads: number; ms: number };
  await kernel.run(async () => {
    const { client, server } = await connected();
    const start = kernel.nowMs();
    const reading = readExactly(server, sent.length);
    for (let i = 0; i < count; i++) await client.write(sent.subarray(i * size, (i + 1) * size));
    const got = await reading;
    result = { ...got, ms: kernel.nowMs() - start };
    net.endChaos();
  });
  return { ...result, sent, kernel };
}

describe.each(TEST_KERNELS)("%s", (_name, factory) => {
  beforeAll(() => {
    makeKernel = factory;
  });

  describe("network latency", () => {
    it("delivery latency is the configured distribution (fixed 10 ms -> >= 10 ms per message)", async () => {
      const fast = await transfer(1, netConfig(), 1, 10);
      const slow = await transfer(
        1,
        netConfig({ latency: { delivery: { kind: "fixed", ms: 10 }, write: { kind: "fixed", ms: 0 } } }),
        1,
        10,
      );
      expect(fast.ms).toBeLessThan(1);
      expect(slow.ms).toBeCloseTo(10, 6);
    });

    it("per-pair latency is drawn once per ordered pair and added to every delivery", async () => {
      const off = await transfer(
        2,
        netConfig({ latency: { write: { kind: "fixed", ms: 0 }, delivery: { kind: "fixed", ms: 1 } } }),
        5,
        10,
      );
      const on = await transfer(
        2,
        netConfig({
          latency: { write: { kind: "fixed", ms: 0 }, delivery: { kind: "fixed", ms: 1 } },
          pairLatency: { maxMs: 50 },
        }),
        5,
        10,
      );
      expect(off.kernel.faults("pair_latency")).toHaveLength(0);
      const drawn = on.kernel.faults("pair_latency");
      expect(drawn.length).toBeGreaterThanOrEqual(1);
      const ab = drawn.find((f) => f.fields?.from === A && f.fields?.to === B);
      expect(ab).toBeDefined();
      expect(on.ms).toBeGreaterThan(off.ms + Number(ab?.fields?.ms) - 1e-6);
    });
  });

  describe("clogs", () => {
    it("a write clog stalls writes for the clog duration; off means no stall", async () => {
      const cfg = netConfig({ clog: { writeProbability: 1, duration: { minMs: 100, maxMs: 100 } } });
      const on = await transfer(3, cfg, 3, 10);
      const off = await transfer(3, netConfig(), 3, 10);
      expect(on.kernel.faults("write_clog").length).toBeGreaterThanOrEqual(1);
      expect(on.ms).toBeGreaterThanOrEqual(100);
      expect(off.kernel.faults()).toHaveLength(0);
      expect(off.ms).toBeLessThan(5);
      expect(equalBytes(on.bytes, on.sent)).toBe(true);
    });

    it("the end of the chaos window clears clogs at once", async () => {
      const cfg = netConfig({ clog: { writeProbability: 1, duration: { minMs: 5000, maxMs: 5000 } } });
      const { kernel, net, connected } = setup(18, cfg);
      await kernel.run(async () => {
        const { client, server } = await connected();
        const start = kernel.nowMs();
        const writing = client.write(enc("clogged"));
        await kernel.sleep(10);
        net.endChaos();
        await writing;
        expect(dec(await server.read())).toBe("clogged");
        expect(kernel.nowMs() - start).toBeLessThan(100);
      });
    });

    it("a read clog stalls reads; the data still arrives intact", async () => {
      const cfg = netConfig({ clog: { readProbability: 1, duration: { minMs: 50, maxMs: 50 } } });
      const on = await transfer(4, cfg, 3, 10);
      expect(on.kernel.faults("read_clog").length).toBeGreaterThanOrEqual(1);
      expect(on.ms).toBeGreaterThanOrEqual(50);
      expect(equalBytes(on.bytes, on.sent)).toBe(true);
    });
  });

  describe("partitions", () => {
    it("a manual one-way partition holds traffic in that direction only, until healed", async () => {
      const { kernel, net, connected } = setup(5, netConfig());
      await kernel.run(async () => {
        const { client, server } = await connected();
        net.partition(A, B);
        await client.write(enc("held"));
        await server.write(enc("flows"));
        expect(dec(await client.read())).toBe("flows");
        let arrived = false;
        const reading = server.read().then((b) => {
          arrived = true;
          return b;
        });
        await kernel.sleep(1000);
        expect(arrived).toBe(false);
        net.heal(A, B);
        expect(dec(await reading)).toBe("held");
      });
      expect(kernel.faults("partition")).toHaveLength(1);
      expect(kernel.faults("partition_healed")).toHaveLength(1);
    });

    it("a partition with a duration heals by itself; connects wait for the heal or time out", async () => {
      const { kernel, net, a, b } = setup(6, netConfig(), { connectTimeoutMs: 500 });
      await kernel.run(async () => {
        await b.listen(`${B}:80`);
        net.partitionBoth(A, B, 200);
        const start = kernel.nowMs();
        await a.connect(`${B}:80`);
        expect(kernel.nowMs() - start).toBeGreaterThanOrEqual(200);
        net.partitionBoth(A, B);
        expect(await codeOf(a.connect(`${B}:80`))).toBe("ETIMEDOUT");
      });
    });

    it("random partitions follow the strategy and heal when the chaos window ends", async () => {
      const cfg = netConfig({
        partition: {
          probability: 1,
          checkEveryMs: 100,
          duration: { minMs: 10_000, maxMs: 10_000 },
          strategy: "isolate-one",
        },
      });
      const kernel = makeKernel(7);
      const net = new SimNetwork(kernel, { config: cfg });
      for (const ip of ["10.0.1.1", "10.0.1.2", "10.0.1.3"]) net.networkFor(ip);
      await kernel.run(async () => {
        await kernel.sleep(150);
        const started = kernel.faults("random_partition");
        expect(started).toHaveLength(1);
        const isolated = String(started[0]?.fields?.group);
        expect(isolated.split(",")).toHaveLength(1);
        const other = ["10.0.1.1", "10.0.1.2", "10.0.1.3"].find((ip) => ip !== isolated) as string;
        expect(net.isBlocked(isolated, other)).toBe(true);
        expect(net.isBlocked(other, isolated)).toBe(true);
        net.endChaos();
        expect(net.isBlocked(isolated, other)).toBe(false);
        await kernel.sleep(1000);
        expect(kernel.faults("random_partition")).toHaveLength(1); // none after the window
      });
    });
  });

  describe("corruption and segmentation", () => {
    it("bit flips corrupt delivered bytes (off: intact); the cooldown bounds how often", async () => {
      const off = await transfer(8, netConfig());
      expect(equalBytes(off.bytes, off.sent)).toBe(true);
      const on = await transfer(8, netConfig({ bitFlip: { probability: 1, minBits: 1, maxBits: 1 } }));
      expect(equalBytes(on.bytes, on.sent)).toBe(false);
      let differingBits = 0;
      for (let i = 0; i < on.sent.length; i++) {
        let x = (on.bytes[i] as number) ^ (on.sent[i] as number);
        for (; x; x &= x - 1) differingBits++;
      }
      expect(differingBits).toBe(on.kernel.faults("bit_flip").length);
      const cooled = await transfer(8, netConfig({ bitFlip: { probability: 1, cooldownMs: 1_000_000 } }));
      expect(cooled.kernel.faults("bit_flip")).toHaveLength(1);
    });

    it("partial writes split segments; partial reads return fewer bytes; the stream stays intact", async () => {
      const off = await transfer(9, netConfig(), 20, 500);
      const split = await transfer(9, netConfig({ partialWrite: { probability: 1, maxBytes: 50 } }), 20, 500);
      expect(split.kernel.faults("partial_write").length).toBeGreaterThan(0);
      expect(split.reads).toBeGreaterThan(off.reads);
      expect(equalBytes(split.bytes, split.sent)).toBe(true);
      const partialReads = await transfer(
        9,
        netConfig({ partialRead: { probability: 1, maxBytes: 7 } }),
        5,
        100,
      );
      expect(partialReads.reads).toBeGreaterThanOrEqual(Math.ceil(500 / 7));
      expect(equalBytes(partialReads.bytes, partialReads.sent)).toBe(true);
    });
  });

  describe("random close", () => {
    it("rstRatio 1: the current call fails with ECONNRESET and the peer is reset", async () => {
      const { kernel, net, connected } = setup(
        10,
        netConfig({ randomClose: { probability: 1, rstRatio: 1, cooldownMs: 0 } }),
      );
      await kernel.run(async () => {
        const { client, server } = await connected();
        expect(await codeOf(client.write(enc("x")))).toBe("ECONNRESET");
        expect(await codeOf(client.write(enc("y")))).toBe("EPIPE");
        expect(await codeOf(server.read())).toBe("ECONNRESET");
        net.endChaos();
      });
      expect(kernel.faults("random_close")[0]?.fields?.mode).toBe("rst");
    });

    it("rstRatio 0, both sides: a silent FIN (peer sees EOF, our writes EPIPE); cooldown spaces closes", async () => {
      const cfg = netConfig({
        randomClose: { probability: 1, rstRatio: 0, oneSidedRatio: 0, cooldownMs: 1_000_000 },
      });
      const { kernel, net, connected } = setup(11, cfg);
      await kernel.run(async () => {
        const first = await connected(80);
        expect(await codeOf(first.client.write(enc("x")))).toBe("EPIPE");
        expect(await first.server.read()).toBeNull();
        const second = await connected(81);
        await second.client.write(enc("ok")); // within the cooldown: no second close
        expect(dec(await second.server.read())).toBe("ok");
        net.endChaos();
      });
      expect(kernel.faults("random_close")).toHaveLength(1);
    });
  });

  describe("connect failures", () => {
    it("refuse mode rejects with ECONNREFUSED even though a listener is bound", async () => {
      const { kernel, a, b } = setup(12, netConfig({ connectFailure: { probability: 1, hangRatio: 0 } }));
      await kernel.run(async () => {
        await b.listen(`${B}:80`);
        expect(await codeOf(a.connect(`${B}:80`))).toBe("ECONNREFUSED");
      });
      expect(kernel.faults("connect_failure")[0]?.fields?.mode).toBe("refuse");
    });

    it("hang mode never completes the connect", async () => {
      const { kernel, net, a, b } = setup(
        13,
        netConfig({ connectFailure: { probability: 1, hangRatio: 1 } }),
      );
      await kernel.run(async () => {
        await b.listen(`${B}:80`);
        let settled = false;
        void a.connect(`${B}:80`).finally(() => {
          settled = true;
        });
        await kernel.sleep(60_000);
        expect(settled).toBe(false);
        net.endChaos();
      });
      expect(kernel.faults("connect_failure")[0]?.fields?.mode).toBe("hang");
    });
  });

  describe("reordering, half-open connections and link cuts", () => {
    it("reordering lets a later message on another connection overtake; each connection stays FIFO", async () => {
      const order = async (seed: number, p: number) => {
        const cfg = netConfig({
          latency: { write: { kind: "fixed", ms: 0 }, delivery: { kind: "fixed", ms: 1 } },
          reorder: { probability: p, maxDelayMs: 20 },
        });
        const { kernel, net, a, b } = setup(seed, cfg);
        const arrivals: string[] = [];
        await kernel.run(async () => {
          const listener = await b.listen(`${B}:80`);
          const c1 = await a.connect(`${B}:80`);
          const c2 = await a.connect(`${B}:80`);
          const s1 = await listener.accept();
          const s2 = await listener.accept();
          const collect = async (s: Connection, n: number) => {
            let text = "";
            while (text.length < n) {
              text += dec(await s.read());
              arrivals.push(`${kernel.nowNs()}:${text.at(-1)}`);
            }
            return text;
          };
          const r1 = collect(s1, 10);
          const r2 = collect(s2, 10);
          for (let i = 0; i < 10; i++) {
            await c1.write(enc(String(i)));
            await c2.write(enc(String.fromCharCode(97 + i)));
          }
          expect(await r1).toBe("0123456789");
          expect(await r2).toBe("abcdefghij");
          net.endChaos();
        });
        const letters = arrivals
          .map((a) => a.split(":"))
          .sort((x, y) => Number(x[0]) - Number(y[0]))
          .map((x) => x[1])
          .join("");
        return { letters, kernel };
      };
      const on = await order(14, 0.5);
      expect(on.kernel.faults("reorder").length).toBeGreaterThan(0);
      const off = await order(14, 0);
      expect(off.kernel.faults("reorder")).toHaveLength(0);
      // Without reordering the two streams interleave as sent; with it, some arrive late.
      expect(off.letters).toBe("0a1b2c3d4e5f6g7h8i9j");
      expect(on.letters).not.toBe(off.letters);
    });

    it("half-open: the survivor of a crash learns after errorAfter (off: only through its traffic)", async () => {
      const check = async (p: number) => {
        const cfg = netConfig({ halfOpen: { probability: p, errorAfter: { minMs: 3000, maxMs: 3000 } } });
        const { kernel, net, connected } = setup(15, cfg);
        let waited = -1;
        await kernel.run(async () => {
          const { client } = await connected();
          const start = kernel.nowMs();
          const read = client.read().then(
            () => "data",
            (e: { code?: string }) => e.code,
          );
          void read.then((code) => {
            expect(code).toBe("ECONNRESET");
            waited = kernel.nowMs() - start;
          });
          net.crash(B, "crash");
          await kernel.sleep(10_000);
          net.endChaos();
        });
        return { waited, kernel };
      };
      const on = await check(1);
      expect(on.waited).toBe(3000);
      expect(on.kernel.faults("half_open")).toHaveLength(1);
      const off = await check(0);
      expect(off.waited).toBe(-1); // no traffic, no keep-alive: nothing tells it
    });

    it("the end of the chaos window restores cut links at once", async () => {
      const cfg = netConfig({
        linkCut: { probability: 1, checkEveryMs: 100, duration: { minMs: 5000, maxMs: 5000 } },
      });
      const { kernel, net, connected } = setup(17, cfg);
      await kernel.run(async () => {
        const { client, server } = await connected();
        await kernel.sleep(150);
        expect(kernel.faults("link_cut")).toHaveLength(1);
        await client.write(enc("held"));
        const start = kernel.nowMs();
        const reading = server.read();
        await kernel.sleep(100);
        net.endChaos();
        expect(dec(await reading)).toBe("held");
        expect(kernel.nowMs() - start).toBeLessThan(1000);
      });
    });

    it("a link cut stalls one connection both ways, then restores it with nothing lost", async () => {
      const cfg = netConfig({
        linkCut: { probability: 1, checkEveryMs: 100, duration: { minMs: 500, maxMs: 500 } },
      });
      const { kernel, net, connected } = setup(16, cfg);
      await kernel.run(async () => {
        const { client, server } = await connected();
        await kernel.sleep(150); // the first check cuts the link
        expect(kernel.faults("link_cut")).toHaveLength(1);
        const start = kernel.nowMs();
        await client.write(enc("through the cut"));
        expect(dec(await server.read())).toBe("through the cut");
        expect(kernel.nowMs() - start).toBeGreaterThanOrEqual(400);
        net.endChaos();
      });
    });
  });

  describe("determinism", () => {
    const chaotic = netConfig({
      pairLatency: { maxMs: 20 },
      clog: { writeProbability: 0.1, readProbability: 0.1 },
      bitFlip: { probability: 0.05 },
      partialWrite: { probability: 0.3 },
      partialRead: { probability: 0.3 },
      reorder: { probability: 0.2 },
    });
    it("the same seed gives the same faults, bytes and timing; another seed differs", async () => {
      const run = async (seed: number) => {
        const r = await transfer(seed, chaotic, 100, 300);
        return { traces: r.kernel.traces, ms: r.ms, bytes: Array.from(r.bytes) };
      };
      const first = await run(21);
      expect(first.traces.length).toBeGreaterThan(10);
      expect(await run(21)).toEqual(first);
      expect((await run(22)).traces).not.toEqual(first.traces);
    });
  });
});

// The TCP model both ways: every segment that reaches a closed end is answered with an RST, an
// RST travels like any segment (held or dropped by partitions, delayed by latency), a crashed
// host is silent until it is back, partitions hold or drop, and chunks carry only their own
// connection's bytes.
import type { Connection } from "@moonpool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { unownedDevices } from "../../src/engine/device-owner.ts";
import { SimNetwork } from "../../src/network/index.ts";
import { TEST_KERNELS, type TestKernel } from "./engine-kernel.ts";
import { enc, netConfig } from "./helpers.ts";

let makeKernel: (seed: number) => TestKernel = TEST_KERNELS[0]![1];

const A = "10.0.0.1";
const B = "10.0.1.1";
/** Fixed 10 ms per segment: an RST answer takes one transit, a round trip two. */
const FIXED = netConfig({
  latency: { delivery: { kind: "fixed", ms: 10 }, write: { kind: "fixed", ms: 0 } },
});

function setup(seed = 1, config = FIXED, options: { retransmitTimeoutMs?: number } = {}) {
  const kernel = makeKernel(seed);
  const net = new SimNetwork(kernel, { config, ...options });
  const a = net.networkFor(A);
  const b = net.networkFor(B);
  const connected = async (port = 80): Promise<{ client: Connection; server: Connection }> => {
    const listener = await b.listen(`${B}:${port}`);
    const client = await a.connect(`${B}:${port}`);
    return { client, server: await listener.accept() };
  };
  return { kernel, net, connected };
}

/** Tracks when `p` settles and with which error code ("ok" when it resolves). */
function watch(kernel: TestKernel, p: Promise<unknown>): { code: string | null; atMs: number } {
  const state = { code: null as string | null, atMs: -1 };
  p.then(
    () => {
      state.code = "ok";
      state.atMs = kernel.nowMs();
    },
    (e: { code?: string }) => {
      state.code = e.code ?? String(e);
      state.atMs = kernel.nowMs();
    },
  );
  return state;
}

describe.each(TEST_KERNELS)("%s", (_name, factory) => {
  beforeAll(() => {
    makeKernel = factory;
  });

  describe("resets answer every segment to a closed end", () => {
    it("an RST sent during a partition is held and delivered after the heal", async () => {
      const { kernel, net, connected } = setup();
      await kernel.run(async () => {
        const { client, server } = await connected();
        const read = watch(kernel, client.read());
        net.partitionBoth(A, B);
        server.abort();
        await kernel.sleep(1_000);
        expect(read.code).toBeNull(); // held by the partition
        const healAt = kernel.nowMs();
        net.heal(A, B);
        await kernel.sleep(100);
        expect(read.code).toBe("ECONNRESET");
        expect(read.atMs).toBeCloseTo(healAt + 10, 6);
      });
    });

    it("a lost RST does not leave the peer hanging: its next segment is answered with an RST", async () => {
      const { kernel, net, connected } = setup();
      await kernel.run(async () => {
        const { client, server } = await connected();
        net.partitionBoth(A, B, undefined, { mode: "drop" });
        server.abort(); // its RST is dropped
        await kernel.sleep(1_000);
        net.heal(A, B);
        await kernel.sleep(1_000);
        const read = watch(kernel, client.read());
        await client.write(enc("still there?"));
        const sentAt = kernel.nowMs();
        await kernel.sleep(100);
        expect(read.code).toBe("ECONNRESET");
        expect(read.atMs).toBeCloseTo(sentAt + 20, 6); // one round trip
      });
    });
  });

  describe("a crash's resets travel like other segments", () => {
    it("with no traffic the peer learns nothing; its segment is answered once the host is back", async () => {
      const { kernel, net, connected } = setup();
      await kernel.run(async () => {
        const { client } = await connected();
        const read = watch(kernel, client.read());
        net.crash(B, "crash");
        await kernel.sleep(10_000);
        expect(read.code).toBeNull();
        await client.write(enc("ping"));
        await kernel.sleep(10_000);
        expect(read.code).toBeNull(); // the host is down: nothing answers
        const upAt = kernel.nowMs();
        net.networkFor(B, unownedDevices(kernel)); // the host boots again
        await kernel.sleep(100);
        expect(read.code).toBe("ECONNRESET");
        expect(read.atMs).toBeCloseTo(upAt + 10, 6); // the RST's own transit
      });
    });

    it("an RST answering a crashed host is held by a partition until the heal", async () => {
      const { kernel, net, connected } = setup();
      await kernel.run(async () => {
        const { client } = await connected();
        const read = watch(kernel, client.read());
        net.crash(B, "crash");
        net.networkFor(B, unownedDevices(kernel)); // back at once
        net.partition(B, A); // the answers cannot get back
        await client.write(enc("ping"));
        await kernel.sleep(5_000);
        expect(read.code).toBeNull();
        const healAt = kernel.nowMs();
        net.heal(A, B);
        await kernel.sleep(100);
        expect(read.code).toBe("ECONNRESET");
        expect(read.atMs).toBeCloseTo(healAt + 10, 6);
      });
    });
  });

  describe("partitions hold or drop", () => {
    it("hold (default): bytes sent during the partition arrive after the heal", async () => {
      const { kernel, net, connected } = setup();
      await kernel.run(async () => {
        const { client, server } = await connected();
        net.partition(A, B);
        await client.write(enc("held"));
        const read = watch(kernel, server.read());
        await kernel.sleep(1_000);
        expect(read.code).toBeNull();
        net.heal(A, B);
        await kernel.sleep(100);
        expect(read.code).toBe("ok");
      });
    });

    it('{ mode: "drop" }: the bytes are lost, the sender times out, the receiver is answered by an RST', async () => {
      const { kernel, net, connected } = setup(1, FIXED, { retransmitTimeoutMs: 5_000 });
      await kernel.run(async () => {
        const { client, server } = await connected();
        net.partition(A, B, 1_000, { mode: "drop" });
        const clientRead = watch(kernel, client.read());
        const serverRead = watch(kernel, server.read());
        const sentAt = kernel.nowMs();
        await client.write(enc("lost"));
        await kernel.sleep(2_000); // healed at 1 s: nothing arrives anyway
        expect(serverRead.code).toBeNull();
        await kernel.sleep(4_000);
        expect(clientRead.code).toBe("ETIMEDOUT");
        expect(clientRead.atMs).toBeCloseTo(sentAt + 5_000, 6);
        expect(serverRead.code).toBeNull(); // not told
        await server.write(enc("hello?"));
        await kernel.sleep(100);
        expect(serverRead.code).toBe("ECONNRESET");
        expect(kernel.faults("partition_drop")).toHaveLength(1);
        expect(kernel.faults("partition")[0]?.fields?.mode).toBe("drop");
      });
    });

    it("rejects an unknown mode, naming the option", async () => {
      const { net } = setup();
      expect(() => net.partition(A, B, 10, { mode: "lose" as never })).toThrow(/options\.mode/);
    });
  });

  describe("byte buffers", () => {
    it("a chunk's buffer holds no other connection's bytes", async () => {
      const { kernel, connected } = setup();
      await kernel.run(async () => {
        const one = await connected(80);
        const two = await connected(81);
        await one.client.write(enc("AAAAAAAA"));
        await two.client.write(enc("BBBBBBBB"));
        await one.client.write(enc("AAAAAAAA"));
        const chunk = (await two.server.read())!;
        const whole = new Uint8Array(chunk.buffer);
        expect(whole.includes(0x41)).toBe(false); // no 'A' from the other connection
        expect(new TextDecoder().decode(chunk)).toBe("BBBBBBBB");
      });
    });

    it("a chunk's byteOffset is the same whatever ran before", async () => {
      const offsetOf = async (noiseBytes: number): Promise<number> => {
        if (noiseBytes > 0) {
          const noise = setup(2);
          await noise.kernel.run(async () => {
            const { client, server } = await noise.connected();
            await client.write(new Uint8Array(noiseBytes).fill(7));
            await server.read();
          });
        }
        const { kernel, connected } = setup(1);
        let offset = -1;
        await kernel.run(async () => {
          const { client, server } = await connected();
          await client.write(enc("abc"));
          await client.write(enc("defgh"));
          await server.read();
          offset = (await server.read())!.byteOffset;
        });
        return offset;
      };
      const alone = await offsetOf(0);
      expect(await offsetOf(100)).toBe(alone);
      expect(await offsetOf(3)).toBe(alone);
    });
  });
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidArgumentError, NetworkError, StorageError } from "../src/index.ts";
import { NodeRandomProvider, NodeStorageProvider, nodeProviders } from "../src/node/index.ts";

// What the conformance suite cannot say about the real providers: node:net specifics,
// backpressure, and the data directory boundary.

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "moonpool-node-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves after `turns` trips around the event loop (no wall-clock wait). */
async function loopTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

describe("nodeProviders time", () => {
  it("timer() equals now() up to the clock's progress", () => {
    const { time } = nodeProviders({ dataDir });
    const before = time.now();
    const timer = time.timer();
    expect(timer).toBeGreaterThanOrEqual(before);
    expect(timer).toBeLessThanOrEqual(time.now());
  });
});

describe("nodeProviders time.callAfter", () => {
  it("calls back after the delay unless cancelled first, and checks its arguments", async () => {
    const { time } = nodeProviders();
    const fired: string[] = [];
    time.callAfter!(1, () => fired.push("kept"));
    const cancel = time.callAfter!(1, () => fired.push("cancelled"));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual(["kept"]);
    cancel(); // cancelling again, or after the call, is harmless
    expect(() => time.callAfter!(-1, () => {})).toThrow(/ms/);
    expect(() => time.callAfter!(1, "no" as never)).toThrow(/fn/);
  });
});

describe("nodeProviders network", () => {
  it("toDuplex() is the underlying net.Socket, the same on every call", async () => {
    const { network } = nodeProviders({ dataDir });
    const listener = await network.listen("127.0.0.1:0");
    const client = await network.connect(listener.address);
    const server = await listener.accept();
    const duplex = client.toDuplex();
    expect(duplex).toBeInstanceOf(Socket);
    expect(client.toDuplex()).toBe(duplex);
    expect((duplex as Socket).remotePort).toBe(Number(listener.address.split(":")[1]));
    client.abort();
    server.abort();
    await listener.close();
  });

  it("write() waits for the socket to drain when the peer does not read", async () => {
    const { network } = nodeProviders({ dataDir });
    const listener = await network.listen("127.0.0.1:0");
    const client = await network.connect(listener.address);
    const server = await listener.accept();
    const chunk = new Uint8Array(1024 * 1024).fill(7);
    const socket = client.toDuplex() as Socket;
    let written = 0;
    let stalled: Promise<void> | null = null;
    // Keep writing until one write stays pending: kernel buffers hold a few MiB at most.
    for (let i = 0; i < 64 && stalled === null; i++) {
      let resolved = false;
      const pending = client.write(chunk).then(() => {
        resolved = true;
      });
      await loopTurns(3);
      written += chunk.byteLength;
      if (!resolved) {
        expect(socket.writableNeedDrain).toBe(true);
        stalled = pending;
      }
    }
    expect(stalled, "some write should wait for the reader").not.toBeNull();
    // Once the peer reads, the pending write completes and every byte arrives.
    let received = 0;
    const reading = (async () => {
      while (received < written) {
        const data = await server.read();
        if (data === null) break;
        received += data.byteLength;
      }
    })();
    await stalled;
    await reading;
    expect(received).toBe(written);
    client.abort();
    server.abort();
    await listener.close();
  });

  it("maps socket failures to NetworkError with the Node code and the original cause", async () => {
    const { network } = nodeProviders({ dataDir });
    const listener = await network.listen("127.0.0.1:0");
    const address = listener.address;
    await listener.close();
    const error = await network.connect(address).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("ECONNREFUSED");
    expect((error as NetworkError).address).toBe(address);
    expect(((error as NetworkError).cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("a connection reset before accept() surfaces as ECONNRESET on the accepted side", async () => {
    const { network } = nodeProviders({ dataDir });
    const listener = await network.listen("127.0.0.1:0");
    const client = await network.connect(listener.address);
    const raw = client.toDuplex() as Socket;
    client.abort();
    await new Promise((r) => raw.once("close", r));
    await loopTurns(5); // let the server side see the reset while the socket waits in the queue
    const server = await listener.accept();
    const error = await (async () => {
      for (;;) if ((await server.read()) === null) return null;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("ECONNRESET");
    await listener.close();
  });

  it("rejects malformed addresses with an error naming the argument", async () => {
    const { network } = nodeProviders({ dataDir });
    await expect(network.listen("127.0.0.1")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(network.connect("127.0.0.1:99999")).rejects.toThrow(/port/);
    await expect(network.connect("127.0.0.1:0")).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("formats IPv6 addresses with brackets", async () => {
    const { network } = nodeProviders({ dataDir });
    const listener = await network.listen("[::1]:0").catch(() => null);
    if (listener === null) return; // no IPv6 loopback on this machine
    expect(listener.address).toMatch(/^\[::1\]:\d+$/);
    const client = await network.connect(listener.address);
    const server = await listener.accept();
    expect(server.remoteAddress).toBe(client.localAddress);
    client.abort();
    server.abort();
    await listener.close();
  });
});

describe("nodeProviders storage", () => {
  it("keeps files under dataDir", async () => {
    const { storage } = nodeProviders({ dataDir });
    const file = await storage.open("nested/dir/file.txt", { write: true, create: true });
    await file.write(0, new TextEncoder().encode("on disk"));
    await file.sync();
    await file.close();
    expect(await readFile(join(dataDir, "nested/dir/file.txt"), "utf8")).toBe("on disk");
  });

  it("rejects paths that could escape dataDir", async () => {
    await writeFile(join(dataDir, "..", "moonpool-outside.txt"), "outside").catch(() => {});
    const { storage } = nodeProviders({ dataDir });
    for (const bad of [
      "../moonpool-outside.txt",
      "a/../../x",
      "/etc/passwd",
      "a//b",
      "./a",
      "",
      "a\\b",
      "a\0b",
    ]) {
      const error = await storage.open(bad, { read: true }).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe("path");
    }
    await expect(storage.rename("ok", "../x")).rejects.toThrow(/invalid to/);
    await expect(storage.list("../")).rejects.toBeInstanceOf(InvalidArgumentError);
    await rm(join(dataDir, "..", "moonpool-outside.txt"), { force: true });
  });

  it("validates open options", async () => {
    const storage = new NodeStorageProvider(dataDir);
    await expect(storage.open("x", {})).rejects.toThrow(/invalid options/);
    await expect(storage.open("x", { read: true, create: true })).rejects.toThrow(/need write/);
  });

  it("reports use after close as EBADF and directories as not existing files", async () => {
    const { storage } = nodeProviders({ dataDir });
    const file = await storage.open("dir/f", { read: true, write: true, create: true });
    await file.close();
    const error = await file.read(0, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe("EBADF");
    expect(await storage.exists("dir")).toBe(false);
    expect(await storage.list("")).toEqual(["dir/f"]);
  });

  it("defaults dataDir to the working directory", () => {
    const storage = nodeProviders().storage as NodeStorageProvider;
    expect(storage.root).toBe(process.cwd());
  });
});

describe("nodeProviders task", () => {
  it("a task aborted before it starts never runs", async () => {
    const { task } = nodeProviders({ dataDir });
    let ran = false;
    const handle = task.spawn("never", async () => {
      ran = true;
    });
    handle.abort();
    await expect(handle.join()).rejects.toThrow(/cancelled/);
    await loopTurns(2);
    expect(ran).toBe(false);
  });
});

describe("nodeProviders random", () => {
  it("small bytes(n) draws come from a pool as fresh, distinct copies; large ones fill their own", () => {
    const random = new NodeRandomProvider();
    const seen = new Set<string>();
    let previous: Uint8Array | null = null;
    for (let i = 0; i < 1_000; i++) {
      const id = random.bytes(16); // crosses the 4 KiB pool's refill several times
      expect(id.length).toBe(16);
      expect(id.byteOffset).toBe(0); // a copy, not a view into the pool
      previous?.fill(0); // mutating an earlier draw changes nothing later
      seen.add(Buffer.from(id).toString("hex"));
      previous = id;
    }
    expect(seen.size).toBe(1_000);
    expect(random.bytes(0).length).toBe(0);
    expect(random.bytes(10_000).length).toBe(10_000);
    expect(() => random.bytes(-1)).toThrow(/n/);
  });
});

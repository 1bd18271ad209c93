// A generated client and server in two OS processes over real loopback TCP, with both codecs:
// every supported type arrives exactly, and a bad request is refused with its path while the
// method keeps serving.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { NetworkAddress } from "@moonpool/core";
import { nodeProviders } from "@moonpool/core/node";
import { BinaryCodec, defineService, JsonCodec, method, NetTransport } from "@moonpool/transport";
import { afterEach, describe, expect, it } from "vitest";
import { encodeOrder, shopClient } from "./golden/shop.service.ts";
import { sampleOrder } from "./support/orders.ts";

const serverScript = fileURLToPath(new URL("./support/shopServerProcess.ts", import.meta.url));
let child: ChildProcess | undefined;

/** Starts the server process and resolves with the address it printed. */
function startServer(codec: string): Promise<string> {
  const proc = spawn(
    process.execPath,
    ["--conditions=@moonpool/source", "--import", "tsx", serverScript, codec],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  child = proc;
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    proc.on("exit", (code) => reject(new Error(`server exited ${code} before printing its address`)));
  });
}

afterEach(async () => {
  const proc = child;
  child = undefined;
  if (proc === undefined || proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.on("exit", () => resolve());
    proc.stdin!.end();
  });
});

describe.each([
  ["json", () => new JsonCodec()],
  ["binary", () => new BinaryCodec()],
])("generated client and server in two processes over TCP (%s codec)", (name, codec) => {
  it("carry every supported type exactly and refuse a bad request with its path", {
    timeout: 60_000,
  }, async () => {
    const address = await startServer(name);
    const transport = await NetTransport.listen(nodeProviders(), {
      localAddress: "127.0.0.1:0",
      codec: codec(),
    });
    try {
      const shop = shopClient(transport, { address, wellKnown: 7 });
      const order = sampleOrder();
      expect(await shop.echo.getReply(order)).toEqual(order);
      expect(await shop.place.getReply(order)).toEqual({
        orderId: 18446744073709551615n,
        total: 3 * 0.5 + 4294967295 * 1.25,
        shapes: [{ kind: "rect", width: 2, height: 3 }, { kind: "empty" }],
      });
      expect(await shop.lookup.getReply({ id: order.id })).toEqual(order);
      // The same token without validators: a wrong-typed request reaches the server's decoder.
      const Raw = defineService("Shop", { place: method<unknown, unknown>() });
      const raw = Raw.clientWellKnown(transport, NetworkAddress.parse(address), 7);
      const bad = encodeOrder(order) as { items: Record<string, unknown>[] };
      const items = [bad.items[0], { ...bad.items[1], qty: "4" }];
      await expect(raw.place.getReply({ ...bad, items })).rejects.toThrow(
        /req\.items\[1\]\.qty: expected u32 \(integer 0\.\.4294967295\), got string "4"/,
      );
      expect(await shop.count.getReply(null)).toBe(1); // the method still serves
    } finally {
      await transport.close();
    }
  });
});
